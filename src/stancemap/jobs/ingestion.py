"""Ingest files into a store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from stancemap.ingest import read_paths
from stancemap.store import IngestReport, Store


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
    progress: Callable[[], None] | None = None,
) -> IngestReport:
    """Read every file and store its articles; bad records are reported, not fatal."""
    return store.add_articles(read_paths(paths, date=date, columns=columns), progress=progress)


def example_article_path() -> Path:
    """The short example article shipped with stancemap (the founding example's story, retold)."""
    from importlib import resources

    return Path(str(resources.files("stancemap") / "data" / "example-us-israel.txt"))

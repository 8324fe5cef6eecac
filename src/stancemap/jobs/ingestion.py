"""Ingest files into a store, then group the new articles with their reprints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from stancemap.ingest import Limits, read_paths
from stancemap.ingest.reprints import DEFAULT_THRESHOLD, band_keys, signature, to_bytes
from stancemap.store import IngestReport, Store


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    date: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
    reprint_threshold: float | None = DEFAULT_THRESHOLD,
    progress: Callable[[], None] | None = None,
) -> IngestReport:
    """Read every file and store its articles; bad records are reported, not fatal.

    With ``reprint_threshold`` (None: off), every article not yet indexed joins the story of
    its near-duplicates (:func:`group_reprints`).
    """
    records = read_paths(paths, date=date, columns=columns, encoding=encoding, limits=limits)
    report = store.add_articles(records, progress=progress)
    if reprint_threshold is not None:
        report.reprints = group_reprints(store, threshold=reprint_threshold)
    return report


def group_reprints(store: Store, *, threshold: float = DEFAULT_THRESHOLD, batch: int = 500) -> int:
    """Index every article not yet indexed and group it with its reprints; returns how many
    joined an earlier story. Idempotent: an indexed article is never looked at again."""
    joined = 0
    while True:
        todo = store.unsigned_articles(batch=batch)
        if not todo:
            return joined
        items = []
        for article_id, text in todo:
            sig = signature(text)
            items.append((article_id, to_bytes(sig), band_keys(sig)))
        joined += store.add_signatures(items, threshold=threshold)


def example_article_path() -> Path:
    """The short example article shipped with stancemap (the founding example's story, retold)."""
    from importlib import resources

    return Path(str(resources.files("stancemap") / "data" / "example-us-israel.txt"))

"""Extraction jobs: over a store (idempotent, resumable) or over a stream of articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from stancemap.extract import Extractor
from stancemap.model import Article, Claim
from stancemap.store import Store


@dataclass
class ExtractionReport:
    articles: int = 0
    claims: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)  # (article id, offset, error): sentences lost to a bug


def extract_stream(extractor: Extractor, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Claim]]]:
    """Claims for each article, in order (no store)."""
    yield from extractor.pipe(articles)


def extract_store(
    store: Store,
    extractor: Extractor,
    *,
    batch: int = 64,
    progress: Callable[[int], None] | None = None,
) -> ExtractionReport:
    """Extract every stored article not yet extracted with this codebook and extractor version.

    Each batch's claims are committed with the batch's done-marks, so a run that is killed
    resumes where it stopped and a second run adds nothing.
    """
    codebook = store.save_codebook(extractor.codebook)
    report = ExtractionReport()
    for articles in store.pending_articles(codebook, extractor.version, batch=batch):
        results = list(extractor.pipe(articles))
        report.claims += store.save_extractions(codebook, extractor.version, results)
        report.articles += len(results)
        if progress:
            progress(len(results))
    report.failures = list(getattr(extractor, "failures", []))
    return report

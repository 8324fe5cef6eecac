"""Fetch pages and feeds into a store; ``watch`` re-reads feeds on a schedule.

Each URL's last fetch is kept in the store (``fetched``): a page already stored is not
fetched again, a feed is asked for with its ETag / Last-Modified (an unchanged feed answers
304 and costs nothing), so stopping and restarting resumes where it was.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from stancemap.errors import FetchError, InputError
from stancemap.ingest.feeds import looks_like_feed, parse_feed, read_feed
from stancemap.ingest.html import looks_like_html, parse_page
from stancemap.ingest.http import Fetcher
from stancemap.ingest.records import rejected
from stancemap.ingest.reprints import DEFAULT_THRESHOLD
from stancemap.ingest.source import ReadOptions, bytes_source
from stancemap.jobs.ingestion import group_reprints
from stancemap.store import IngestReport, Store


@dataclass
class FetchReport:
    fetched: int = 0          # responses with a body
    not_modified: int = 0     # 304: unchanged since the last fetch
    skipped: int = 0          # pages already stored by an earlier fetch
    failed: list[FetchError] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    def merge(self, other: "FetchReport") -> None:
        self.fetched += other.fetched
        self.not_modified += other.not_modified
        self.skipped += other.skipped
        self.failed += other.failed
        for k in ("read", "added", "duplicates", "renamed", "conflicts", "reprints"):
            setattr(self.ingest, k, getattr(self.ingest, k) + getattr(other.ingest, k))
        self.ingest.rejected += other.ingest.rejected


def fetch_urls(store: Store, urls: Iterable[str], fetcher: Fetcher, *, opts: ReadOptions | None = None,
               follow: bool = True, reprint_threshold: float | None = DEFAULT_THRESHOLD,
               stop: threading.Event | None = None, log: Callable[[str], None] | None = None) -> FetchReport:
    """Fetch each URL: a page becomes an article, a feed's entries' links are fetched (``follow``)."""
    opts = opts or ReadOptions()
    report = FetchReport()
    for url in urls:
        if stop is not None and stop.is_set():
            break
        _fetch_one(store, url, fetcher, opts, follow, report, stop, log)
    if reprint_threshold is not None:
        report.ingest.reprints += group_reprints(store, threshold=reprint_threshold)
    return report


def _fetch_one(store, url, fetcher, opts, follow, report, stop, log) -> None:
    state = store.fetch_state(url) or {}
    if state.get("kind") == "page" and state.get("article_id"):
        report.skipped += 1
        return
    resp = _get(store, url, fetcher, state, report, stop, kind=state.get("kind", "page"))
    if resp is None:
        return
    if resp.not_modified:
        report.not_modified += 1
        store.save_fetch_state(url, kind=state.get("kind", "feed"), status=304, etag=state.get("etag", ""),
                               last_modified=state.get("last_modified", ""), article_id=state.get("article_id"))
        return
    report.fetched += 1
    if log:
        log(f"{resp.status} {url}")
    if _is_feed(resp):
        _, entries = parse_feed(resp.body, resp.url)
        store.save_fetch_state(url, kind="feed", status=resp.status, etag=resp.etag, last_modified=resp.last_modified)
        if not follow:  # the entries' own content, as for a feed file
            _count(report, store.add_articles(read_feed(bytes_source(url, resp.body, resp.url), opts)))
            return
        for e in entries:
            if stop is not None and stop.is_set():
                return
            if e.link:
                _fetch_page(store, e.link, fetcher, opts, report, fallback_date=e.date, log=log, stop=stop)
        return
    _store_page(store, url, resp, opts, report, fallback_date=None)


def _get(store, url, fetcher, state, report, stop, *, kind: str):
    """A conditional GET; a failure is reported and remembered (None), unless we were stopped."""
    try:
        return fetcher.get(url, etag=state.get("etag", ""), last_modified=state.get("last_modified", ""))
    except FetchError as e:
        if stop is not None and stop.is_set():
            return None  # stopped: not a failure, and the state stays as it was
        report.failed.append(e)
        store.save_fetch_state(url, kind=kind, status=e.status, note=e.reason)
        return None


def _is_feed(resp) -> bool:
    ct = resp.content_type
    if "rss" in ct or "atom" in ct:
        return True
    return ("xml" in ct or not ct) and looks_like_feed(resp.body) and not looks_like_html(resp.body[:2048])


def _fetch_page(store, url, fetcher, opts, report, *, fallback_date, log, stop=None) -> None:
    state = store.fetch_state(url) or {}
    if state.get("article_id"):
        report.skipped += 1
        return
    resp = _get(store, url, fetcher, state, report, stop, kind="page")
    if resp is None:
        return
    if resp.not_modified:
        report.not_modified += 1
        return
    report.fetched += 1
    if log:
        log(f"{resp.status} {url}")
    _store_page(store, url, resp, opts, report, fallback_date=fallback_date)


def _store_page(store, url, resp, opts, report, *, fallback_date: dt.date | None) -> None:
    rec = parse_page(resp.body, f"{url}:1", url, opts, url=resp.url, fallback_date=fallback_date)
    if rec.article is None and rec.error is None:
        rec = rejected(f"{url}:1", "nothing read from the page", "record", url)
    one = store.add_articles([rec])
    # a page that gave an article (new or already stored) is not fetched again; one rejected
    # (no date, no text) is asked for again next time, conditionally
    stored = rec.article.id if rec.article is not None and not one.conflicts else None
    note = str(one.rejected[0].reason) if one.rejected else ""
    store.save_fetch_state(url, kind="page", status=resp.status, etag=resp.etag, last_modified=resp.last_modified,
                           article_id=stored, note=note)
    _count(report, one)


def _count(report: FetchReport, one: IngestReport) -> None:
    for k in ("read", "added", "duplicates", "renamed", "conflicts"):
        setattr(report.ingest, k, getattr(report.ingest, k) + getattr(one, k))
    report.ingest.rejected += one.rejected


def watch(store: Store, feeds: list[str], fetcher: Fetcher, *, every: float, stop: threading.Event,
          rounds: int | None = None, opts: ReadOptions | None = None,
          reprint_threshold: float | None = DEFAULT_THRESHOLD,
          on_round: Callable[[int, FetchReport], None] | None = None) -> FetchReport:
    """Fetch ``feeds`` every ``every`` seconds until ``stop`` is set (or ``rounds`` are done)."""
    total = FetchReport()
    n = 0
    while not stop.is_set():
        n += 1
        rep = fetch_urls(store, feeds, fetcher, opts=opts, reprint_threshold=reprint_threshold, stop=stop)
        total.merge(rep)
        if on_round:
            on_round(n, rep)
        if rounds is not None and n >= rounds:
            break
        stop.wait(every)
    return total


def parse_every(text: str) -> float:
    """``15m``, ``1h``, ``90s`` or a number of seconds, as seconds."""
    s = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if s and s[-1] in units:
            value = float(s[:-1]) * units[s[-1]]
        else:
            value = float(s)
    except ValueError:
        raise InputError("--every", f"cannot read {text!r} as a period (15m, 1h, 90s)", "every") from None
    if value <= 0:
        raise InputError("--every", f"{text!r}: the period must be positive", "every")
    return value

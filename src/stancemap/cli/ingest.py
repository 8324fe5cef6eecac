"""Getting news in: ingest (files, folders, archives, exports), fetch, watch, reprints."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from stancemap.cli.common import DbOption, console, day, errors, out, print_json

EXIT_REJECTED = 3
FIELDS = ("id", "date", "source", "title", "url", "text")

DateOption = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Date for text, pages and entries that carry none")]
EncodingOption = Annotated[str | None, typer.Option(help="The input's encoding (latin-1, cp1252...); default: BOM, UTF-8, else detected")]
ThresholdOption = Annotated[float, typer.Option(min=0.0, max=1.0, help="Reprints: estimated word-shingle similarity (Jaccard) from which two articles are one story")]
NoReprintsOption = Annotated[bool, typer.Option("--no-reprints", help="Do not group near-duplicate stories")]


def _limits(max_decompressed: str, max_line: str, max_article_chars: int, max_json_depth: int):
    from stancemap.ingest import Limits
    from stancemap.ingest.limits import parse_size

    try:
        return Limits(max_decompressed_bytes=parse_size(max_decompressed), max_line_bytes=parse_size(max_line),
                      max_article_chars=max_article_chars, max_json_depth=max_json_depth)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def _columns(column: list[str]) -> dict[str, str]:
    columns = {}
    for spec in column:
        field, sep, col = spec.partition("=")
        if not sep or field not in FIELDS:
            raise typer.BadParameter(f"--column {spec!r}: use FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}")
        columns[field] = col
    return columns


def _report_rejected(rejected) -> None:
    for err in rejected[:50]:
        console.print(f"[yellow]rejected[/] {err}", highlight=False)
    if len(rejected) > 50:
        console.print(f"... and {len(rejected) - 50} more rejected records", highlight=False)


def _summary(report) -> str:
    extra = "".join([f", {report.renamed} stored under a qualified id" if report.renamed else "",
                     f", {report.reprints} reprints grouped" if report.reprints else ""])
    return (f"read {report.read} articles: {report.added} added, {report.duplicates} already stored, "
            f"{len(report.rejected)} rejected{extra}")


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or .zip: .txt (dated), .jsonl(.gz), .csv, .html, feeds, LexisNexis and Factiva exports; http(s) URLs are fetched as by `fetch`")],
    db: DbOption = None,
    date: DateOption = None,
    column: Annotated[list[str], typer.Option("--column", help="CSV column mapping FIELD=COLUMN, e.g. text=body (repeatable)")] = [],  # noqa: B006
    encoding: EncodingOption = None,
    max_decompressed: Annotated[str, typer.Option(help="Limit: bytes a compressed file or archive member may inflate to")] = "4G",
    max_line: Annotated[str, typer.Option(help="Limit: bytes in one JSONL or CSV line")] = "16M",
    max_article_chars: Annotated[int, typer.Option(help="Limit: characters in one article (the parser reads 1,000,000)")] = 1_000_000,
    max_json_depth: Annotated[int, typer.Option(help="Limit: nesting depth of a JSON line")] = 64,
    reprint_threshold: ThresholdOption = 0.7,
    no_reprints: NoReprintsOption = False,
) -> None:
    """Store articles. Re-ingesting is a no-op; bad records are reported as FILE:LINE: reason (exit 3)."""
    from stancemap.cli.core import _progress
    from stancemap.jobs import ingest_paths
    from stancemap.store import Store

    columns = _columns(column)
    limits = _limits(max_decompressed, max_line, max_article_chars, max_json_depth)
    urls = [p for p in paths if p.startswith(("http://", "https://"))]
    files = [Path(p) for p in paths if p not in urls]
    threshold = None if no_reprints else reprint_threshold
    failed = []
    with errors():
        store = Store.open(db)
        with _progress() as prog:
            task = prog.add_task("ingesting", total=None)
            report = ingest_paths(store, files, date=day(date), columns=columns, encoding=encoding, limits=limits,
                                  reprint_threshold=threshold, progress=lambda: prog.advance(task))
        if urls:
            from stancemap.ingest import options
            from stancemap.jobs.fetching import fetch_urls

            with _fetcher(1.0, 3, 20.0, "10M", None) as fetcher:
                rep = fetch_urls(store, urls, fetcher, opts=options(date=day(date), encoding=encoding, limits=limits),
                                 reprint_threshold=threshold)
            failed = rep.failed
            for k in ("read", "added", "duplicates", "renamed", "conflicts", "reprints"):
                setattr(report, k, getattr(report, k) + getattr(rep.ingest, k))
            report.rejected += rep.ingest.rejected
    for e in failed[:50]:
        console.print(f"[yellow]failed[/] {e}", highlight=False)
    _report_rejected(report.rejected)
    console.print(_summary(report), highlight=False)
    if report.rejected or failed:
        raise typer.Exit(EXIT_REJECTED)


def _fetcher(rate: float, retries: int, timeout: float, max_size: str, user_agent: str | None, stop=None):
    from stancemap.ingest.http import USER_AGENT, Fetcher, Politeness
    from stancemap.ingest.limits import parse_size

    try:
        size = parse_size(max_size)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    policy = Politeness(user_agent=user_agent or USER_AGENT, min_interval=rate, retries=retries,
                        timeout=timeout, max_bytes=size)
    if stop is None:
        return Fetcher(policy)
    return Fetcher(policy, stop=stop)  # Ctrl-C ends a wait (rate, backoff, Retry-After) and stops requests


RateOption = Annotated[float, typer.Option(help="Seconds between two requests to one host (robots.txt's Crawl-delay wins when longer)")]
RetriesOption = Annotated[int, typer.Option(help="Retries after a timeout, 429 or 5xx (backoff doubles; Retry-After is honoured)")]
TimeoutOption = Annotated[float, typer.Option(help="Seconds to wait to connect and between bytes")]
MaxSizeOption = Annotated[str, typer.Option(help="Largest response read (bytes, or 10M...)")]
UserAgentOption = Annotated[str | None, typer.Option(help="User-Agent header (default: stancemap/VERSION, a research crawler)")]


def _fetch_summary(rep) -> None:
    for e in rep.failed[:50]:
        console.print(f"[yellow]failed[/] {e}", highlight=False)
    _report_rejected(rep.ingest.rejected)
    console.print(f"fetched {rep.fetched}, {rep.not_modified} not modified, {rep.skipped} already stored, "
                  f"{len(rep.failed)} failed; " + _summary(rep.ingest), highlight=False)


def fetch(
    urls: Annotated[list[str], typer.Argument(help="Pages or RSS/Atom feeds (a feed's entries are followed)")],
    db: DbOption = None,
    date: DateOption = None,
    encoding: EncodingOption = None,
    follow: Annotated[bool, typer.Option(help="Fetch the articles a feed links to (--no-follow: store the entries' own content)")] = True,
    rate: RateOption = 1.0,
    retries: RetriesOption = 3,
    timeout: TimeoutOption = 20.0,
    max_size: MaxSizeOption = "10M",
    user_agent: UserAgentOption = None,
    reprint_threshold: ThresholdOption = 0.7,
    no_reprints: NoReprintsOption = False,
) -> None:
    """Fetch web pages and feeds politely (robots.txt, rate limit, retries, conditional GET) and store them."""
    from stancemap.ingest import options
    from stancemap.jobs.fetching import fetch_urls
    from stancemap.store import Store

    with errors():
        store = Store.open(db)
        opts = options(date=day(date), encoding=encoding)
        with _fetcher(rate, retries, timeout, max_size, user_agent) as fetcher:
            rep = fetch_urls(store, urls, fetcher, opts=opts, follow=follow,
                             reprint_threshold=None if no_reprints else reprint_threshold)
    _fetch_summary(rep)
    if rep.failed or rep.ingest.rejected:
        raise typer.Exit(EXIT_REJECTED)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feeds to re-read")],
    every: Annotated[str, typer.Option(help="How often: 15m, 1h, 90s")] = "15m",
    rounds: Annotated[int | None, typer.Option(help="Stop after N rounds (default: until Ctrl-C)")] = None,
    db: DbOption = None,
    date: DateOption = None,
    rate: RateOption = 1.0,
    retries: RetriesOption = 3,
    timeout: TimeoutOption = 20.0,
    max_size: MaxSizeOption = "10M",
    user_agent: UserAgentOption = None,
    reprint_threshold: ThresholdOption = 0.7,
) -> None:
    """Re-read feeds on a schedule and store new articles; Ctrl-C stops cleanly, a restart resumes."""
    from stancemap.ingest import options
    from stancemap.jobs.fetching import parse_every
    from stancemap.jobs.fetching import watch as watch_feeds
    from stancemap.store import Store

    stop = threading.Event()

    def interrupt(*_):
        if stop.is_set():  # a second Ctrl-C does not wait for the request under way
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        with errors():
            period = parse_every(every)
            store = Store.open(db)

            def said(n, rep):
                console.print(f"round {n}: {rep.ingest.added} new articles, {rep.fetched} fetched, "
                              f"{rep.not_modified} not modified, {len(rep.failed)} failed", highlight=False)

            with _fetcher(rate, retries, timeout, max_size, user_agent, stop) as fetcher:
                total = watch_feeds(store, feeds, fetcher, every=period, stop=stop, rounds=rounds,
                                    opts=options(date=day(date)), reprint_threshold=reprint_threshold, on_round=said)
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        console.print("stopped; the next watch resumes from the stored state", highlight=False)
    _fetch_summary(total)


def reprints(
    article: Annotated[str | None, typer.Argument(help="An article id: where else its story ran")] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most N stories, largest first")] = 20,
    format: Annotated[Literal["table", "json"], typer.Option("--format")] = "table",
    index: Annotated[bool, typer.Option("--index", help="First group articles not yet indexed (stored before reprint detection)")] = False,
    threshold: ThresholdOption = 0.7,
) -> None:
    """Stories that ran more than once (near-duplicate articles), with where and when each ran."""
    from stancemap.jobs import group_reprints
    from stancemap.store import Store

    with errors():
        store = Store.open(db)
        if index:
            n = group_reprints(store, threshold=threshold)
            console.print(f"{n} articles joined an earlier story", highlight=False)
        groups = store.story_groups(limit=limit, article_id=article)
    if format == "json":
        print_json(groups)
        return
    t = Table("story", "date", "source", "article", "title")
    for g in groups:
        for i, a in enumerate(g):
            t.add_row(g[0]["story"] if i == 0 else "", str(a["date"]), a["source"], a["id"], a["title"][:60])
    out.print(t)
    console.print(f"{len(groups)} stories", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(fetch)
    app.command()(watch)
    app.command()(reprints)

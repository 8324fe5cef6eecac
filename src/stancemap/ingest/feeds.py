"""RSS and Atom feeds (feedparser): the entries' links, titles, dates and any content.

Fetching follows each entry's link (:mod:`stancemap.jobs.fetching`); a feed file read from
disk gives the entries' own content (``content:encoded``, else the summary) as articles.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from stancemap.ingest.limits import TooLarge
from stancemap.ingest.records import Record, record, rejected, stable_id
from stancemap.ingest.source import ReadOptions, Source
from stancemap.ingest.text import clean


_ITEM = re.compile(rb"<(?:item|entry)[\s>/]", re.I)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str
    date: dt.date | None
    content: str  # HTML or text, possibly empty
    entry_id: str


def looks_like_feed(head: bytes) -> bool:
    h = head[:4096].lower()
    return b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h


def parse_feed(data: bytes, base_url: str = "") -> tuple[str, list[FeedEntry]]:
    """``(feed title, entries)``; an empty list when ``data`` is not a feed. Relative links
    are resolved against ``base_url`` (the feed's own URL)."""
    import feedparser

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True, response_headers=headers)
    title = clean(parsed.feed.get("title", "") or "")
    entries = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        date = dt.datetime.fromtimestamp(calendar.timegm(when), dt.timezone.utc).date() if when else None
        content = ""
        if e.get("content"):
            content = " ".join(c.get("value", "") for c in e["content"])
        content = content or e.get("summary", "") or ""
        entries.append(FeedEntry(link=e.get("link", "") or "", title=clean(e.get("title", "") or ""), date=date,
                                 content=content, entry_id=e.get("id", "") or e.get("link", "") or ""))
    return title, entries


def _plain(html: str) -> str:
    import lxml.html

    if "<" not in html:
        return clean(html)
    try:
        return clean(lxml.html.fromstring(html).text_content())
    except Exception:  # lxml rejects empty or odd fragments
        return clean(html)


def read_feed(src: Source, opts: ReadOptions) -> Iterator[Record]:
    try:
        data = src.read_all(opts.limits.max_page_bytes, opts.limits, "a feed file")
    except TooLarge as e:
        yield rejected(f"{src.name}:1", str(e), "file", src.name)
        return
    title, entries = parse_feed(data)
    if not entries:
        yield rejected(f"{src.name}:1", "not an RSS or Atom feed with entries", "record", src.name)
        return
    lines = [data[: m.start()].count(b"\n") + 1 for m in _ITEM.finditer(data)]
    for n, e in enumerate(entries, 1):
        where = f"{src.name}:{lines[n - 1] if n <= len(lines) else 1}"
        text = _plain(e.content)
        date = e.date or opts.date
        if date is None:
            yield rejected(where, f"field 'date': the entry {e.title[:60]!r} has no date; pass --date", "date", src.name)
            continue
        ident = e.link if e.link and len(e.link) <= 180 else stable_id("entry", e.entry_id or text)
        yield record({"id": ident, "date": date, "source": title[:180], "title": e.title, "url": e.link,
                      "text": text}, where, src.name, max_chars=opts.limits.max_article_chars)

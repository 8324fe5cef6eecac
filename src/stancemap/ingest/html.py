"""Web pages: the main text with trafilatura, the publication date with htmldate.

A page whose date cannot be found is rejected with a message asking for ``--date`` (which
then dates it); a page is never dated by the day it was downloaded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from stancemap.ingest.limits import TooLarge
from stancemap.ingest.records import Record, record, rejected, stable_id
from stancemap.ingest.source import ReadOptions, Source
from stancemap.ingest.text import clean, guess_encoding

_CANONICAL = re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.I)
_HREF = re.compile(rb"""href=["']([^"']+)["']""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


def looks_like_html(head: bytes) -> bool:
    h = head[:2048].lstrip().lower()
    return h.startswith((b"<!doctype html", b"<html")) or b"<html" in h[:1024] or b"<body" in h


def page_url(html: bytes) -> str:
    m = _CANONICAL.search(html[:200_000])
    if m and (h := _HREF.search(m.group(0))):
        return h.group(1).decode("utf-8", "ignore")
    return ""


def page_id(url: str, text: str) -> str:
    """A page's id: its URL when short enough, else a hash of it (or of the text)."""
    if url and len(url) <= 180:
        return url
    return stable_id("page", url or text)


def html_text(html: bytes, encoding: str | None = None) -> str:
    """The page as text: the given encoding, the page's ``<meta charset>``, else a guess."""
    enc = encoding
    if enc is None and (m := _META_CHARSET.search(html[:4096])):
        enc = m.group(1).decode("ascii")
    for e in (enc, guess_encoding(html[:262_144]), "utf-8"):
        if not e:
            continue
        try:
            return html.decode(e)
        except (UnicodeDecodeError, LookupError):
            continue
    return html.decode("utf-8", "replace")


def parse_page(html: bytes, where: str, origin: str, opts: ReadOptions, *, url: str = "",
               fallback_date: dt.date | None = None, source: str = "") -> Record:
    """One page as a Record: trafilatura's main text and title, htmldate's date."""
    import trafilatura
    from htmldate import find_date

    page = html_text(html, opts.encoding)
    url = url or page_url(html)
    doc = trafilatura.bare_extraction(page, url=url or None, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    text = clean(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        return rejected(where, "field 'text': no main text found in the page", "text", origin)
    found = None
    try:
        found = find_date(page, url=url or None, extensive_search=False, original_date=True,
                          max_date=(dt.date.today() + dt.timedelta(days=2)).isoformat())
    except Exception:  # htmldate raises assorted errors on odd markup; no date is the answer then
        found = None
    date = found or (fallback_date.isoformat() if fallback_date else None) or (opts.date.isoformat() if opts.date else None)
    title = clean(getattr(doc, "title", None) or "")
    if date is None:
        return rejected(where, f"field 'date': no publication date found in the page {title[:60]!r}; pass --date",
                        "date", origin)
    site = source or clean(getattr(doc, "sitename", None) or "") or (urlsplit(url).hostname or "" if url else "")
    return record({"id": page_id(url, text), "date": date, "source": site[:180], "title": title,
                   "url": url, "text": text}, where, origin, max_chars=opts.limits.max_article_chars)


def read_html(src: Source, opts: ReadOptions) -> Iterator[Record]:
    try:
        data = src.read_all(opts.limits.max_page_bytes, opts.limits, "a web page")
    except TooLarge as e:
        yield rejected(f"{src.name}:1", str(e), "file", src.name)
        return
    yield parse_page(data, f"{src.name}:1", src.name, opts, url=src.url)

"""Text files: the founding example's dated text, plain text dated by ``--date``, and the
news-database exports (recognised by their content)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stancemap.errors import InputError
from stancemap.ingest.exports import looks_like_factiva, looks_like_lexisnexis, read_factiva, read_lexisnexis
from stancemap.ingest.limits import TooLarge
from stancemap.ingest.records import Record, record, rejected
from stancemap.ingest.source import ReadOptions, Source
from stancemap.ingest.text import SAMPLE, decode

DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)


def text_kind(head: str) -> str:
    """``dated``, ``lexisnexis``, ``factiva`` or ``plain``, from the first part of a text."""
    if DATE_LINE.match(head):
        return "dated"
    if looks_like_lexisnexis(head):
        return "lexisnexis"
    if looks_like_factiva(head):
        return "factiva"
    return "plain"


def read_text(src: Source, opts: ReadOptions) -> Iterator[Record]:
    lim = opts.limits
    try:
        with src.open(lim) as fh:
            head_bytes = fh.peek(SAMPLE)[:SAMPLE]
        head, _ = decode(head_bytes, src.name, opts.encoding)
    except TooLarge as e:
        yield rejected(f"{src.name}:1", str(e), "file", src.name)
        return
    except InputError:  # the whole text is decoded below, which names the bad byte's line
        head = head_bytes.decode("utf-8", "ignore")
    kind = text_kind(head)
    single = kind in ("dated", "plain")
    # one article: at most 4 bytes a character, and some slack; an export may hold thousands
    cap = min(lim.max_file_bytes, lim.max_article_chars * 4 + 4096) if single else lim.max_file_bytes
    what = (f"one article of at most {lim.max_article_chars:,} characters (--max-article-chars)" if single else
            f"an export of at most {lim.max_file_bytes:,} bytes")
    if src.size is not None and not src.gzipped and src.size > cap:
        yield rejected(f"{src.name}:1", f"file of {src.size:,} bytes is too large for {what}", "text", src.name)
        return
    try:
        text, _enc = decode(src.read_all(cap, lim, "the text"), src.name, opts.encoding)
    except TooLarge as e:
        yield rejected(f"{src.name}:1", f"{e}: too large for {what}", "text", src.name)
        return
    except InputError as e:
        yield Record(None, e, e.where, src.name)
        return
    if kind == "lexisnexis":
        yield from read_lexisnexis(text, src, opts)
    elif kind == "factiva":
        yield from read_factiva(text, src, opts)
    else:
        yield _single(text, src, opts)


def _single(text: str, src: Source, opts: ReadOptions) -> Record:
    where = f"{src.name}:1"
    m = DATE_LINE.match(text)
    if m:
        date, text = m.group(1), text[m.end():]
    elif opts.date is not None:
        date = opts.date
    else:
        return rejected(where, "field 'date': the file has no 'date YYYY-MM-DD' line; pass --date", "date", src.name)
    text = text.strip()
    first = text.split("\n", 1)[0].strip()
    return record({"id": src.stem, "date": date, "title": first[:200], "text": text}, where, src.name,
                  max_chars=opts.limits.max_article_chars)

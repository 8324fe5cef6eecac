"""JSON Lines (optionally gzipped): one object a line with id, date, source, title, url, text."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from stancemap.ingest.limits import TooLarge, bounded_lines, json_depth_over
from stancemap.ingest.records import Record, record, rejected, stable_id
from stancemap.ingest.source import ReadOptions, Source
from stancemap.ingest.text import clean, sniff_bom


def read_jsonl(src: Source, opts: ReadOptions) -> Iterator[Record]:
    lim = opts.limits
    enc = opts.encoding or "utf-8"
    n = 0
    try:
        with src.open(lim) as fh:
            for n, raw in bounded_lines(fh, lim.max_line_bytes):
                where = f"{src.name}:{n}"
                if raw is None:
                    yield rejected(where, f"line longer than {lim.max_line_bytes:,} bytes (--max-line); skipped", "record", src.name)
                    continue
                if n == 1:
                    bom = sniff_bom(raw)
                    if bom and bom[0] == "utf-8":
                        raw = raw[bom[1]:]
                if not raw.strip():
                    continue
                yield _line(raw, n, where, src, opts, enc)
    except TooLarge as e:
        yield rejected(f"{src.name}:{n + 1}", f"{e}; the rest of the file is skipped", "file", src.name)
    except (OSError, EOFError, ValueError) as e:  # a truncated or corrupt gzip stream
        yield rejected(f"{src.name}:{n + 1}", f"cannot read further ({type(e).__name__}: {e}); the rest of the file is skipped",
                       "file", src.name)


def _line(raw: bytes, n: int, where: str, src: Source, opts: ReadOptions, enc: str) -> Record:
    try:
        line = codecs.decode(raw, enc)
    except UnicodeDecodeError as e:
        label = "UTF-8" if enc == "utf-8" else enc
        return rejected(where, f"not {label} (byte {e.start}: {e.reason}); pass --encoding", "record", src.name)
    depth = json_depth_over(line, opts.limits.max_json_depth)
    if depth is not None:
        return rejected(where, f"JSON nested {depth} deep, over the limit of {opts.limits.max_json_depth} (--max-json-depth)",
                        "record", src.name)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return rejected(where, f"invalid JSON: {e.msg} at column {e.colno}", "record", src.name)
    except RecursionError:  # a depth the check above did not see (cannot happen; never a traceback)
        return rejected(where, "JSON nested too deep", "record", src.name)
    if not isinstance(obj, dict):
        return rejected(where, "a line must be a JSON object", "record", src.name)
    for k in ("text", "title", "source", "id", "url"):
        v = obj.get(k)
        if v is not None and not isinstance(v, (str, int, float)):
            return rejected(where, f"field {k!r}: must be a string, not {type(v).__name__}", k, src.name)
        if isinstance(v, str):
            obj[k] = clean(v)
    if not obj.get("id"):
        obj["id"] = stable_id(src.stem, str(obj.get("text", "")) + str(n))
    return record(obj, where, src.name, max_chars=opts.limits.max_article_chars)

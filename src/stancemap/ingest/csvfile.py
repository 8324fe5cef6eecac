"""CSV (or TSV) with a header; ``columns`` maps our field names to the file's."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from stancemap.ingest.limits import TooLarge
from stancemap.ingest.records import FIELDS, Record, record, rejected, stable_id
from stancemap.ingest.source import ReadOptions, Source
from stancemap.ingest.text import SAMPLE, clean, guess_encoding, sniff_bom


def read_csv(src: Source, opts: ReadOptions) -> Iterator[Record]:
    columns = dict(opts.columns or {})
    lim = opts.limits
    csv.field_size_limit(min(lim.max_line_bytes, sys.maxsize))
    try:
        with src.open(lim) as bfh:
            head = bfh.peek(SAMPLE)[:SAMPLE]
            enc = opts.encoding or guess_encoding(head) or "utf-8"
            bom = sniff_bom(head)
            if bom and not opts.encoding:
                enc = {"utf-8": "utf-8-sig"}.get(bom[0], bom[0].split("-le")[0].split("-be")[0])
            fh = io.TextIOWrapper(bfh, encoding=enc, newline="")
            yield from _rows(src, _BoundedLines(fh, lim.max_line_bytes), columns, opts, enc)
    except TooLarge as e:
        yield rejected(f"{src.name}:0", f"{e}; the rest of the file is skipped", "file", src.name)
    except (OSError, EOFError) as e:
        yield rejected(f"{src.name}:0", f"cannot read further ({e}); the rest of the file is skipped", "file", src.name)


class LineTooLong(Exception):
    pass


class _BoundedLines:
    """The text stream's lines, none longer than ``limit`` characters: a longer one is read
    in pieces and dropped, and :class:`LineTooLong` raised in its place (csv would hold it)."""

    def __init__(self, fh, limit: int):
        self._fh, self._limit = fh, limit

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._fh.readline(self._limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self._limit and not line.endswith(("\n", "\r")):
            while True:
                rest = self._fh.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            raise LineTooLong()
        return line


def _rows(src: Source, fh, columns, opts: ReadOptions, enc: str) -> Iterator[Record]:
    delimiter = "\t" if src.lower.removesuffix(".gz").endswith(".tsv") else ","
    try:
        reader = csv.DictReader(fh, delimiter=delimiter)
        header = reader.fieldnames or []
    except UnicodeDecodeError as e:
        yield rejected(f"{src.name}:1", f"not {enc} ({e.reason}); pass --encoding", "header", src.name)
        return
    except csv.Error as e:
        yield rejected(f"{src.name}:1", f"bad CSV header: {e}", "header", src.name)
        return
    except LineTooLong:
        yield rejected(f"{src.name}:1", f"header longer than {opts.limits.max_line_bytes:,} characters (--max-line)",
                       "header", src.name)
        return
    col = columns.get("text", "text")
    if col not in header:
        yield rejected(f"{src.name}:1", f"no column {col!r} in the header {header[:20]}", "text", src.name)
        return
    rows = iter(reader)
    dropped = 0
    while True:
        line = reader.line_num + dropped + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as e:
            yield rejected(f"{src.name}:{line}", f"not {enc} ({e.reason}); the rest of the file is unreadable; pass --encoding",
                           "record", src.name)
            return
        except csv.Error as e:
            yield rejected(f"{src.name}:{line}", f"bad CSV: {e}", "record", src.name)
            continue
        except LineTooLong:
            dropped += 1  # the csv reader does not count a line it never got
            yield rejected(f"{src.name}:{line}", f"line longer than {opts.limits.max_line_bytes:,} characters (--max-line); "
                                                 "skipped", "record", src.name)
            continue
        where = f"{src.name}:{line}"
        obj = {f: row.get(columns.get(f, f)) for f in FIELDS}
        obj = {k: clean(v) if isinstance(v, str) else v for k, v in obj.items()}
        if opts.date is not None and not obj.get("date"):
            obj["date"] = opts.date
        if not obj.get("id"):
            obj["id"] = stable_id(src.stem, str(obj.get("text") or "") + str(line))
        yield record(obj, where, src.name, max_chars=opts.limits.max_article_chars)

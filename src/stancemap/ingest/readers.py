"""File readers: founding-example text, plain text, JSONL (optionally gzipped), CSV."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from stancemap.errors import InputError
from stancemap.model import Article


@dataclass(frozen=True, slots=True)
class Record:
    """One record read from a file: an article, or the error that kept it out."""

    article: Article | None
    error: InputError | None


_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
FIELDS = ("id", "date", "source", "title", "url", "text")


def _stable_id(path: Path, text: str) -> str:
    return f"{path.stem}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _parse_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    s = str(value or "").strip()
    if not s:
        raise InputError(where, "field 'date': missing", "date")
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise InputError(where, f"field 'date': cannot parse {s!r} as YYYY-MM-DD", "date") from None


def _article(fields: Mapping[str, object], where: str) -> Article:
    """Validate one record into an Article, naming the first bad field."""
    text = fields.get("text")
    if text is None or not str(text).strip():
        raise InputError(where, "field 'text': missing or empty", "text")
    date = _parse_date(fields.get("date"), where)
    data = {k: ("" if fields.get(k) is None else str(fields.get(k))) for k in ("id", "source", "title", "url")}
    try:
        return Article(date=date, text=str(text), **data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "record"
        raise InputError(where, f"field {field!r}: {err['msg']}", field) from None


def read_dated_text(path: Path) -> Iterator[Record]:
    """The founding example's format: ``date YYYY-MM-DD`` then the text."""
    where = f"{path}:1"
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        yield Record(None, InputError(f"{path}:{_line_of_byte(path, e.start)}", f"not UTF-8 text ({e.reason})", "text"))
        return
    m = _DATE_LINE.match(raw)
    if not m:
        yield Record(None, InputError(where, "field 'date': the file does not start with 'date YYYY-MM-DD'", "date"))
        return
    text = raw[m.end():].strip()
    first = text.split("\n", 1)[0].strip()
    yield _safe(lambda: _article({"id": path.stem, "date": m.group(1), "title": first[:200], "text": text}, where))


def read_plain_text(path: Path, date: dt.date) -> Iterator[Record]:
    """A plain text file, dated by the caller (``--date``)."""
    where = f"{path}:1"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError as e:
        yield Record(None, InputError(f"{path}:{_line_of_byte(path, e.start)}", f"not UTF-8 text ({e.reason})", "text"))
        return
    first = text.split("\n", 1)[0].strip()
    yield _safe(lambda: _article({"id": path.stem, "date": date, "title": first[:200], "text": text}, where))


def _line_of_byte(path: Path, offset: int) -> int:
    with open(path, "rb") as fh:
        return fh.read(offset).count(b"\n") + 1


def _safe(make) -> Record:
    try:
        return Record(make(), None)
    except InputError as e:
        return Record(None, e)


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def read_jsonl(path: Path) -> Iterator[Record]:
    """JSONL (or .jsonl.gz): one object a line with id, date, source, title, url, text."""
    with _open_binary(path) as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path}:{n}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Record(None, InputError(where, f"not UTF-8 (byte {e.start}: {e.reason})", "record"))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield Record(None, InputError(where, f"invalid JSON: {e.msg} at column {e.colno}", "record"))
                continue
            if not isinstance(obj, dict):
                yield Record(None, InputError(where, "a line must be a JSON object", "record"))
                continue
            if not obj.get("id"):
                obj["id"] = _stable_id(path, str(obj.get("text", "")) + str(n))
            yield _safe(lambda: _article(obj, where))


def read_csv(path: Path, columns: Mapping[str, str] | None = None, date: dt.date | None = None) -> Iterator[Record]:
    """CSV with a header. ``columns`` maps our field names to the file's (``{"text": "body"}``)."""
    columns = dict(columns or {})
    with _open_binary(path) as bfh:
        fh = io.TextIOWrapper(bfh, encoding="utf-8", newline="")
        try:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
        except UnicodeDecodeError as e:
            yield Record(None, InputError(f"{path}:1", f"not UTF-8 ({e.reason})", "header"))
            return
        missing = [c for f, c in ((f, columns.get(f, f)) for f in ("text",)) if c not in header]
        if missing:
            yield Record(None, InputError(f"{path}:1", f"no column {missing[0]!r} in the header {header}", missing[0]))
            return
        rows = iter(reader)
        while True:
            line = reader.line_num + 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except UnicodeDecodeError as e:
                yield Record(None, InputError(f"{path}:{line}", f"not UTF-8 ({e.reason}); the rest of the file is unreadable", "record"))
                return
            except csv.Error as e:
                yield Record(None, InputError(f"{path}:{line}", f"bad CSV: {e}", "record"))
                continue
            where = f"{path}:{reader.line_num}"
            obj = {f: row.get(columns.get(f, f)) for f in FIELDS}
            if date is not None and not obj.get("date"):
                obj["date"] = date
            if not obj.get("id"):
                obj["id"] = _stable_id(path, str(obj.get("text") or "") + str(reader.line_num))
            yield _safe(lambda: _article(obj, where))


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".json.gz", ".ndjson.gz")):
        return "jsonl"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    return "text"


def read_path(
    path: str | Path,
    *,
    date: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[Record]:
    """Read one file (or every readable file under a folder), choosing the reader by name.

    A ``.txt`` file starting with ``date YYYY-MM-DD`` is dated by that line; other text files
    need ``date``.
    """
    path = Path(path)
    if path.is_dir():
        for p in sorted(q for q in path.rglob("*") if q.is_file() and not q.name.startswith(".")):
            yield from read_path(p, date=date, columns=columns)
        return
    if not path.exists():
        yield Record(None, InputError(f"{path}:0", "no such file", "path"))
        return
    kind = _kind(path)
    if kind == "jsonl":
        yield from read_jsonl(path)
    elif kind == "csv":
        yield from read_csv(path, columns, date)
    else:
        with open(path, "rb") as fh:
            head_text = fh.read(64).decode("utf-8", errors="ignore")
        if _DATE_LINE.match(head_text):
            yield from read_dated_text(path)
        elif date is not None:
            yield from read_plain_text(path, date)
        else:
            yield from _no_date(path)


def _no_date(path: Path) -> Iterator[Record]:
    yield Record(None, InputError(f"{path}:1", "field 'date': the file has no 'date YYYY-MM-DD' line; pass --date", "date"))


def read_paths(paths: Iterable[str | Path], **kw) -> Iterator[Record]:
    for p in paths:
        yield from read_path(p, **kw)

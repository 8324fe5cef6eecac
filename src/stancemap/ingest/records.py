"""What every reader yields: a :class:`Record` (an Article or the error that kept it out)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from stancemap.errors import InputError
from stancemap.model import Article

FIELDS = ("id", "date", "source", "title", "url", "text")
FUTURE_SLACK = dt.timedelta(days=2)  # time zones, and a paper dated tomorrow
EARLIEST = dt.date(1800, 1, 1)
MAX_KEY_CHARS = 180  # id and source columns hold 200; a qualified id adds a suffix


@dataclass(frozen=True, slots=True)
class Record:
    """One record read from a file: an article, or the error that kept it out.

    ``where`` is ``FILE:LINE`` of the article (for a conflict found when it is stored);
    ``origin`` the file, archive member or URL it came from (ids are unique per origin).
    """

    article: Article | None
    error: InputError | None
    where: str = ""
    origin: str = ""


def stable_id(stem: str, text: str) -> str:
    return f"{stem}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def parse_date(value: object, where: str, *, today: dt.date | None = None) -> dt.date:
    """``YYYY-MM-DD`` (a longer ISO timestamp is cut to its date); not in the future."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        s = str(value or "").strip()
        if not s:
            raise InputError(where, "field 'date': missing", "date")
        try:
            d = dt.date.fromisoformat(s[:10])
        except ValueError:
            raise InputError(where, f"field 'date': cannot parse {s[:40]!r} as YYYY-MM-DD", "date") from None
    today = today or dt.date.today()
    if d > today + FUTURE_SLACK:
        raise InputError(where, f"field 'date': {d} is in the future", "date")
    if d < EARLIEST:
        raise InputError(where, f"field 'date': {d} is before {EARLIEST}", "date")
    return d


def make_article(fields: Mapping[str, object], where: str, *, max_chars: int | None = None) -> Article:
    """Validate one record into an Article, naming the first bad field."""
    text = fields.get("text")
    if text is None or not str(text).strip():
        raise InputError(where, "field 'text': missing or empty", "text")
    text = str(text)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(where, f"field 'text': {len(text):,} characters, over the limit of {max_chars:,} "
                                f"(--max-article-chars)", "text")
    date = parse_date(fields.get("date"), where)
    data = {k: ("" if fields.get(k) is None else str(fields.get(k))) for k in ("id", "source", "title", "url")}
    for k in ("id", "source"):
        if len(data[k]) > MAX_KEY_CHARS:
            raise InputError(where, f"field {k!r}: {len(data[k]):,} characters, over {MAX_KEY_CHARS}", k)
    try:
        return Article(date=date, text=text, **data)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "record"
        raise InputError(where, f"field {field!r}: {err['msg']}", field) from None


def record(fields: Mapping[str, object], where: str, origin: str, *, max_chars: int | None = None) -> Record:
    """A Record of ``fields``: the article, or the InputError that names the bad field."""
    try:
        return Record(make_article(fields, where, max_chars=max_chars), None, where, origin)
    except InputError as e:
        return Record(None, e, where, origin)


def rejected(where: str, reason: str, field: str = "record", origin: str = "") -> Record:
    return Record(None, InputError(where, reason, field), where, origin)

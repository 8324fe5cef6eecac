"""Time windows: a length and a step, each a week, a calendar month, or N days (as DNA's time windows)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Unit = Literal["day", "week", "month"]

_SPEC = re.compile(r"^\s*(\d+)\s*(d|day|days)?\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    """A length of time: ``n`` days, weeks or calendar months."""

    n: int
    unit: Unit

    def __str__(self) -> str:
        if self.n == 1 and self.unit != "day":
            return self.unit
        return f"{self.n} {self.unit}{'s' if self.n != 1 else ''}"

    def add(self, d: dt.date, times: int = 1) -> dt.date:
        """``d`` moved forward by ``times`` spans."""
        if self.unit == "month":
            m = d.month - 1 + self.n * times
            return d.replace(year=d.year + m // 12, month=m % 12 + 1, day=1)
        days = self.n * times * (7 if self.unit == "week" else 1)
        return d + dt.timedelta(days=days)

    def snap(self, d: dt.date) -> dt.date:
        """The natural start on or before ``d``: the 1st of the month, the Monday of the week."""
        if self.unit == "month":
            return d.replace(day=1)
        if self.unit == "week":
            return d - dt.timedelta(days=d.weekday())
        return d


def parse_span(text: str | int) -> Span:
    """``week``, ``month``, or a number of days: ``14``, ``14d``, ``14 days``."""
    if isinstance(text, int):
        return Span(text, "day")
    t = text.strip().lower()
    if t in ("week", "weeks", "1w", "w"):
        return Span(1, "week")
    if t in ("month", "months", "1m", "m"):
        return Span(1, "month")
    m = _SPEC.match(t)
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"bad window {text!r}: use week, month, or a number of days (e.g. 14 or 14d)")
    return Span(int(m.group(1)), "day")


def windows(first: dt.date, last: dt.date, *, length: Span, step: Span | None = None) -> Iterator[tuple[dt.date, dt.date]]:
    """Windows [start, end] (both inclusive) covering ``first``..``last``, starting at a natural boundary."""
    step = step or length
    origin = length.snap(first)
    k = 0
    while True:
        start = step.add(origin, k) if k else origin
        if start > last:
            return
        yield start, length.add(start) - dt.timedelta(days=1)
        k += 1


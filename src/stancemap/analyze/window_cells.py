"""Day counts summed over runs of days, so that a timeline reads a few hundred cells, not every day.

A timeline's windows (sliding or not) cut the days into *spans*: the runs of days between
consecutive window boundaries (every window's start, and the day after its end). Each window
is then a union of consecutive spans, and what the timeline needs of a window is a sum over
its spans of sums over their days. A :class:`SpanCell` holds those sums for one
(actor, issue, stance, span):

- ``n_claims``, ``n_distinct`` and ``w``: the sums of the day cells' counts and confidence
  (``n_distinct`` is thus story-days: a story told on three days of the span counts three
  times, exactly as the per-day cells of a window add up in :func:`positions_from_cells`);
- ``weight``: the sum of the day cells' :attr:`Cell.weight`. A day's weight is not linear in
  its counts (distinct stories times mean confidence), so it is summed per day, never
  recomputed from the span's totals.

Folded by :func:`~stancemap.analyze.positions.positions_from_cells`, the span cells of a window
give the positions its day cells give (up to the order of floating-point additions). The
store computes them in SQL (:func:`stancemap.report.queries.span_counts`); :func:`span_cells`
computes them from day cells, for tests and for data already in memory.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stancemap.analyze.cells import Cell

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SpanCell(Cell):
    """A :class:`Cell` over the days ``bucket`` .. ``end`` (inclusive), its weight summed per day."""

    end: dt.date | None = None
    weight_sum: float = 0.0

    @property
    def weight(self) -> float:
        """The sum of the day cells' weights (not ``n_distinct * w / n_claims`` of the totals)."""
        return self.weight_sum


def span_bounds(wins: Iterable[tuple[dt.date, dt.date]]) -> list[dt.date]:
    """The boundaries of the spans of inclusive windows ``wins``: each start and each end's next day, sorted.

    Span ``j`` is the days ``bounds[j]`` .. ``bounds[j + 1] - 1``; days outside ``bounds[0]`` ..
    ``bounds[-1] - 1`` (and the days between windows, when the step exceeds the length) are in
    no window.
    """
    return sorted({d for start, end in wins for d in (start, end + _ONE_DAY)})


def span_cells(cells: Iterable[Cell], bounds: Sequence[dt.date]) -> list[SpanCell]:
    """Fold day cells (``bucket`` set) into span cells, in (actor, issue, stance, span) order."""
    acc: dict[tuple, list] = {}
    for c in sorted(cells, key=lambda c: c.bucket):
        j = bisect.bisect_right(bounds, c.bucket)
        if 0 < j < len(bounds):
            slot = acc.setdefault((c.actor, c.issue, c.stance, j), [0, 0, 0.0, 0.0])
            slot[0] += c.n_claims
            slot[1] += c.n_distinct
            slot[2] += c.w
            slot[3] += c.weight
    return [SpanCell(a, i, s, n, nd, w, bounds[j - 1], end=bounds[j] - _ONE_DAY, weight_sum=ws)
            for (a, i, s, j), (n, nd, w, ws) in sorted(acc.items())]


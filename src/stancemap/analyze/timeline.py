"""Divergence of two actors over time, per sliding window, with change points (ruptures).

Each window folds the cells inside it (daily cells, or the day counts summed per span of days
that the store computes in SQL, see :mod:`stancemap.analyze.window_cells`) into positions and
computes the divergence index (overall and by issue) with its bootstrap interval;
``divergence`` is ``None`` where the two share no issue. Change points are searched on the
series of non-null windows with ruptures' PELT (l2 cost); for each, the issues whose
divergence moved most are its drivers and their quotes from the first window after the
change are its claims.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

from stancemap.analyze.cells import Basis, Cell, Evidence, as_basis
from stancemap.analyze.divergence import divergence
from stancemap.analyze.positions import positions_from_cells
from stancemap.analyze.windows import Span, parse_span, windows


class ClaimRef(BaseModel):
    """A quote behind a change, with what it said."""

    article_id: str
    actor: str
    issue: str
    stance: str
    quote: str
    date: dt.date
    source: str = ""


class Window(BaseModel):
    start: dt.date
    end: dt.date
    divergence: float | None
    low: float | None
    high: float | None
    issues: int
    claims: int
    by_issue: dict[str, float]


class ChangePoint(BaseModel):
    date: dt.date
    before: float
    after: float
    issues: list[str]
    claims: list[ClaimRef] = []


class Timeline(BaseModel):
    a: str
    b: str
    window: str
    step: str
    windows: list[Window]
    change_points: list[ChangePoint]

    def trend(self) -> float | None:
        """Least-squares slope of divergence per window (over non-null windows), or None."""
        ys = [w.divergence for w in self.windows if w.divergence is not None]
        if len(ys) < 2:
            return None
        return float(np.polyfit(np.arange(len(ys)), ys, 1)[0])


def _cell_date(c: Cell) -> dt.date:
    if c.bucket is None:
        raise ValueError("timeline needs cells bucketed by day (stance_counts(..., bucket='day'))")
    return c.bucket


def _window(cells: Sequence[Cell], dates: list[dt.date], start: dt.date, end: dt.date, a: str, b: str,
            resamples: int, seed: int) -> Window:
    inside = cells[bisect.bisect_left(dates, start):bisect.bisect_right(dates, end)]
    pos = positions_from_cells(inside)
    pa = {i: p for (x, i), p in pos.items() if x == a}
    pb = {i: p for (x, i), p in pos.items() if x == b}
    d = divergence(pa, pb, resamples=resamples, seed=seed)
    return Window(start=start, end=end, divergence=d.value, low=d.low, high=d.high, issues=d.n_issues,
                  claims=d.n_claims, by_issue=d.by_issue)


def default_penalty(signal: np.ndarray) -> float:
    """BIC-like penalty 2 log(n) sigma^2, sigma from the median absolute first difference."""
    n = len(signal)
    sigma = np.median(np.abs(np.diff(signal))) / (0.6745 * np.sqrt(2)) if n > 1 else 0.0
    return float(2 * np.log(max(n, 2)) * max(sigma, 0.02) ** 2)


def change_indices(signal: Sequence[float], *, penalty: float | None = None, min_size: int = 2) -> list[int]:
    """Indices where a new segment starts, by PELT (l2) on ``signal``; none for short series."""
    import ruptures

    x = np.asarray(signal, dtype=float)
    if len(x) < 2 * min_size:
        return []
    pen = default_penalty(x) if penalty is None else penalty
    ends = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(x.reshape(-1, 1)).predict(pen=pen)
    return [e for e in ends if e < len(x)]


def _drivers(before: Sequence[Window], after: Sequence[Window], top: int = 3) -> list[str]:
    def mean_by_issue(ws):
        acc: dict[str, list[float]] = {}
        for w in ws:
            for i, v in w.by_issue.items():
                acc.setdefault(i, []).append(v)
        return {i: float(np.mean(v)) for i, v in acc.items()}

    mb, ma = mean_by_issue(before), mean_by_issue(after)
    moved = {i: abs(ma.get(i, 0.0) - mb.get(i, 0.0)) for i in set(mb) | set(ma)}
    return [i for i, v in sorted(moved.items(), key=lambda kv: (-kv[1], kv[0])) if v > 0][:top]


def _change_points(ws: list[Window], penalty: float | None) -> list[ChangePoint]:
    valid = [w for w in ws if w.divergence is not None]
    cuts = change_indices([w.divergence for w in valid], penalty=penalty)
    bounds = [0, *cuts, len(valid)]
    out = []
    for k, cut in enumerate(cuts):
        before, after = valid[bounds[k]:cut], valid[cut:bounds[k + 2]]
        out.append(ChangePoint(date=valid[cut].start, before=float(np.mean([w.divergence for w in before])),
                               after=float(np.mean([w.divergence for w in after])),
                               issues=_drivers(before, after)))
    return out


def change_window(tl: Timeline, cp: ChangePoint) -> tuple[dt.date, dt.date]:
    """The first window after a change point: where its claims are taken from."""
    w = next(w for w in tl.windows if w.start == cp.date)
    return w.start, w.end


def attach_claims(tl: Timeline, evidence: Sequence[Evidence], *, per_issue: int = 2) -> Timeline:
    """Fill each change point's claims: A's and B's quotes on its driving issues, just after it."""
    points = []
    for cp in tl.change_points:
        start, end = change_window(tl, cp)
        picked = []
        for issue in cp.issues:
            for actor in (tl.a, tl.b):
                hits = [e for e in evidence if e.issue == issue and e.actor == actor and start <= e.date <= end]
                picked += [ClaimRef(article_id=e.article_id, actor=e.actor, issue=e.issue, stance=e.stance,
                                    quote=e.quote, date=e.date, source=e.source) for e in hits[:per_issue]]
        points.append(cp.model_copy(update={"claims": picked}))
    return tl.model_copy(update={"change_points": points})


def spans_of(window: Span | str | int, step: Span | str | int | None) -> tuple[Span, Span]:
    """The window's length and the step between windows (the length when no step is given)."""
    length = parse_span(window) if isinstance(window, str | int) else window
    stride = (parse_span(step) if isinstance(step, str | int) else step) or length
    return length, stride


def timeline(data: Basis | Sequence, a: str, b: str, *, window: Span | str = "month", step: Span | str | None = None,
             since: dt.date | None = None, until: dt.date | None = None, penalty: float | None = None,
             resamples: int = 500, seed: int = 0) -> Timeline:
    """Divergence of ``a`` and ``b`` per window, and its change points. ``data``: day-bucketed Basis or claims."""
    length, stride = spans_of(window, step)
    basis = as_basis(data, since=since, until=until, actors=[a, b], bucket=lambda d: d, per_cell=10**6)
    cells = [c for c in basis.cells if c.actor in (a, b)]
    dates = sorted(_cell_date(c) for c in cells)
    wins = list(windows(since or dates[0], until or dates[-1], length=length, step=stride)) if dates else []
    tl = timeline_of_cells(cells, wins, a, b, window=length, step=stride, penalty=penalty, resamples=resamples,
                           seed=seed)
    return attach_claims(tl, basis.evidence)


def timeline_of_cells(cells: Sequence[Cell], wins: Sequence[tuple[dt.date, dt.date]], a: str, b: str, *,
                      window: Span, step: Span, penalty: float | None = None, resamples: int = 500,
                      seed: int = 0) -> Timeline:
    """The timeline over the windows ``wins`` of cells bucketed by day, or by span of days.

    A span cell (:class:`~stancemap.analyze.window_cells.SpanCell`) must lie wholly inside
    or wholly outside each window: the spans of ``span_bounds(wins)`` do. Its ``bucket`` (the
    span's first day) places it. No quotes are attached (see :func:`attach_claims`).
    """
    cells = sorted((c for c in cells if c.actor in (a, b)), key=_cell_date)
    dates = [c.bucket for c in cells]
    ws = [_window(cells, dates, s, e, a, b, resamples, seed) for s, e in wins]
    return Timeline(a=a, b=b, window=str(window), step=str(step), windows=ws, change_points=_change_points(ws, penalty))

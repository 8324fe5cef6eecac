"""Coalitions: communities of the congruence-minus-conflict graph, and what binds and splits them."""

from __future__ import annotations

import datetime as dt

from stancemap.analyze.cells import Basis, Cell
from stancemap.analyze.coalitions import coalitions


def two_camps(bucket=None) -> list[Cell]:
    out = []
    for a in ("A", "B"):
        out += [Cell(a, "x", "support", 1, 1, 1.0, bucket), Cell(a, "y", "support", 1, 1, 1.0, bucket)]
    for a in ("C", "D"):
        out += [Cell(a, "x", "oppose", 1, 1, 1.0, bucket), Cell(a, "y", "oppose", 1, 1, 1.0, bucket)]
    return out


def test_two_camps_bound_and_split():
    [w] = coalitions(Basis(cells=tuple(two_camps()))).windows
    assert [g.actors for g in w.groups] == [["A", "B"], ["C", "D"]]
    ab = w.groups[0]
    assert [(b.issue, b.stance, b.actors) for b in ab.binds] == [("x", "support", ["A", "B"]),
                                                                 ("y", "support", ["A", "B"])]
    assert [(s.issue, s.stance, s.other, s.other_stance) for s in ab.splits] == [
        ("x", "support", ["C", "D"], "oppose"), ("y", "support", ["C", "D"], "oppose")]


def test_per_window_groups_change():
    jan, feb = dt.date(2024, 1, 5), dt.date(2024, 2, 5)
    # In February B switches sides on both issues.
    feb_cells = [Cell(c.actor, c.issue, ("oppose" if c.actor == "B" else c.stance), 1, 1, 1.0, feb)
                 for c in two_camps()]
    co = coalitions(Basis(cells=tuple(two_camps(jan) + feb_cells)), window="month")
    assert co.window == "month"
    assert [w.start for w in co.windows] == [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
    assert [g.actors for g in co.windows[0].groups] == [["A", "B"], ["C", "D"]]
    assert [g.actors for g in co.windows[1].groups] == [["B", "C", "D"], ["A"]]

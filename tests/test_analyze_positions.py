"""Net positions and the actors-by-issues matrix."""

from __future__ import annotations

import math

import pytest

from stancemap.analyze.cells import Basis, Cell
from stancemap.analyze.positions import matrix, net_score, positions, stance_label


def test_net_score_and_label():
    assert net_score(3.0, 1.0) == pytest.approx(0.5)
    assert net_score(0.0, 0.0, 1, 3) == pytest.approx(-0.5)  # zero confidence: by counts
    assert net_score(0.0, 0.0) == 0.0
    assert [stance_label(x) for x in (0.2, -0.2, 0.0)] == ["support", "oppose", "mixed"]


def test_positions_from_cells_fold_buckets_and_count_distinct():
    # weight = distinct stories x mean confidence: 2 x (1.2 / 3) = 0.8 support; 1 x 0.4 = 0.4 oppose
    cells = (Cell("USA", "x", "support", 3, 2, 1.2), Cell("USA", "x", "oppose", 1, 1, 0.4))
    [p] = positions(Basis(cells=cells))
    assert (p.support, p.oppose, p.n_claims) == (2, 1, 4)
    assert p.net == pytest.approx((0.8 - 0.4) / 1.2)
    assert p.stance == "support"


def test_matrix_values_and_gaps():
    cells = (Cell("USA", "x", "support", 1, 1, 1.0), Cell("ISR", "x", "oppose", 1, 1, 1.0),
             Cell("ISR", "y", "support", 1, 1, 1.0))
    m = matrix(Basis(cells=cells), actors=["USA", "ISR"])
    assert list(m.index) == ["USA", "ISR"] and list(m.columns) == ["x", "y"]
    assert m.loc["USA", "x"] == 1.0 and m.loc["ISR", "x"] == -1.0 and m.loc["ISR", "y"] == 1.0
    assert math.isnan(m.loc["USA", "y"])
    assert list(matrix(Basis(cells=cells), issues=["y"]).index) == ["ISR"]

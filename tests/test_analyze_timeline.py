"""Divergence over time: windows, null windows, change points and their claims."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.analyze.timeline import change_indices, timeline
from stancemap.analyze.windows import Span, parse_span, windows
from stancemap.model import Claim


def claim(actor, issue, stance, date, text=None) -> Claim:
    text = text or f"{actor} on {issue} {stance} {date}"
    return Claim(article_id=f"a{date}", date=date, actor=actor, issue=issue, stance=stance, evidence=text,
                 start=0, end=len(text), confidence=1.0)


def month(m: int, day: int = 10) -> dt.date:
    return dt.date(2024, m, day)


def test_parse_span():
    assert parse_span("week") == Span(1, "week")
    assert parse_span("month") == Span(1, "month")
    assert parse_span("14") == parse_span("14d") == parse_span("14 days") == Span(14, "day")
    with pytest.raises(ValueError):
        parse_span("fortnight")


def test_windows_calendar_months_and_sliding_days():
    ws = list(windows(dt.date(2024, 1, 15), dt.date(2024, 3, 2), length=Span(1, "month")))
    assert ws == [(dt.date(2024, 1, 1), dt.date(2024, 1, 31)), (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
                  (dt.date(2024, 3, 1), dt.date(2024, 3, 31))]
    ws = list(windows(dt.date(2024, 1, 1), dt.date(2024, 1, 10), length=Span(7, "day"), step=Span(3, "day")))
    assert [s.day for s, _ in ws] == [1, 4, 7, 10] and ws[0][1] == dt.date(2024, 1, 7)


def test_monthly_divergence_and_null_window():
    claims = [
        claim("USA", "x", "support", month(1)), claim("ISR", "x", "support", month(1)),   # 0
        claim("USA", "x", "support", month(2)), claim("ISR", "x", "oppose", month(2)),    # 1
        claim("USA", "x", "support", month(3)), claim("ISR", "y", "oppose", month(3)),    # no shared issue
    ]
    tl = timeline(claims, "USA", "ISR", window="month")
    assert [w.start for w in tl.windows] == [month(1, 1), month(2, 1), month(3, 1)]
    assert [w.divergence for w in tl.windows] == [0.0, 1.0, None]
    assert [(w.issues, w.claims) for w in tl.windows] == [(1, 2), (1, 2), (0, 0)]
    assert tl.windows[1].by_issue == {"x": 1.0}
    data = tl.model_dump(mode="json")
    assert set(data) == {"a", "b", "window", "step", "windows", "change_points"}
    assert data["windows"][2]["divergence"] is None


def test_change_point_with_the_claims_behind_it():
    claims = []
    for m in (1, 2, 3):
        claims += [claim("USA", "x", "support", month(m)), claim("ISR", "x", "support", month(m))]
    for m in (4, 5, 6):
        claims += [claim("USA", "x", "support", month(m)), claim("ISR", "x", "oppose", month(m))]
    tl = timeline(claims, "USA", "ISR", window="month")
    [cp] = tl.change_points
    assert cp.date == month(4, 1) and (cp.before, cp.after) == (0.0, 1.0)
    assert cp.issues == ["x"]
    assert {(c.actor, c.stance, c.date) for c in cp.claims} == {("USA", "support", month(4)),
                                                                 ("ISR", "oppose", month(4))}
    assert tl.trend() > 0


def test_no_change_point_on_a_flat_or_short_series():
    assert change_indices([0.5] * 8) == []
    assert change_indices([0.0, 1.0, 0.0]) == []
    assert change_indices([0.0, 0.0, 0.0, 1.0, 1.0, 1.0]) == [3]

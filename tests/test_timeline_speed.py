"""The fast timeline (day counts summed per span of days in SQL) gives the slow one's answer.

``timeline_from_store`` reads a few hundred span rows; ``timeline_by_day`` reads every day's
cells and folds them in Python, as the timeline always did. On a hand-made store of a few
hundred claims (stories reprinted within and across days, several codebook-less and rejected
claims, a quiet stretch), on SQLite and PostgreSQL, both give the same windows, divergences,
bands and change points. Floats are compared to 1e-12: the two add the same per-day figures,
but not always in the same order.
"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest

from stancemap.analyze.cells import Cell
from stancemap.analyze.positions import positions_from_cells
from stancemap.analyze.timeline import timeline_of_cells
from stancemap.analyze.window_cells import SpanCell, span_bounds, span_cells
from stancemap.analyze.windows import Span, windows
from stancemap.model import Actor, Article, Claim, Codebook, Issue
from stancemap.report.data import timeline_by_day, timeline_from_store
from stancemap.store import Store
from stancemap.report import queries as q

BOOK = Codebook(name="speed", actors=tuple(Actor(id=a, name=a) for a in ("USA", "ISR", "EGY")),
                issues=tuple(Issue(id=i, label=i.title()) for i in ("truce", "aid", "hostages", "rafah", "border")))
START, ONE = dt.date(2024, 1, 1), dt.timedelta(days=1)


def _claims(seed: int = 7) -> list[tuple[Article, list[Claim]]]:
    """About 400 claims over 200 days (none in days 90-119), 30 articles a month, stories told again."""
    rng = random.Random(seed)
    stories = [f"Story {k} about the talks." for k in range(40)]
    out = []
    for n in range(140):
        day = START + dt.timedelta(days=rng.choice([d for d in range(200) if not 90 <= d < 120]))
        art = Article(id=f"art{n:03d}", date=day, source=rng.choice(["BBC", "AP", "NYT"]), text=f"Article {n}.")
        cs = []
        for j in range(rng.randint(1, 5)):
            ev = rng.choice(stories)
            if rng.random() < 0.3:
                ev = ev.upper().replace(" ", "  ")  # the same story, reprinted
            cs.append(Claim(article_id=art.id, date=day, actor=rng.choice(["USA", "ISR", "EGY"]),
                            issue=rng.choice([None, "truce", "aid", "hostages", "rafah", "border"]),
                            stance=rng.choice(["support", "oppose"]), evidence=ev, start=j * 100,
                            end=j * 100 + len(ev), confidence=rng.choice([0.0, 0.3, 0.55, 0.8, 0.95])))
        out.append((art, cs))
    return out


@pytest.fixture
def filled(store: Store) -> Store:
    fp = store.save_codebook(BOOK)
    results = _claims()
    store.add_articles(SimpleNamespace(error=None, article=a) for a, _ in results)
    store.save_extractions(fp, "s1", results)
    rejected = [c for c in store.claims() if c["issue"] is not None][::9]
    for c in rejected:
        store.set_status(c["id"], "rejected")
    assert len(store.claims(mapped_only=False, include_rejected=True)) > 300
    return store


def assert_same(fast, slow, path="timeline"):
    """Equal, floats to 1e-12 (sums of the same terms, added in another order)."""
    if isinstance(slow, dict):
        assert fast.keys() == slow.keys(), path
        for k in slow:
            assert_same(fast[k], slow[k], f"{path}.{k}")
    elif isinstance(slow, list):
        assert len(fast) == len(slow), path
        for k, (x, y) in enumerate(zip(fast, slow)):
            assert_same(x, y, f"{path}[{k}]")
    elif isinstance(slow, float):
        assert fast == pytest.approx(slow, rel=1e-12, abs=1e-12), path
    else:
        assert fast == slow, path


CASES = {
    "month": dict(window="month"),
    "week": dict(window="week"),
    "sliding-10d-by-3d": dict(window="10", step="3"),
    "sliding-month-by-week": dict(window="month", step="week"),
    "gaps-7d-every-month": dict(window="7", step="month"),
    "since-until": dict(window="14", since=dt.date(2024, 2, 3), until=dt.date(2024, 6, 10)),
    "since-only": dict(window="month", since=dt.date(2024, 3, 15)),
    "nothing-in-range": dict(window="month", since=dt.date(2025, 1, 1)),
}


@pytest.mark.parametrize("pair", [("USA", "ISR"), ("EGY", "USA")], ids="-".join)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_fast_timeline_equals_the_day_by_day_one(filled, case, pair):
    fast = timeline_from_store(filled, *pair, **case)
    slow = timeline_by_day(filled, *pair, **case)
    assert_same(fast.model_dump(mode="json"), slow.model_dump(mode="json"))
    if case is CASES["nothing-in-range"]:
        assert slow.windows == []


def test_the_fixture_exercises_change_points_and_null_windows(filled):
    tl = timeline_by_day(filled, "USA", "ISR", window="week")
    assert any(w.divergence is None for w in tl.windows) and any(w.divergence for w in tl.windows)
    assert timeline_by_day(filled, "USA", "ISR", window="10", step="3", penalty=0.01).change_points
    assert_same(timeline_from_store(filled, "USA", "ISR", window="10", step="3", penalty=0.01).model_dump(mode="json"),
                timeline_by_day(filled, "USA", "ISR", window="10", step="3", penalty=0.01).model_dump(mode="json"))


def test_span_counts_equal_day_cells_folded_in_python(filled):
    f = dict(codebook=filled.latest_codebook(), actors=["USA", "ISR"], issues=None, since=None, until=None)
    first, last = q.day_range(filled, **f)
    bounds = span_bounds(windows(first, last, length=Span(10, "day"), step=Span(4, "day")))
    by_day = span_cells(q.stance_counts(filled, bucket="day", **f), bounds)
    in_sql = q.span_counts(filled, bounds=bounds, **f)
    assert [(c.actor, c.issue, c.stance, c.bucket, c.end, c.n_claims, c.n_distinct) for c in in_sql] == \
           [(c.actor, c.issue, c.stance, c.bucket, c.end, c.n_claims, c.n_distinct) for c in by_day]
    assert [c.weight for c in in_sql] == pytest.approx([c.weight for c in by_day], rel=1e-12)
    assert [c.w for c in in_sql] == pytest.approx([c.w for c in by_day], rel=1e-12)


def test_a_span_cell_weighs_its_days_not_its_totals():
    # day 1: 2 claims of 1 story, confidence 0.9 + 0.1 (weight 1 x 0.5); day 2: 1 claim at 1.0 (weight 1)
    days = [Cell("USA", "x", "support", 2, 1, 1.0, START), Cell("USA", "x", "support", 1, 1, 1.0, START + ONE)]
    (span,) = span_cells(days, [START, START + 7 * ONE])
    assert isinstance(span, SpanCell) and (span.bucket, span.end) == (START, START + 6 * ONE)
    assert (span.n_claims, span.n_distinct, span.w, span.weight) == (3, 2, 2.0, 1.5)  # not 2 x 2.0 / 3
    assert positions_from_cells([span]) == positions_from_cells(days)


def test_timeline_of_cells_without_windows_is_empty():
    tl = timeline_of_cells([], [], "USA", "ISR", window=Span(1, "month"), step=Span(1, "month"))
    assert tl.windows == [] and tl.change_points == []

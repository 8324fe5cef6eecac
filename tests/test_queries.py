"""SQL aggregation queries, on a fresh SQLite database per test."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from stancemap.analyze.cells import Cell
from stancemap.analyze.compare import compare
from stancemap.errors import UnknownActor
from stancemap.model import Actor, Article, Claim, Codebook, Issue
from stancemap.report.data import compare_from_store
from stancemap.store import Store
from stancemap.report import queries as q

BOOK = Codebook(name="t", actors=(Actor(id="USA", name="United States"), Actor(id="ISR", name="Israel")),
                issues=(Issue(id="x", label="Issue X"), Issue(id="y", label="Issue Y")))


def seed(store: Store, rows: list[tuple]) -> str:
    """rows: (article_id, source, date, actor, issue, stance, evidence, confidence)."""
    fp = store.save_codebook(BOOK)
    arts = {}
    for art, src, date, *_ in rows:
        arts[art] = Article(id=art, date=date, source=src, text=f"text of {art}")
    store.add_articles(SimpleNamespace(error=None, article=a) for a in arts.values())
    results = []
    for art, a in arts.items():
        cs = [Claim(article_id=art, date=date, actor=actor, issue=issue, stance=stance, evidence=ev, start=0,
                    end=len(ev), confidence=conf)
              for (ar, _, date, actor, issue, stance, ev, conf) in rows if ar == art]
        results.append((a, cs))
    store.save_extractions(fp, "t1", results)
    return fp


ROWS = [
    ("bbc1", "BBC", dt.date(2024, 1, 3), "USA", "x", "support", "We back X.", 0.8),
    ("nyt1", "NYT", dt.date(2024, 1, 4), "USA", "x", "support", "We back X.", 0.6),        # a reprint
    ("bbc2", "BBC", dt.date(2024, 1, 8), "USA", "x", "oppose", "We do not back X.", 0.5),
    ("bbc2", "BBC", dt.date(2024, 1, 8), "ISR", "x", "oppose", "Israel rejects X.", 0.9),
    ("bbc3", "BBC", dt.date(2024, 2, 1), "ISR", "y", "support", "Israel wants Y.", 0.7),
]


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'q.db'}")
    seed(s, ROWS)
    return s


def by_key(cells):
    return {(c.actor, c.issue, c.stance, c.bucket): (c.n_claims, c.n_distinct, round(c.w, 6)) for c in cells}


def test_stance_counts_distinct_stories_and_weights(store):
    got = by_key(q.stance_counts(store, codebook=store.latest_codebook()))
    assert got == {("USA", "x", "support", None): (2, 1, 1.4), ("USA", "x", "oppose", None): (1, 1, 0.5),
                   ("ISR", "x", "oppose", None): (1, 1, 0.9), ("ISR", "y", "support", None): (1, 1, 0.7)}


def test_buckets_week_and_month(store):
    weeks = by_key(q.stance_counts(store, actors=["USA"], bucket="week"))
    # 2024-01-03 (Wed) and 01-04 fall in the week of Monday 01-01; 01-08 is a Monday
    assert weeks == {("USA", "x", "support", dt.date(2024, 1, 1)): (2, 1, 1.4),
                     ("USA", "x", "oppose", dt.date(2024, 1, 8)): (1, 1, 0.5)}
    months = by_key(q.stance_counts(store, actors=["ISR"], bucket="month"))
    assert months == {("ISR", "x", "oppose", dt.date(2024, 1, 1)): (1, 1, 0.9),
                      ("ISR", "y", "support", dt.date(2024, 2, 1)): (1, 1, 0.7)}
    days = q.stance_counts(store, issues=["y"], bucket="day")
    assert days == [Cell("ISR", "y", "support", 1, 1, 0.7, dt.date(2024, 2, 1))]


def test_filters_and_rejected_claims(store):
    assert by_key(q.stance_counts(store, since=dt.date(2024, 1, 5), until=dt.date(2024, 1, 31))) == {
        ("USA", "x", "oppose", None): (1, 1, 0.5), ("ISR", "x", "oppose", None): (1, 1, 0.9)}
    [rid] = [r["id"] for r in store.claims() if r["evidence"] == "Israel wants Y."]
    store.set_status(rid, "rejected")
    assert ("ISR", "y", "support", None) not in by_key(q.stance_counts(store))


def test_top_evidence_most_confident_and_no_reprints(store):
    ev = q.top_evidence(store, actors=["USA"], per_cell=3)
    assert [(e.stance, e.article_id, e.source) for e in ev] == [("support", "bbc1", "BBC"),
                                                                 ("oppose", "bbc2", "BBC")]
    assert ev[0].date == dt.date(2024, 1, 3) and ev[0].quote == "We back X."


def test_count_articles_and_actors(store):
    assert q.count_articles(store) == 4
    assert q.count_articles(store, actors=["ISR"]) == 2
    assert q.has_actor(store, "USA") and not q.has_actor(store, "EGY")
    assert q.actors_with_claims(store) == ["ISR", "USA"]


def test_compare_from_store_matches_compare_on_claims(store):
    from_store = compare_from_store(store, "USA", "ISR")
    from_claims = compare(store.claims(), "USA", "ISR")
    assert from_store.model_dump(exclude={"labels"}) == from_claims.model_dump(exclude={"labels"})
    # USA on x: support 1 story x 0.7 mean confidence, oppose 1 x 0.5 -> net 0.2/1.2; ISR -1
    assert from_store.divergence == pytest.approx(abs(0.2 / 1.2 + 1) / 2)
    assert from_store.labels == {"x": "Issue X", "y": "Issue Y"}


def test_unknown_actor_lists_known(store):
    with pytest.raises(UnknownActor, match="known actors: ISR, USA"):
        compare_from_store(store, "USA", "NOPE")

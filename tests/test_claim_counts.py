"""The day counts (``claim_counts``) stay equal to a recount from ``claims`` after every write.

Runs on SQLite and PostgreSQL (the ``store`` fixture). A recount here is plain Python over
``Store.claims``; the analyses' own counting (``cells.count_cells``) checks ``stance_counts``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, inspect, select

from conftest import make_articles, records
from stancemap.analyze.cells import _norm_quote, count_cells
from stancemap.jobs import extract_store
from stancemap.model import Article, Claim
from stancemap.store import Store
from stancemap.report import queries as q
from stancemap.store.counts import Touched, normalise, rebuild_claim_counts, refresh_counts, story_hash
from stancemap.store.schema import articles as articles_t
from stancemap.store.schema import claim_counts, claims

D1, D2, D3 = dt.date(2024, 1, 3), dt.date(2024, 1, 4), dt.date(2024, 2, 1)


def stored_counts(store: Store) -> dict[tuple, tuple]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(claim_counts)).all()
    return {(r.codebook, r.actor, r.issue, r.stance, r.day): (r.n_claims, r.n_stories, r.n_new_stories,
                                                              round(r.w_sum, 9)) for r in rows}


def recount(store: Store) -> dict[tuple, tuple]:
    """What claim_counts must hold, counted in Python from every countable claim."""
    kept = store.claims()  # not rejected, issue set
    first: dict[tuple, dt.date] = {}
    for c in kept:
        story = (c["codebook"], c["actor"], c["issue"], c["stance"], _norm_quote(c["evidence"]))
        first[story] = min(first.get(story, c["date"]), c["date"])
    acc: dict[tuple, list] = defaultdict(lambda: [0, set(), set(), 0.0])
    for c in kept:
        quote = _norm_quote(c["evidence"])
        slot = acc[(c["codebook"], c["actor"], c["issue"], c["stance"], c["date"])]
        slot[0] += 1
        slot[1].add(quote)
        if first[(c["codebook"], c["actor"], c["issue"], c["stance"], quote)] == c["date"]:
            slot[2].add(quote)
        slot[3] += c["confidence"]
    return {k: (n, len(s), len(new), round(w, 9)) for k, (n, s, new, w) in acc.items()}


def check(store: Store) -> dict[tuple, tuple]:
    got = stored_counts(store)
    assert got == recount(store)
    return got


def add(store: Store, rows: list[tuple], *, version: str = "1", codebook: str = "cb") -> None:
    """rows: (article_id, date, actor, issue, stance, evidence, confidence); one article per id."""
    arts = {}
    for art, date, *_ in rows:
        arts.setdefault(art, Article(id=art, date=date, source="S", text=f"text of {art} {uuid.uuid4().hex}"))
    store.add_articles(records(arts.values()))
    results = []
    for art, a in arts.items():
        cs = [Claim(article_id=art, date=date, actor=actor, issue=issue, stance=stance, evidence=ev,
                    start=n, end=n + len(ev), confidence=conf, extractor="t", extractor_version=version)
              for n, (ar, date, actor, issue, stance, ev, conf) in enumerate(rows) if ar == art]
        results.append((a, cs))
    store.save_extractions(codebook, version, results)


def claim_id(store: Store, **match) -> int:
    [cid] = [c["id"] for c in store.claims(include_rejected=True, mapped_only=False)
             if all(c[k] == v for k, v in match.items())]
    return cid


# ------------------------------------------------------------------- writes
def test_counts_after_extraction(store, extractor):
    store.add_articles(records(make_articles(copies=2)))  # every story reprinted (same day, new text)
    report = extract_store(store, extractor, batch=5)
    got = check(store)
    assert report.claims > 0 and got
    assert sum(n for n, *_ in got.values()) == len(store.claims())
    assert any(n > stories for n, stories, *_ in got.values())  # reprints counted once


def test_reprints_on_the_same_day_count_once(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("nyt", D1, "USA", "x", "support", "we  BACK\tx.", 0.6),  # the same story, respaced
                ("ap", D1, "USA", "x", "support", "We back Y.", 0.5)])
    assert check(store) == {("cb", "USA", "x", "support", D1): (3, 2, 2, 1.9)}


def test_a_reprint_on_a_later_day_is_one_story_over_the_period(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("nyt", D2, "USA", "x", "support", "We back X.", 0.6)])
    assert check(store) == {("cb", "USA", "x", "support", D1): (1, 1, 1, 0.8),
                            ("cb", "USA", "x", "support", D2): (1, 1, 0, 0.6)}
    [whole] = q.stance_counts(store)
    assert (whole.n_claims, whole.n_distinct) == (2, 1)
    assert [c.n_distinct for c in q.stance_counts(store, bucket="day")] == [1, 1]
    # rejecting the first telling makes the reprint's day the story's first
    store.set_status(claim_id(store, article_id="bbc"), "rejected")
    assert check(store) == {("cb", "USA", "x", "support", D2): (1, 1, 1, 0.6)}


def test_a_new_extractor_version_replaces_machine_claims_and_their_counts(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("bbc", D1, "ISR", "x", "oppose", "Israel rejects X.", 0.9),
                ("nyt", D2, "USA", "x", "support", "We back X.", 0.6)])
    store.set_status(claim_id(store, actor="ISR"), "accepted")  # reviewed: kept
    add(store, [("bbc", D1, "USA", "y", "oppose", "We oppose Y.", 0.7)], version="2")
    got = check(store)
    assert ("cb", "USA", "x", "support", D1) not in got  # the old machine claim is gone
    assert got[("cb", "USA", "x", "support", D2)] == (1, 1, 1, 0.6)  # so the reprint is now the first
    assert got[("cb", "ISR", "x", "oppose", D1)] == (1, 1, 1, 0.9)
    assert got[("cb", "USA", "y", "oppose", D1)] == (1, 1, 1, 0.7)


def test_reject_and_edit_move_counts(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("bbc", D1, "USA", "x", "oppose", "We doubt X.", 0.5),
                ("nyt", D3, "ISR", "y", "support", "Israel wants Y.", 0.7)])
    store.set_status(claim_id(store, stance="oppose"), "rejected")
    assert ("cb", "USA", "x", "oppose", D1) not in check(store)
    store.set_status(claim_id(store, stance="oppose"), "accepted")  # un-rejected
    assert check(store)[("cb", "USA", "x", "oppose", D1)] == (1, 1, 1, 0.5)
    store.set_status(claim_id(store, actor="ISR"), "edited", issue="x", stance="oppose")
    got = check(store)
    assert ("cb", "ISR", "y", "support", D3) not in got
    assert got[("cb", "ISR", "x", "oppose", D3)] == (1, 1, 1, 0.7)


def test_unmapped_claims_are_not_counted(store):
    add(store, [("bbc", D1, "USA", None, "support", "We back it.", 0.8)])
    assert check(store) == {}
    store.set_status(claim_id(store, actor="USA"), "edited", issue="x")
    assert check(store) == {("cb", "USA", "x", "support", D1): (1, 1, 1, 0.8)}


def test_rebuild_gives_what_the_writes_kept(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("nyt", D2, "USA", "x", "support", "We back X.", 0.6),
                ("ap", D3, "ISR", "y", "oppose", "No to Y.", 0.4)])
    store.set_status(claim_id(store, actor="ISR"), "edited", stance="support")
    kept = check(store)
    assert rebuild_claim_counts(store.engine) == len(kept)
    assert stored_counts(store) == kept


def test_story_normalisation_is_the_analyses():
    for text in ["We back X.", "  we  BACK\nx. ", "Straße", "İstanbul said no."]:
        assert normalise(text) == _norm_quote(text)


def test_two_writers_counting_one_story_take_turns(store):
    """Two open transactions tell the same story on two days; the later commit counts both."""
    store.add_articles(records([Article(id="a1", date=D2, text="one"), Article(id="a2", date=D1, text="two")]))
    ev = "We back X."

    def write(conn, art: str, day: dt.date) -> None:
        conn.execute(insert(claims), [dict(article_id=art, codebook="cb", date=day, actor="USA", issue="x",
                                           stance="support", evidence=ev, ev_start=0, ev_end=len(ev),
                                           confidence=0.5, extractor="t", extractor_version="1",
                                           evidence_hash=story_hash(ev))])
        refresh_counts(conn, [Touched("cb", "USA", "x", "support", day, story_hash(ev))])

    def second() -> None:
        with store.engine.begin() as conn:
            write(conn, "a2", D1)

    with store.engine.connect() as first:
        tx = first.begin()
        write(first, "a1", D2)
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.5)
        assert other.is_alive()  # waiting for the first to finish
        tx.commit()
    other.join(timeout=30)
    assert check(store) == {("cb", "USA", "x", "support", D1): (1, 1, 1, 0.5),
                            ("cb", "USA", "x", "support", D2): (1, 1, 0, 0.5)}


# ---------------------------------------------------------------- migration
def test_migration_backfills_an_existing_database(store_url):
    s = Store.open(store_url, migrate=False)
    s.migrate("0001")
    assert "claim_counts" not in inspect(s.engine).get_table_names()
    base = dict(codebook="cb", ev_end=9, speaker="", cue="", object="", extractor="t", extractor_version="1",
                status="machine", note="", source="S")
    with s.engine.begin() as conn:
        conn.execute(insert(articles_t), [
            {"id": a, "date": d, "source": "S", "title": "", "url": "", "text": a, "fingerprint": a * 8}
            for a, d in [("a1", D1), ("a2", D2), ("a3", D3)]])
        # the claims table as revision 0001 made it (the current one has columns added since)
        from sqlalchemy import MetaData, Table

        claims_0001 = Table("claims", MetaData(), autoload_with=conn)
        conn.execute(insert(claims_0001), [
            {**base, "article_id": "a1", "date": D1, "actor": "USA", "issue": "x", "stance": "support",
             "evidence": "We back X.", "ev_start": 0, "confidence": 0.8},
            {**base, "article_id": "a2", "date": D2, "actor": "USA", "issue": "x", "stance": "support",
             "evidence": "We back X.", "ev_start": 0, "confidence": 0.6},
            {**base, "article_id": "a2", "date": D2, "actor": "ISR", "issue": "x", "stance": "oppose",
             "evidence": "No.", "ev_start": 5, "confidence": 0.9, "status": "rejected"},
            {**base, "article_id": "a3", "date": D3, "actor": "ISR", "issue": None, "stance": "oppose",
             "evidence": "No.", "ev_start": 0, "confidence": 0.9},
        ])
    s.migrate()
    assert check(s) == {("cb", "USA", "x", "support", D1): (1, 1, 1, 0.8),
                        ("cb", "USA", "x", "support", D2): (1, 1, 0, 0.6)}
    with s.engine.connect() as conn:
        assert conn.execute(select(claims.c.id).where(claims.c.evidence_hash.is_(None))).all() == []
    assert {"ix_claims_cell", "ix_claims_story"} <= {ix["name"] for ix in inspect(s.engine).get_indexes("claims")}
    s.close()


def test_downgrade_and_upgrade_again(store):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8)])
    from alembic import command
    from alembic.config import Config
    from importlib import resources

    cfg = Config(str(resources.files("stancemap.store") / "alembic.ini"))
    cfg.set_main_option("script_location", str(resources.files("stancemap.store") / "migrations"))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert "claim_counts" not in inspect(store.engine).get_table_names()
    store.migrate()
    assert check(store) == {("cb", "USA", "x", "support", D1): (1, 1, 1, 0.8)}


# --------------------------------------------------------------- properties
_day = st.sampled_from([D1, D2, D3])
_claim = st.tuples(st.sampled_from(["USA", "ISR"]), st.sampled_from(["x", "y", None]),
                   st.sampled_from(["support", "oppose"]), _day,
                   st.sampled_from(["We back X.", "we back x.", "No to Y.", "Israel wants Y."]),
                   st.sampled_from([0.0, 0.25, 0.5, 1.0]))
_review = st.tuples(st.integers(0, 10**6), st.sampled_from(["accepted", "rejected", "edited"]),
                    st.sampled_from([None, "x", "y"]), st.sampled_from([None, "support", "oppose"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(_claim, max_size=8), second=st.lists(_claim, max_size=8),
       reviews=st.lists(_review, max_size=4))
def test_counts_equal_a_recount_after_any_writes(store, first, second, reviews):
    """Extract, review, re-extract with a new version: counts and stance_counts stay exact."""
    run = uuid.uuid4().hex[:8]
    rows = [(f"{run}-{n % 3}-{d}", d, a, i, s, ev, w) for n, (a, i, s, d, ev, w) in enumerate(first)]
    add(store, rows, codebook=run)
    mine = [c for c in store.claims(include_rejected=True, mapped_only=False) if c["codebook"] == run]
    for k, status, issue, stance in reviews:
        if mine:
            store.set_status(mine[k % len(mine)]["id"], status, issue=issue, stance=stance)
    rows2 = [(f"{run}-{n % 3}-{d}", d, a, i, s, ev, w) for n, (a, i, s, d, ev, w) in enumerate(second)]
    add(store, rows2, codebook=run, version="2")
    check(store)
    kept = [c for c in store.claims() if c["codebook"] == run]
    for since, until, bucket in [(None, None, None), (None, D2, None), (D2, None, None), (None, None, "day"),
                                 (D2, D3, "day")]:
        want = count_cells([c for c in kept if (not since or c["date"] >= since) and (not until or c["date"] <= until)],
                           bucket=(lambda d: d) if bucket else None)
        got = q.stance_counts(store, codebook=run, since=since, until=until, bucket=bucket)
        assert _cells(got) == _cells(want)


def _cells(cells) -> dict:
    return {(c.actor, c.issue, c.stance, c.bucket): (c.n_claims, c.n_distinct, round(c.w, 9)) for c in cells}


@pytest.mark.parametrize("bucket", ["week", "month"])
def test_week_and_month_buckets_count_stories_within_the_bucket(store, bucket):
    add(store, [("bbc", D1, "USA", "x", "support", "We back X.", 0.8),
                ("nyt", D2, "USA", "x", "support", "We back X.", 0.6),
                ("ap", D3, "USA", "x", "support", "We back X.", 0.5)])
    got = {c.bucket: (c.n_claims, c.n_distinct) for c in q.stance_counts(store, bucket=bucket)}
    if bucket == "week":
        assert got == {dt.date(2024, 1, 1): (2, 1), dt.date(2024, 1, 29): (1, 1)}
    else:
        assert got == {dt.date(2024, 1, 1): (2, 1), dt.date(2024, 2, 1): (1, 1)}

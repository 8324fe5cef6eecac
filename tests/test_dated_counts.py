"""Counts over a period with a start date (``stance_counts(since=...)``) are exact, from the day counts.

The distinct stories of [since, until] come from ``claim_counts`` and ``story_repeats``
(:mod:`stancemap.store.counts`) without reading the claims; here they are checked against a
brute-force count in Python straight from ``Store.claims``, after reprints across days,
reviews (rejections, edits that move a claim to another cell), re-extractions that replace
or delete machine claims, and on a store migrated from revision 0006. SQLite and PostgreSQL
(the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, Table, func, insert, inspect, select

from fastapi.testclient import TestClient

from conftest import records
from stancemap.knowledge.codebook import builtin_codebook
from stancemap.model import Article, Claim
from stancemap.report import queries as q
from stancemap.report.workbench import overview_from_store
from stancemap.store import Store
from stancemap.store.counts import normalise, rebuild_claim_counts, rebuild_day_counts, story_hash
from stancemap.store.schema import story_repeats
from stancemap.web import create_app

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=k) for k in range(0, 40, 5)]  # 8 days, 5 apart
QUOTES = ["We back X.", "we  BACK x.", "No to Y.", "Israel wants Y.", "A truce now."]


def add(store: Store, rows: list[tuple], *, codebook: str, version: str = "1", empty: tuple = (),
        source: str = "S") -> None:
    """rows: (article_id, date, actor, issue, stance, evidence, confidence); ``empty``: articles
    re-extracted with no claims (their machine claims of older versions are deleted)."""
    arts = {}
    for art, date, *_ in rows:
        arts.setdefault(art, Article(id=art, date=date, source=source, text=f"text of {art}"))
    store.add_articles(records(arts.values()))  # an id already stored is left as it is
    results = [(a, [Claim(article_id=art, date=date, actor=actor, issue=issue, stance=stance, evidence=ev,
                          start=n, end=n + len(ev), confidence=conf, extractor="t", extractor_version=version)
                    for n, (ar, date, actor, issue, stance, ev, conf) in enumerate(rows) if ar == art])
               for art, a in arts.items()]
    stored = {c["article_id"]: c["date"] for c in store.claims(codebook=codebook, include_rejected=True,
                                                               mapped_only=False)}
    results += [(Article(id=art, date=stored[art], source="S", text=f"text of {art}"), [])
                for art in dict.fromkeys(empty) if art in stored and art not in arts]
    store.save_extractions(codebook, version, results)


def brute_force(store: Store, codebook: str, since, until, actors=None, issues=None) -> dict:
    """(actor, issue, stance) -> (claims, distinct stories, summed confidence), from the claims themselves."""
    acc: dict[tuple, list] = defaultdict(lambda: [0, set(), 0.0])
    for c in store.claims(codebook=codebook):  # status not rejected, issue set
        if (since and c["date"] < since) or (until and c["date"] > until) or (actors and c["actor"] not in actors) \
                or (issues and c["issue"] not in issues):
            continue
        slot = acc[(c["actor"], c["issue"], c["stance"])]
        slot[0] += 1
        slot[1].add(normalise(c["evidence"]))
        slot[2] += c["confidence"]
    return {k: (n, len(s), round(w, 9)) for k, (n, s, w) in acc.items()}


def counted(cells) -> dict:
    return {(c.actor, c.issue, c.stance): (c.n_claims, c.n_distinct, round(c.w, 9)) for c in cells}


def stored_repeats(store: Store, codebook: str) -> set[tuple]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(story_repeats).where(story_repeats.c.codebook == codebook)).all()
    return {tuple(r) for r in rows}


def recount_repeats(store: Store, codebook: str) -> set[tuple]:
    """What story_repeats must hold: every day after a story's first in its cell."""
    days: dict[tuple, set] = defaultdict(set)
    for c in store.claims(codebook=codebook):
        days[(c["codebook"], c["actor"], c["issue"], c["stance"], story_hash(c["evidence"]))].add(c["date"])
    return {(*story, d, min(ds)) for story, ds in days.items() for d in ds if d != min(ds)}


def check(store: Store, codebook: str, periods) -> None:
    assert stored_repeats(store, codebook) == recount_repeats(store, codebook)
    for since, until, actors, issues in periods:
        got = q.stance_counts(store, codebook=codebook, since=since, until=until, actors=actors, issues=issues)
        assert counted(got) == brute_force(store, codebook, since, until, actors, issues), (since, until)


def claim_id(store: Store, codebook: str, **match) -> int:
    [cid] = [c["id"] for c in store.claims(codebook=codebook, include_rejected=True, mapped_only=False)
             if all(c[k] == v for k, v in match.items())]
    return cid


# ------------------------------------------------------------------ examples
D = DAYS


def test_a_story_told_before_the_period_counts_once_inside_it(store):
    add(store, [("a0", D[0], "USA", "x", "support", "We back X.", 0.5),
                ("a2", D[2], "USA", "x", "support", "we back  x.", 0.25),   # the same story, reprinted
                ("a3", D[3], "USA", "x", "support", "We back X.", 0.25),
                ("b3", D[3], "USA", "x", "support", "A truce now.", 1.0)], codebook="cb")
    [cell] = q.stance_counts(store, codebook="cb", since=D[1], until=D[4])
    assert (cell.n_claims, cell.n_distinct, cell.w) == (3, 2, 1.5)
    assert stored_repeats(store, "cb") == {("cb", "USA", "x", "support", story_hash("We back X."), d, D[0])
                                           for d in (D[2], D[3])}
    # rejecting the first telling moves the story's first day into the period: still one story
    store.set_status(claim_id(store, "cb", article_id="a0"), "rejected")
    check(store, "cb", [(D[1], D[4], None, None), (D[3], None, None, None), (D[2], D[2], None, None)])
    assert {r[-1] for r in stored_repeats(store, "cb")} == {D[2]}


def test_an_edit_moves_the_story_to_another_cell(store):
    add(store, [("a0", D[0], "USA", "x", "support", "We back X.", 0.5),
                ("a4", D[4], "USA", "x", "support", "We back X.", 0.5)], codebook="cb")
    store.set_status(claim_id(store, "cb", article_id="a0"), "edited", stance="oppose")
    assert stored_repeats(store, "cb") == set()
    check(store, "cb", [(D[1], None, None, None), (D[0], D[4], None, None)])
    store.set_status(claim_id(store, "cb", article_id="a4"), "edited", stance="oppose", actor="ISR")
    check(store, "cb", [(D[1], None, None, None), (D[0], D[4], ["ISR"], None)])


def test_without_a_codebook_one_story_in_two_codebooks_is_one_story(store):
    for cb in ("cb1", "cb2"):
        add(store, [(f"{cb}-a", D[1], "USA", "x", "support", "We back X.", 0.5)], codebook=cb)
    [cell] = q.stance_counts(store, since=D[0])
    assert (cell.n_claims, cell.n_distinct) == (2, 1)


def test_the_workbench_overview_of_a_period(store):
    """The web's matrix of a period (and of a source in it): the stories behind each cell, and the page."""
    fp = store.save_codebook(builtin_codebook())
    add(store, [("a0", D[0], "USA", "ceasefire", "support", "We back a ceasefire.", 0.5),
                ("a3", D[3], "USA", "ceasefire", "support", "A truce now.", 0.5),
                ("a4", D[4], "ISR", "ceasefire", "oppose", "No ceasefire.", 0.5)], codebook=fp)
    add(store, [("b2", D[2], "USA", "ceasefire", "support", "We back a ceasefire.", 0.5)], codebook=fp, source="T")
    ov = overview_from_store(store, since=D[1], until=D[4])
    assert (ov.stories.at["USA", "ceasefire"], ov.stories.at["ISR", "ceasefire"]) == (2, 1)
    assert overview_from_store(store, since=D[1], until=D[4], source="T").stories.at["USA", "ceasefire"] == 1
    assert overview_from_store(store, since=D[1], until=D[2], source="S").stories.empty
    client = TestClient(create_app(store), base_url="http://127.0.0.1:8000")
    assert client.get(f"/?since={D[1]}&until={D[4]}").status_code == 200


def test_a_rebuild_gives_the_repeats_the_writes_kept(store):
    rows = [(f"a{k}", D[k % 5], ("USA", "ISR")[k % 2], "x", "support", QUOTES[k % 3], 0.5) for k in range(12)]
    add(store, rows, codebook="cb")
    kept = stored_repeats(store, "cb")
    assert kept and kept == recount_repeats(store, "cb")
    rebuild_claim_counts(store.engine)
    assert stored_repeats(store, "cb") == kept


# --------------------------------------------------------------- properties
_day = st.sampled_from(DAYS)
_claim = st.tuples(st.sampled_from(["USA", "ISR"]), st.sampled_from(["x", "y", None]),
                   st.sampled_from(["support", "oppose"]), _day, st.sampled_from(QUOTES),
                   st.sampled_from([0.0, 0.25, 0.5, 1.0]))
_review = st.tuples(st.integers(0, 10**6), st.sampled_from(["accepted", "rejected", "edited"]),
                    st.sampled_from([None, "USA", "ISR"]), st.sampled_from([None, "x", "y"]),
                    st.sampled_from([None, "support", "oppose"]))
_bound = st.one_of(st.none(), _day)
_period = st.tuples(_day, _bound, st.sampled_from([None, ("USA",), ("USA", "ISR")]),
                    st.sampled_from([None, ("x",), ("x", "y")]))


def _review_all(store: Store, codebook: str, reviews) -> None:
    mine = store.claims(codebook=codebook, include_rejected=True, mapped_only=False)
    for k, status, actor, issue, stance in reviews:
        if mine:
            store.set_status(mine[k % len(mine)]["id"], status, actor=actor, issue=issue, stance=stance)


def _rows(run: str, claims) -> list[tuple]:
    """One article per (slot, day): several claims share articles, and stories recur across days."""
    return [(f"{run}-{n % 3}-{d}", d, a, i, s, ev, w) for n, (a, i, s, d, ev, w) in enumerate(claims)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(_claim, max_size=14), reviews=st.lists(_review, max_size=5),
       second=st.lists(_claim, max_size=8), emptied=st.lists(st.integers(0, 20), max_size=3),
       later=st.lists(_review, max_size=3), periods=st.lists(_period, min_size=1, max_size=4))
def test_a_period_counts_what_a_brute_force_count_of_the_claims_gives(store, first, reviews, second, emptied,
                                                                      later, periods):
    """Extract, review, re-extract (replacing and deleting machine claims), review again: exact throughout."""
    run = uuid.uuid4().hex[:8]
    rows = _rows(run, first)
    add(store, rows, codebook=run)
    check(store, run, periods)
    _review_all(store, run, reviews)
    check(store, run, periods)
    arts = sorted({r[0] for r in rows})
    add(store, _rows(run, second), codebook=run, version="2",
        empty=tuple(arts[k % len(arts)] for k in emptied) if arts else ())
    _review_all(store, run, later)
    check(store, run, periods + [(D[0], None, None, None), (D[3], D[5], None, None)])


# ---------------------------------------------------------------- migration
def test_migration_0007_fills_the_repeats_of_an_existing_store(store_url):
    s = Store.open(store_url, migrate=False)
    s.migrate("0006")
    assert "story_repeats" not in inspect(s.engine).get_table_names()
    tells = [("a0", D[0], "We back X.", "machine"), ("a1", D[1], "we back x.", "accepted"),
             ("a2", D[2], "We back X.", "rejected"), ("a3", D[3], "We back X.", "machine"),
             ("a3", D[3], "No to Y.", "machine"), ("a4", D[4], "No to Y.", "human")]
    with s.engine.begin() as conn:
        meta = MetaData()
        articles_0006, claims_0006 = (Table(t, meta, autoload_with=conn) for t in ("articles", "claims"))
        conn.execute(insert(articles_0006), [
            {"id": a, "date": d, "source": "S", "title": "", "url": "", "text": a, "fingerprint": a * 16}
            for a, d in sorted({(a, d) for a, d, *_ in tells})])
        conn.execute(insert(claims_0006), [
            {"article_id": a, "codebook": "cb", "date": d, "actor": "USA", "issue": "x", "stance": "support",
             "evidence": ev, "ev_start": n, "ev_end": n + len(ev), "speaker": "", "cue": "", "object": "",
             "confidence": 0.5, "extractor": "t", "extractor_version": "1", "status": status, "note": "",
             "source": "S", "reviewer": "", "evidence_hash": story_hash(ev)}
            for n, (a, d, ev, status) in enumerate(tells)])
        rebuild_day_counts(conn)  # the day counts as revision 0006 kept them
    s.migrate()
    x, y = story_hash("We back X."), story_hash("No to Y.")
    assert stored_repeats(s, "cb") == {("cb", "USA", "x", "support", x, D[1], D[0]),
                                       ("cb", "USA", "x", "support", x, D[3], D[0]),
                                       ("cb", "USA", "x", "support", y, D[4], D[3])}
    check(s, "cb", [(D[1], None, None, None), (D[2], D[3], None, None), (D[4], D[4], None, None)])
    assert "ix_story_repeats_day" in {ix["name"] for ix in inspect(s.engine).get_indexes("story_repeats")}

    from importlib import resources

    from alembic import command
    from alembic.config import Config

    cfg = Config(str(resources.files("stancemap.store") / "alembic.ini"))
    cfg.set_main_option("script_location", str(resources.files("stancemap.store") / "migrations"))
    with s.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    assert "story_repeats" not in inspect(s.engine).get_table_names()
    s.migrate()
    with s.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(story_repeats)).scalar_one() == 3
    s.close()

"""The store, on SQLite and on PostgreSQL (the ``store`` fixture runs each test on both)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from conftest import claim_keys, records
from stancemap.errors import StoreError
from stancemap.ingest import read_path
from stancemap.jobs import extract_store
from stancemap.model import Article, Claim, Stance
from stancemap.store import Store


def _claim(article: Article, start: int, end: int, *, actor="USA", issue="ceasefire",
           stance=Stance.SUPPORT, version="1") -> Claim:
    return Claim(article_id=article.id, date=article.date, actor=actor, issue=issue, stance=stance,
                 evidence=article.text[start:end], start=start, end=end, confidence=0.5,
                 extractor="test", extractor_version=version)


# ----------------------------------------------------------------------- ingest
def test_reingest_is_a_noop(store, articles):
    first = store.add_articles(records(articles))
    again = store.add_articles(records(articles))
    assert (first.read, first.added, first.duplicates) == (12, 12, 0)
    assert (again.read, again.added, again.duplicates) == (12, 0, 12)
    assert store.count_articles() == 12


def test_same_text_differently_spaced_is_one_article(store):
    a = Article(id="x1", date=dt.date(2024, 1, 1), text="Israel rejected a ceasefire.\nHamas welcomed it.")
    b = Article(id="x2", date=dt.date(2024, 1, 2), text="  israel rejected a   ceasefire. Hamas welcomed it. ")
    c = Article(id="x3", date=dt.date(2024, 1, 2), text="Egypt welcomed it.")
    report = store.add_articles(records([a, b, c]))
    assert (report.added, report.duplicates) == (2, 1)
    later = store.add_articles(records([b]))
    assert later.added == 0
    assert store.article("x2") is None and store.article("x1").text == a.text


def test_bad_records_are_reported_and_the_rest_stored(store, tmp_path):
    good = {"id": "g1", "date": "2023-11-01", "source": "AP", "title": "t", "url": "", "text": "Israel said no."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "id": "g2", "text": ""}),
        json.dumps({**good, "id": "g3", "date": "yesterday"}),
        json.dumps({**good, "id": "g4", "text": "Qatar said yes."}),
    ]
    path = tmp_path / "news.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "g5", "text": "\xff\xfe"}\n')
    report = store.add_articles(read_path(path))
    assert report.added == 2
    assert [e.where for e in report.rejected] == [f"{path}:{n}" for n in (2, 3, 4, 6)]
    assert "date" in report.rejected[2].reason
    assert {a.id for a in store.iter_articles()} == {"g1", "g4"}


# ------------------------------------------------------------------- extraction
def test_extraction_twice_adds_nothing(store, articles, extractor):
    store.add_articles(records(articles))
    first = extract_store(store, extractor, batch=5)
    keys = claim_keys(store)
    again = extract_store(store, extractor, batch=5)
    assert first.articles == 12 and first.claims > 0
    assert (again.articles, again.claims) == (0, 0)
    assert claim_keys(store) == keys and store.count_claims() == first.claims


def test_saving_a_result_twice_writes_it_once(store, articles):
    a = articles[0]
    store.add_articles(records([a]))
    result = [(a, [_claim(a, 0, 10)])]
    assert store.save_extractions("cb", "1", result) == 1
    assert store.save_extractions("cb", "1", result) == 0
    assert store.count_claims() == 1 and store.count_pending("cb", "1") == 0


def test_new_version_replaces_machine_claims_and_keeps_reviewed_ones(store, articles):
    a = articles[0]
    store.add_articles(records([a]))
    store.save_extractions("cb", "1", [(a, [_claim(a, 0, 10), _claim(a, 0, 10, actor="ISR")])])
    reviewed = next(c for c in store.claims() if c["actor"] == "ISR")
    assert store.set_status(reviewed["id"], "accepted")
    assert store.count_pending("cb", "2") == 1
    store.save_extractions("cb", "2", [(a, [_claim(a, 11, 20, version="2")])])
    got = {(c["actor"], c["extractor_version"], c["status"]) for c in store.claims()}
    assert got == {("ISR", "1", "accepted"), ("USA", "2", "machine")}
    assert store.count_pending("cb", "2") == 0


def test_review_statuses(store, articles):
    a = articles[1]
    store.add_articles(records([a]))
    store.save_extractions("cb", "1", [(a, [_claim(a, 0, 10), _claim(a, 0, 10, actor="ISR"),
                                            _claim(a, 0, 10, actor="HAMAS")])])
    ids = {c["actor"]: c["id"] for c in store.claims()}
    assert store.set_status(ids["USA"], "rejected", note="wrong speaker")
    assert store.set_status(ids["ISR"], "edited", issue="destroy-hamas", stance="oppose")
    assert store.set_status(ids["HAMAS"], "accepted")
    assert not store.set_status(10**9, "accepted")
    with pytest.raises(StoreError, match="unknown status"):
        store.set_status(ids["HAMAS"], "maybe")
    shown = {c["actor"]: c for c in store.claims()}
    assert set(shown) == {"ISR", "HAMAS"}
    assert (shown["ISR"]["issue"], shown["ISR"]["stance"], shown["ISR"]["status"]) == ("destroy-hamas", "oppose", "edited")
    every = {c["actor"]: c for c in store.claims(include_rejected=True)}
    assert (every["USA"]["status"], every["USA"]["note"]) == ("rejected", "wrong speaker")


def test_review_history_keeps_every_decision(store, articles):
    a = articles[1]
    store.add_articles(records([a]))
    store.save_extractions("cb", "1", [(a, [_claim(a, 0, 10)])])
    cid = store.claims()[0]["id"]
    issue0 = store.claims()[0]["issue"]
    assert store.set_status(cid, "edited", reviewer="ana", stance="oppose", note="misread negation")
    assert store.set_status(cid, "rejected", reviewer="ben")
    hist = store.review_history(cid)
    assert [(h["reviewer"], h["prev_status"], h["status"]) for h in hist] == [
        ("ana", "machine", "edited"), ("ben", "edited", "rejected")]
    assert (hist[0]["prev_stance"], hist[0]["stance"], hist[0]["issue"]) == ("support", "oppose", issue0)
    assert hist[0]["note"] == "misread negation"
    row = store.claims(include_rejected=True)[0]
    assert (row["status"], row["reviewer"]) == ("rejected", "ben") and row["reviewed_at"] is not None
    assert store.review_history(10**9) == []


def test_unmapped_claims_are_kept_but_hidden_by_default(store, articles):
    a = articles[2]
    store.add_articles(records([a]))
    store.save_extractions("cb", "1", [(a, [_claim(a, 0, 10, issue=None), _claim(a, 0, 10)])])
    assert [c["issue"] for c in store.claims()] == ["ceasefire"]
    assert {c["issue"] for c in store.claims(mapped_only=False)} == {None, "ceasefire"}


def test_claims_filters(store, articles):
    store.add_articles(records(articles))
    store.save_extractions("cb", "1", [(a, [_claim(a, 0, 5, actor=act)]) for a, act in
                                       zip(articles, ["USA", "ISR"] * 6)])
    got = store.claims(actors=["ISR"], since=dt.date(2023, 11, 1), until=dt.date(2023, 12, 31))
    assert {c["article_id"] for c in got} == {"a000-03", "a000-05", "a000-07"}
    assert [c["date"] for c in store.claims()] == sorted(a.date for a in articles)


# ------------------------------------------------------------------- migrations
def test_migrating_again_is_a_noop(store_url, articles):
    s = Store.open(store_url)
    s.add_articles(records(articles))
    before = sorted(inspect(s.engine).get_table_names())
    s.migrate()
    s.close()
    s = Store.open(store_url)
    assert sorted(inspect(s.engine).get_table_names()) == before
    assert {"articles", "claims", "codebooks", "extractions", "alembic_version"} <= set(before)
    with s.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert len(versions) == 1
    assert s.count_articles() == 12
    s.close()


def test_claim_indexes_exist(store):
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("claims")}
    assert {"ix_claims_actor_date", "ix_claims_issue_date", "ix_claims_date"} <= names


# -------------------------------------------------------------------- round trip
_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                min_size=1, max_size=200).filter(lambda s: s.strip())


@st.composite
def article_and_claims(draw):
    body = draw(_text)
    art = Article(id=f"h-{uuid.uuid4().hex}", date=draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
                  source=draw(st.text(max_size=20).filter(lambda s: "\x00" not in s)), text=body)
    body = art.text  # Article strips its text; offsets are into the stored text
    out, seen = [], set()
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(body) - 1))
        end = draw(st.integers(start + 1, len(body)))
        if not body[start:end].strip() or body[start:end] != body[start:end].strip():
            continue  # evidence is a stripped span (Claim strips it)
        key = (draw(st.sampled_from(["USA", "ISR", "HAMAS"])), draw(st.sampled_from([None, "ceasefire", "x" * 100])),
               draw(st.sampled_from(list(Stance))))
        if (key, start) in seen:
            continue
        seen.add((key, start))
        out.append(Claim(article_id=art.id, date=art.date, actor=key[0], issue=key[1], stance=key[2],
                         evidence=body[start:end], start=start, end=end,
                         speaker=draw(st.text(max_size=30).filter(lambda s: "\x00" not in s)),
                         confidence=draw(st.floats(0, 1)), extractor="prop", extractor_version="9"))
    return art, out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=article_and_claims())
def test_claims_round_trip(store, case):
    art, cs = case
    store.add_articles(records([art]))
    stored = store.article(art.id)
    if stored is None:  # same text as an earlier example: deduplicated, nothing to check
        return
    assert stored == art
    store.save_extractions("cb", "9", [(art, cs)])
    rows = [c for c in store.claims(mapped_only=False) if c["article_id"] == art.id]
    back = {Claim(article_id=r["article_id"], date=r["date"], actor=r["actor"], issue=r["issue"],
                  stance=r["stance"], evidence=r["evidence"], start=r["ev_start"], end=r["ev_end"],
                  speaker=r["speaker"], cue=r["cue"], object=r["object"], confidence=r["confidence"],
                  extractor=r["extractor"], extractor_version=r["extractor_version"]) for r in rows}
    assert back == set(cs)
    assert all(art.text[c.start:c.end] == c.evidence for c in back)


def test_nul_characters_in_text(store):
    """PostgreSQL TEXT cannot hold U+0000: Article drops it, so the article stores on both."""
    a = Article(id="nul", date=dt.date(2024, 1, 1), title="a\x00b", text="Israel\x00 said no.")
    assert store.add_articles(records([a])).added == 1
    back = store.article("nul")
    assert (back.text, back.title) == ("Israel said no.", "ab")

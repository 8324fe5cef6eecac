"""The workbench's library calls (search, review queue, users) on SQLite and PostgreSQL, and its
HTTP defences (CSRF, roles, sign-in limits, headers) through the real app, without a browser."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import make_articles, records
from stancemap.errors import ServeError, StoreError
from stancemap.knowledge.codebook import builtin_codebook
from stancemap.model import Claim
from stancemap.store import Store
from stancemap.store import search as fts
from stancemap.store import users
from stancemap.store import workbench as wb


def _with_claims(store: Store) -> str:
    """The dozen test articles, and claims written by hand: (article, actor, issue, stance, confidence)."""
    arts = make_articles()
    store.add_articles(records(arts))
    book = builtin_codebook()
    fp = store.save_codebook(book)
    spec = [(0, "USA", "destroy_hamas", "support", 0.9), (1, "ISR", "ceasefire", "oppose", 0.3),
            (3, "USA", "humanitarian_pause", "support", 0.5), (3, "ISR", "humanitarian_pause", "oppose", 0.2),
            (7, "USA", "ceasefire", "oppose", 0.6), (11, "ISR", "ceasefire", "oppose", 0.2)]
    by_art: dict[int, list] = {}
    for n, actor, issue, stance, conf in spec:
        a = arts[n]
        end = a.text.index(".") + 1
        by_art.setdefault(n, []).append(Claim(article_id=a.id, date=a.date, actor=actor, issue=issue,
                                              stance=stance, evidence=a.text[:end], start=0, end=end,
                                              confidence=conf))
    store.save_extractions(fp, "t1", [(arts[n], cs) for n, cs in by_art.items()])
    return fp


# ------------------------------------------------------------------ search
def test_search_matches_words_phrases_and_filters(store):
    arts = make_articles()
    store.add_articles(records(arts))
    hits = fts.search_articles(store, "ceasefire")
    expected = {a.id for a in arts if "ceasefire" in (a.title + " " + a.text).lower()}
    assert {h.id for h in hits} == expected and len(expected) == 3
    assert all(any(hit and text.lower() == "ceasefire" for text, hit in h.snippet) for h in hits)
    phrase = fts.search_articles(store, '"Security Council"')
    assert {h.id for h in phrase} == {a.id for a in arts if "Security Council" in a.text}
    ap = fts.search_articles(store, "ceasefire", source="AP")
    assert {h.id for h in ap} == {a.id for a in arts if a.source == "AP" and "ceasefire" in a.text.lower()}
    late = fts.search_articles(store, "ceasefire", since=dt.date(2023, 12, 1))
    assert {h.id for h in late} == {a.id for a in arts if a.date >= dt.date(2023, 12, 1) and "ceasefire" in a.text.lower()}
    # both words must occur
    both = fts.search_articles(store, "Israel Rafah")
    assert {h.id for h in both} == {a.id for a in arts if "Rafah" in a.text and "Israel" in a.text}
    # what a user may type is never a syntax error
    for q in ['"unbalanced', "AND OR NOT (", "ceasefire*", "-", "'; DROP TABLE articles; --"]:
        fts.search_articles(store, q)
    assert store.count_articles() == len(arts)


def test_articles_stored_before_the_migration_are_searchable(store_url):
    store = Store.open(store_url, migrate=False)
    store.migrate("0003")
    arts = make_articles()
    from sqlalchemy import MetaData, Table, insert

    with store.engine.begin() as conn:  # the articles table as it was then (later revisions add columns)
        old = Table("articles", MetaData(), autoload_with=conn)
        conn.execute(insert(old), [{"id": a.id, "date": a.date, "source": a.source, "title": a.title, "url": a.url,
                                    "text": a.text, "fingerprint": a.fingerprint} for a in arts[:6]])
    store.migrate()  # 0004: the index is built over what is there, then kept up to date
    store.add_articles(records(arts[6:]))
    assert {h.id for h in fts.search_articles(store, "Gaza")} == {a.id for a in arts if "Gaza" in a.text}
    store.close()


def test_fts5_query_quotes_every_term():
    assert fts.fts5_query('gaza "security council" NOT') == '"gaza" "security council" "NOT"'
    assert fts.fts5_query('"" ( ) *') == ""


# ------------------------------------------------------------ review queue
def test_queue_least_confident_first_filters_and_steps(store):
    fp = _with_claims(store)
    f = wb.ClaimFilter(codebook=fp)
    page = wb.queue_page(store, f, limit=10)
    confs = [c["confidence"] for c in page]
    assert confs == sorted(confs) and len(page) == 6
    first = wb.queue_next(store, f)
    assert first["id"] == page[0]["id"]
    second = wb.queue_next(store, f, after=(first["confidence"], first["id"]))
    assert second["id"] == page[1]["id"]
    assert wb.queue_previous(store, f, before=(second["confidence"], second["id"]))["id"] == first["id"]
    assert wb.queue_previous(store, f, before=(first["confidence"], first["id"])) is None
    usa = wb.queue_page(store, wb.ClaimFilter(codebook=fp, actor="USA"))
    assert {c["actor"] for c in usa} == {"USA"} and len(usa) == 3
    ap = wb.queue_page(store, wb.ClaimFilter(codebook=fp, source="AP"))
    assert {c["source"] for c in ap} == {"AP"} and len(ap) == 1
    dated = wb.queue_page(store, wb.ClaimFilter(codebook=fp, since=dt.date(2023, 11, 1), until=dt.date(2023, 12, 31)))
    assert [c["date"] for c in dated] and all(dt.date(2023, 11, 1) <= c["date"] <= dt.date(2023, 12, 31) for c in dated)
    assert wb.queue_size(store, f) == 6
    # a decision takes the claim out of the queue and stays
    store.set_status(first["id"], "rejected", reviewer="ann")
    assert wb.queue_next(store, f)["id"] == second["id"] and wb.queue_size(store, f) == 5
    assert wb.queue_size(store, f, cap=3) == 4  # counted up to the cap, plus one to say "more"
    cell = wb.cell_claims(store, wb.ClaimFilter(codebook=fp, actor="ISR", issue="ceasefire"))
    assert first["id"] not in {c["id"] for c in cell} and {c["stance"] for c in cell} == {"oppose"}


def test_unmapped_objects_are_grouped(store):
    arts = make_articles()
    store.add_articles(records(arts))
    fp = store.save_codebook(builtin_codebook())
    cs = [Claim(article_id=a.id, date=a.date, actor="USA", issue=None, stance="support", evidence=a.text[:10],
                start=0, end=10, object=obj, confidence=0.5) for a, obj in zip(arts, ["Two-State Solution",
                                                                                   "two-state solution", "oil prices"])]
    store.save_extractions(fp, "t1", [(c_art, [c]) for c_art, c in zip(arts, cs)])
    got = wb.unmapped_objects(store, codebook=fp)
    assert [(u.object, u.n_claims) for u in got] == [("two-state solution", 2), ("oil prices", 1)]


# ------------------------------------------------------------------ users
def test_users_passwords_and_sessions(store):
    ann = users.add_user(store, "ann", "admin", "correct horse")
    with pytest.raises(StoreError, match="exists"):
        users.add_user(store, "ann", "coder", "another one")
    with pytest.raises(StoreError, match="role"):
        users.add_user(store, "bob", "boss", "password1")
    with pytest.raises(StoreError, match="8 characters"):
        users.add_user(store, "bob", "coder", "short")
    assert users.authenticate(store, "ann", "correct horse") == ann
    assert users.authenticate(store, "ann", "wrong horse") is None
    assert users.authenticate(store, "nobody", "correct horse") is None
    from sqlalchemy import select
    from stancemap.store.schema import sessions, users as table

    with store.engine.connect() as conn:
        stored = conn.execute(select(table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    token = users.open_session(store, ann)
    assert users.session_user(store, token) == ann
    with store.engine.connect() as conn:
        assert conn.execute(select(sessions.c.token_hash)).scalar_one() != token  # only its hash is kept
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=users.SESSION_DAYS + 1)
    assert users.session_user(store, token, now=later) is None
    users.close_session(store, token)
    assert users.session_user(store, token) is None
    assert ann.can("coder") and not users.User(2, "v", "viewer").can("coder")


# --------------------------------------------------------------- the app
@pytest.fixture
def team(tmp_path):
    from stancemap.web import create_app

    store = Store.open(f"sqlite:///{tmp_path / 'team.db'}")
    fp = _with_claims(store)
    users.add_user(store, "ann", "admin", "admin-pass-1")
    users.add_user(store, "vic", "viewer", "viewer-pass-1")
    client = TestClient(create_app(store, single_user=False), base_url="http://127.0.0.1:8000")
    return store, fp, client


def _sign_in(client, name: str, password: str):
    client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "next": "/",
                                       "csrf_token": client.cookies["stancemap_csrf"]}, follow_redirects=False)


def test_pages_need_sign_in_and_send_the_headers(team):
    store, fp, client = team
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"] and "unsafe" not in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    client.get("/login")
    before = client.cookies["stancemap_csrf"]
    r = _sign_in(client, "vic", "viewer-pass-1")
    assert r.status_code == 303
    assert client.cookies["stancemap_csrf"] != before  # a new CSRF token with the session
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    for path in ("/", "/pair?a=USA&b=ISR", "/review", "/search?q=ceasefire", "/codebook"):
        assert client.get(path).status_code == 200, path


def test_csrf_and_roles(team):
    store, fp, client = team
    _sign_in(client, "vic", "viewer-pass-1")
    cid = wb.queue_next(store, wb.ClaimFilter(codebook=fp))["id"]
    token = client.cookies["stancemap_csrf"]
    assert client.post(f"/claims/{cid}/decide", data={"action": "accept"}).status_code == 403  # no token
    r = client.post(f"/claims/{cid}/decide", data={"action": "accept", "csrf_token": token})
    assert r.status_code == 403 and "coder" in r.text  # a viewer cannot decide
    client.post("/logout", data={"csrf_token": token})
    _sign_in(client, "ann", "admin-pass-1")
    token = client.cookies["stancemap_csrf"]
    r = client.post(f"/claims/{cid}/decide", data={"action": "accept"}, headers={"X-CSRF-Token": "x" + token})
    assert r.status_code == 403
    r = client.post(f"/claims/{cid}/decide", data={"action": "accept"},
                    headers={"X-CSRF-Token": token, "Origin": "http://evil.example"})
    assert r.status_code == 403  # the right token from another site's page
    assert store.review_history(cid) == []
    r = client.post(f"/claims/{cid}/decide", data={"action": "accept"}, headers={"X-CSRF-Token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    assert [(h["status"], h["reviewer"]) for h in store.review_history(cid)] == [("accepted", "ann")]


def test_admin_extends_the_codebook_as_a_new_version(team):
    store, fp, client = team
    _sign_in(client, "vic", "viewer-pass-1")
    form = {"fp": fp, "issue_id": "ceasefire", "keywords": "truce, armistice",
            "csrf_token": client.cookies["stancemap_csrf"]}
    assert client.post("/codebook/issues", data=form).status_code == 403
    client.post("/logout", data={"csrf_token": client.cookies["stancemap_csrf"]})
    _sign_in(client, "ann", "admin-pass-1")
    form["csrf_token"] = client.cookies["stancemap_csrf"]
    r = client.post("/codebook/issues", data=form, follow_redirects=False)
    assert r.status_code == 303
    new_fp = r.headers["location"].split("fp=")[1].split("&")[0]
    assert new_fp != fp
    assert store.codebook(new_fp).issue("ceasefire").keywords[-2:] == ("truce", "armistice")
    assert store.codebook(fp).issue("ceasefire").keywords == builtin_codebook().issue("ceasefire").keywords
    y = client.get(f"/codebook/{new_fp}.yaml")
    from stancemap.knowledge.codebook import codebook_from_dict
    import yaml

    assert codebook_from_dict(yaml.safe_load(y.text)).fingerprint == new_fp


def test_sign_in_is_rate_limited_and_redirects_stay_here(team):
    store, fp, client = team
    for _ in range(5):
        assert _sign_in(client, "ann", "not it at all").status_code == 401
    r = _sign_in(client, "ann", "admin-pass-1")  # even the right password waits now
    assert r.status_code == 429 and "too many" in r.text
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    other.get("/login")
    r = other.post("/login", data={"name": "vic", "password": "viewer-pass-1", "next": "//evil.example/x",
                                   "csrf_token": other.cookies["stancemap_csrf"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_serve_refuses_a_public_address_without_users(tmp_path):
    from stancemap.cli import app as cli
    from stancemap.web.serve import check_can_serve

    db = f"sqlite:///{tmp_path / 'lonely.db'}"
    r = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0", "--port", "1"])
    assert r.exit_code == 1 and "refusing to serve on 0.0.0.0 with no users" in r.output
    store = Store.open(db)
    assert check_can_serve(store, "127.0.0.1") is True  # single-user on loopback
    with pytest.raises(ServeError):
        check_can_serve(store, "::")
    r = CliRunner().invoke(cli, ["users", "add", "ann", "--role", "admin", "--db", db], input="admin-pass-1\nadmin-pass-1\n")
    assert r.exit_code == 0, r.output
    assert check_can_serve(store, "0.0.0.0") is False  # starts, with sign-in required
    assert users.authenticate(store, "ann", "admin-pass-1").role == "admin"


def test_thin_cells_are_faint_in_the_chart(tmp_path):
    import pandas as pd

    from stancemap.report.charts import heatmap

    net = pd.DataFrame({"ceasefire": [0.5, -1.0]}, index=pd.Index(["USA", "ISR"], name="actor"))
    stories = pd.DataFrame({"ceasefire": [7, 1]}, index=net.index)
    values = heatmap(net, stories=stories).to_dict()["datasets"]
    rows = next(iter(values.values()))
    assert {(r["actor"], r["opacity"], r["text"]) for r in rows} == {("USA", 1.0, "+0.50 (7)"), ("ISR", 0.3, "-1.00 (1)")}


def test_cli_review_lists_the_same_queue(tmp_path):
    from stancemap.cli import app as cli

    db = f"sqlite:///{tmp_path / 'q.db'}"
    store = Store.open(db)
    fp = _with_claims(store)
    r = CliRunner().invoke(cli, ["review", "--db", db, "--actor", "ISR", "--limit", "2"])
    assert r.exit_code == 0, r.output
    want = wb.queue_page(store, wb.ClaimFilter(codebook=fp, actor="ISR"), limit=2)
    assert "USA" not in r.output and [c["confidence"] for c in want] == [0.2, 0.2]
    import re

    shown = [int(m) for m in re.findall(r"^│\s*(\d+)\s*│", r.output, re.M)]
    assert shown == [c["id"] for c in want]


def test_counted_actors_are_the_actors_with_counted_claims(store):
    fp = _with_claims(store)
    assert wb.counted_actors(store, fp) == ["ISR", "USA"]
    assert wb.counted_actors(store, "nope") == []


def test_admins_manage_users_from_the_page(team):
    store, fp, client = team
    _sign_in(client, "ann", "admin-pass-1")
    token = client.cookies["stancemap_csrf"]
    r = client.post("/users", data={"name": "cora", "role": "coder", "password": "coder-pass-1", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303 and users.authenticate(store, "cora", "coder-pass-1").role == "coder"
    assert client.post("/users/cora", data={"action": "role", "role": "viewer", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert {u.name: u.role for u in users.list_users(store)}["cora"] == "viewer"
    assert client.post("/users/ann", data={"action": "remove", "csrf_token": token}).status_code == 400
    assert client.post("/users/cora", data={"action": "remove", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert "cora" not in {u.name for u in users.list_users(store)}
    assert client.post("/users/cora", data={"action": "remove"}).status_code == 403  # no CSRF token


def test_bad_parameters_are_400_naming_the_field(team):
    store, fp, client = team
    _sign_in(client, "vic", "viewer-pass-1")
    for path, field in [("/pair/timeline?a=USA&b=ISR&window=0", "window"), ("/pair?a=USA&b=ISR&window=fortnight", "window"),
                        ("/?since=2024-13-01", "since"), ("/cell?actor=US%3CA&issue=x", "actor"),
                        ("/review?after=x", "after"), ("/pair/brief?a=USA&b=ISR&window=-3", "window")]:
        r = client.get(path)
        assert r.status_code == 400 and field in r.text, (path, r.status_code, r.text[:200])
    assert client.get("/pair?a=USA&b=NOBODY").status_code == 400  # an unknown actor, as the CLI says


def test_a_filtered_queue_keeps_its_filters_after_an_edit(team):
    store, fp, client = team
    _sign_in(client, "ann", "admin-pass-1")
    token = client.cookies["stancemap_csrf"]
    isr = wb.queue_page(store, wb.ClaimFilter(codebook=fp, actor="ISR"))
    assert len(isr) == 3
    # correct the first ISR claim's actor to EGY: the next claim shown is still an ISR one
    r = client.post(f"/claims/{isr[0]['id']}/decide", headers={"HX-Request": "true", "X-CSRF-Token": token},
                    data={"action": "edit", "actor": "EGY", "return_to": "queue", "f_actor": "ISR"})
    assert r.status_code == 200 and f"Claim {isr[1]['id']}: ISR" in r.text
    assert wb.claim(store, isr[0]["id"])["actor"] == "EGY"
    assert [h["prev_actor"] for h in store.review_history(isr[0]["id"])] == ["ISR"]

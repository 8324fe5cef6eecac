"""The analysis commands, driven as a user would, on a fresh SQLite store per test."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import networkx as nx
import pytest
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.model import Actor, Article, Claim, Codebook, Issue
from stancemap.store import Store

BOOK = Codebook(
    name="t", actors=(Actor(id="USA", name="United States"), Actor(id="ISR", name="Israel"),
                      Actor(id="EGY", name="Egypt")),
    issues=(Issue(id="destroy-hamas", label="Destroying Hamas"),
            Issue(id="pa-governs-gaza", label="Palestinian Authority governs Gaza"),
            Issue(id="buffer-zone", label="Buffer zone inside Gaza")))

# (date, actor, issue, stance, evidence)
CLAIMS = [
    ("2023-12-07", "USA", "destroy-hamas", "support", "Both countries share the goal of destroying Hamas."),
    ("2023-12-07", "ISR", "destroy-hamas", "support", "Israel vows to destroy Hamas."),
    ("2023-12-07", "USA", "pa-governs-gaza", "support", "The US advocates a role for the Palestinian Authority."),
    ("2023-12-07", "ISR", "pa-governs-gaza", "oppose", "He rejects a return of the Palestinian Authority."),
    ("2023-12-07", "ISR", "buffer-zone", "support", "Israeli officials propose a buffer zone."),
    ("2024-01-10", "USA", "buffer-zone", "oppose", "Any buffer zone would violate these principles."),
    ("2024-01-10", "EGY", "buffer-zone", "oppose", "Egypt rejects a buffer zone."),
]


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store.open(url)
    fp = store.save_codebook(BOOK)
    results = []
    for k, (date, actor, issue, stance, ev) in enumerate(CLAIMS):
        art = Article(id=f"art{k}", date=dt.date.fromisoformat(date), source="BBC News", text=f"{ev} ({k})")
        results.append((art, [Claim(article_id=art.id, date=art.date, actor=actor, issue=issue, stance=stance,
                                    evidence=ev, start=0, end=len(ev), confidence=0.9)]))
    store.add_articles(SimpleNamespace(error=None, article=a) for a, _ in results)
    store.save_extractions(fp, "t1", results)
    return url


runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_compare_json(db):
    r = run("compare", "USA", "ISR", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["a"], data["b"]) == ("USA", "ISR")
    assert [(x["issue"], x["stance"]) for x in data["agree"]] == [("destroy-hamas", "support")]
    assert sorted((x["issue"], x["a_stance"], x["b_stance"]) for x in data["disagree"]) == [
        ("buffer-zone", "oppose", "support"), ("pa-governs-gaza", "support", "oppose")]
    assert data["only_a"] == [] and data["only_b"] == []
    assert data["divergence"] == pytest.approx((0 + 1 + 1) / 3)
    ev = data["agree"][0]["evidence"][0]
    assert ev == {"article_id": "art0", "actor": "USA", "quote": CLAIMS[0][4], "date": "2023-12-07"}


def test_compare_table_and_period(db):
    r = run("compare", "USA", "ISR", "--db", db, "--until", "2023-12-31")
    assert r.exit_code == 0
    assert "Destroying Hamas" in r.stdout and "only ISR" in r.stdout and "2023-12-07 USA:" in r.stdout
    assert "divergence 0.50" in r.stdout


def test_compare_unknown_actor(db):
    r = runner.invoke(app, ["compare", "USA", "XYZ", "--db", db])
    assert r.exit_code == 1
    assert "unknown actor 'XYZ'; known actors: EGY, ISR, USA" in " ".join(r.output.split())


def test_matrix_csv_and_png(db, tmp_path):
    r = run("matrix", "--db", db, "--format", "csv", "--actors", "USA,ISR")
    rows = {row["actor"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["ISR"]["pa-governs-gaza"] == "-1.0" and rows["USA"]["buffer-zone"] == "-1.0"
    png = tmp_path / "m.png"
    assert run("matrix", "--db", db, "--format", "png", "--out", str(png)).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert runner.invoke(app, ["matrix", "--db", db, "--format", "png"]).exit_code == 2


def test_timeline_json(db):
    r = run("timeline", "USA", "ISR", "--db", db, "--window", "month", "--format", "json")
    data = json.loads(r.stdout)
    assert data["window"] == "month"
    assert [(w["start"], w["divergence"]) for w in data["windows"]] == [
        ("2023-12-01", pytest.approx(0.5)), ("2024-01-01", None)]
    assert data["change_points"] == []


def test_timeline_bad_window(db):
    r = runner.invoke(app, ["timeline", "USA", "ISR", "--db", db, "--window", "fortnight"])
    assert r.exit_code == 2


def test_network_graphml(db, tmp_path):
    out = tmp_path / "n.graphml"
    assert run("network", "--db", db, "--type", "conflict", "--out", str(out)).exit_code == 0
    g = nx.read_graphml(out)
    # USA-ISR: pa (s/o) and buffer (o/s) conflict; ISR-EGY: buffer; USA-EGY none
    assert {tuple(sorted(e)): d["weight"] for *e, d in g.edges(data=True)} == {
        ("ISR", "USA"): 2.0, ("EGY", "ISR"): 1.0}


def test_coalitions_json(db):
    data = json.loads(run("coalitions", "--db", db, "--format", "json").stdout)
    [w] = data["windows"]
    assert [g["actors"] for g in w["groups"]] == [["EGY", "USA"], ["ISR"]]
    assert w["groups"][0]["binds"] == [{"issue": "buffer-zone", "stance": "oppose", "actors": ["EGY", "USA"]}]


def test_brief_markdown_and_html(db, tmp_path):
    md = tmp_path / "b.md"
    assert run("brief", "USA", "ISR", "--db", db, "--out", str(md)).exit_code == 0
    text = md.read_text()
    assert text.startswith("# United States and Israel: where they stand")
    assert "take the same stance on Destroying Hamas." in text
    assert "> “He rejects a return of the Palestinian Authority.”\n> — ISR, BBC News, 2023-12-07 (art3)" in text
    html = tmp_path / "b.html"
    assert run("brief", "USA", "ISR", "--db", db, "--format", "html", "--out", str(html)).exit_code == 0
    assert "data:image/svg+xml;base64," in html.read_text()


def test_empty_store_is_a_clean_error(tmp_path):
    r = runner.invoke(app, ["compare", "USA", "ISR", "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert r.exit_code == 1 and "run `stancemap extract` first" in r.output

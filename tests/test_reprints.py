"""Reprints: the same wire story in several outlets is one story (articles.story)."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.ingest.reprints import band_keys, signature, similarity
from stancemap.jobs import group_reprints, ingest_paths

WIRE = ("The transport minister said on Tuesday that the government supports a new high-speed rail line "
        "between the two northern cities, and that work would begin within three years. The line would cut "
        "journey times by half, the minister told reporters at the station, adding that the cost would be "
        "shared with the regional authorities. Opposition members said the plan was unfunded and that the "
        "money should go to local buses instead. A consultation on the route will open next month.")
OTHER = ("The football club announced a new manager on Friday after a poor run of results. The former "
         "captain returns to the club on a three-year contract and will take charge of the first team "
         "for the match on Saturday, the club said in a statement on its website.")


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_signatures_estimate_similarity():
    a, b = signature(WIRE), signature(WIRE.replace("Tuesday", "Wednesday") + " Reporting by the wire.")
    assert a.dtype == np.uint64 and a.shape == (128,)
    assert similarity(a, a) == 1.0 and 0.6 < similarity(a, b) < 1.0
    assert similarity(a, signature(OTHER)) < 0.1
    assert len(band_keys(a)) == 32 and band_keys(a) == band_keys(signature(WIRE))


def test_reprints_share_a_story_and_a_rerun_changes_nothing(tmp_path, store):
    p = tmp_path / "wire.jsonl"
    _write(p, [
        {"id": "gazette-1", "date": "2024-05-02", "source": "The Gazette", "text": WIRE + " Copyright The Gazette."},
        {"id": "wire-1", "date": "2024-05-01", "source": "Wire", "text": WIRE},
        {"id": "herald-7", "date": "2024-05-02", "source": "The Herald", "text": "From the wire: " + WIRE.replace("Tuesday", "Tuesday evening")},
        {"id": "sport-1", "date": "2024-05-01", "source": "The Herald", "text": OTHER},
    ])
    report = ingest_paths(store, [p])
    assert report.added == 4 and report.reprints == 2
    groups = store.story_groups()
    assert [[a["id"] for a in g] for g in groups] == [["wire-1", "gazette-1", "herald-7"]]
    assert {a["story"] for a in groups[0]} == {"wire-1"}  # named after the earliest run
    assert [a["id"] for a in store.story_groups(article_id="sport-1")[0]] == ["sport-1"]
    again = ingest_paths(store, [p])
    assert again.added == 0 and again.reprints == 0 and group_reprints(store) == 0
    assert store.story_groups() == groups


def test_threshold_option_and_cli(tmp_path):
    p = tmp_path / "wire.jsonl"
    _write(p, [{"id": "w1", "date": "2024-05-01", "source": "Wire", "text": WIRE},
               {"id": "w2", "date": "2024-05-02", "source": "Post", "text": WIRE + " Additional reporting by staff."}])
    strict = str(tmp_path / "strict.db")
    res = CliRunner().invoke(app, ["ingest", str(p), "--db", strict, "--reprint-threshold", "0.99"])
    assert res.exit_code == 0 and "reprints" not in res.output
    res = CliRunner().invoke(app, ["reprints", "--db", strict, "--format", "json"])
    assert json.loads(res.stdout) == []
    loose = str(tmp_path / "loose.db")
    res = CliRunner().invoke(app, ["ingest", str(p), "--db", loose])
    assert res.exit_code == 0 and "1 reprints grouped" in res.output
    res = CliRunner().invoke(app, ["reprints", "--db", loose, "--format", "json"])
    assert [[a["id"] for a in g] for g in json.loads(res.stdout)] == [["w1", "w2"]]
    off = str(tmp_path / "off.db")
    res = CliRunner().invoke(app, ["ingest", str(p), "--db", off, "--no-reprints"])
    res = CliRunner().invoke(app, ["reprints", "--db", off, "--index", "--format", "json"])
    assert res.exit_code == 0 and [[a["id"] for a in g] for g in json.loads(res.stdout)] == [["w1", "w2"]]

"""``stancemap import`` and ``stancemap export --format dna`` on the command line."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from dna_files import make_dna, table_rows
from stancemap.cli import app
from stancemap.knowledge.codebook import load_codebook
from stancemap.store import Store

runner = CliRunner()


def test_import_then_export(tmp_path):
    dna, db = make_dna(tmp_path / "hearings.dna"), str(tmp_path / "s.db")
    r = runner.invoke(app, ["import", str(dna), "--db", db, "--codebook-out", str(tmp_path / "cb.yaml")])
    assert r.exit_code == 0, r.output
    assert "8 statements added" in r.output and "6 claims" in r.output and "United Nations -> UN" in r.output
    book = load_codebook(tmp_path / "cb.yaml")
    assert [i.label for i in book.issues] == ["Carbon tax", "Ban on coal"]
    assert book.fingerprint == Store.open(db).latest_codebook()  # extracting with it adds to the same codebook
    r = runner.invoke(app, ["claims", "--db", db, "--actor", "ACME_OIL", "--format", "json"])
    assert r.exit_code == 0 and r.output.count('"status": "human"') == 3, r.output
    r = runner.invoke(app, ["export", str(tmp_path / "out.dna"), "--db", db, "--format", "dna"])
    assert r.exit_code == 0, r.output
    assert "from DNA project 'hearings'" in r.output and "8 as DNA had them" in r.output
    assert table_rows(tmp_path / "out.dna") == table_rows(dna)
    r = runner.invoke(app, ["export", str(tmp_path / "out.dna"), "--db", db, "--format", "dna"])
    assert r.exit_code == 1 and "does not overwrite" in r.output


def test_rejected_statements_exit_3_and_the_rest_go_in(tmp_path):
    dna, db = make_dna(tmp_path / "h.dna"), str(tmp_path / "s.db")
    with sqlite3.connect(dna) as conn:
        conn.execute("UPDATE STATEMENTS SET Start = 5000, Stop = 5001 WHERE ID = 1")
    r = runner.invoke(app, ["import", str(dna), "--db", db, "--no-kb"])
    assert r.exit_code == 3, r.output
    assert "STATEMENTS ID=1: Stop" in r.output and "7 statements added" in r.output and "5 claims" in r.output


def test_import_errors_are_one_line(tmp_path):
    r = runner.invoke(app, ["import", str(tmp_path / "none.dna"), "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 1 and "none.dna: no such file" in r.output

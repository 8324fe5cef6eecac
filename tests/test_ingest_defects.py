"""The five defects found by feeding hostile files to `stancemap ingest`, each with its test."""

from __future__ import annotations

import gzip
import json

from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.ingest import Limits, read_path
from stancemap.jobs import ingest_paths

GOOD = {"id": "ok-1", "date": "2024-01-05", "source": "Test Wire", "title": "A valid article",
        "text": "The council said it supports the new bridge."}


def _split(recs):
    recs = list(recs)
    return [r.article for r in recs if r.article], [r.error for r in recs if r.error]


def test_deep_json_is_a_clear_error_and_the_article_before_it_is_stored(tmp_path, store):
    p = tmp_path / "deep.jsonl"
    p.write_text(json.dumps(GOOD) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    report = ingest_paths(store, [p])
    assert report.added == 1 and store.article("ok-1") is not None
    assert [str(e) for e in report.rejected] == [
        f"{p}:2: JSON nested 100000 deep, over the limit of 64 (--max-json-depth)"]
    res = CliRunner().invoke(app, ["ingest", str(p), "--db", str(tmp_path / "cli.db")])
    assert res.exit_code == 3, res.output
    assert "RecursionError" not in res.output and "deep.jsonl:2: JSON nested" in res.output


def test_gzip_bomb_is_refused_without_holding_the_line(tmp_path):
    p = tmp_path / "bomb.jsonl.gz"
    with gzip.open(p, "wb", compresslevel=9) as fh:
        fh.write((json.dumps(GOOD) + "\n").encode())
        block = b"a" * (1 << 20)
        for _ in range(48):  # 48 MB of one line, ~50 KB on disk
            fh.write(block)
        fh.write(b"\n" + json.dumps({**GOOD, "id": "ok-2"}).encode() + b"\n")
    assert p.stat().st_size < 200_000
    arts, errs = _split(read_path(p, limits=Limits(max_line_bytes=1 << 20)))
    assert [a.id for a in arts] == ["ok-1", "ok-2"]
    assert [str(e) for e in errs] == [f"{p}:2: line longer than 1,048,576 bytes (--max-line); skipped"]
    arts, errs = _split(read_path(p, limits=Limits(max_decompressed_bytes=8 << 20, max_line_bytes=1 << 20)))
    assert [a.id for a in arts] == ["ok-1"]
    assert str(errs[-1]).startswith(f"{p}:2: decompressed size passes the limit of 8,388,608 bytes (--max-decompressed)")


def test_latin1_text_is_read_detected_or_as_told(tmp_path):
    p = tmp_path / "fr.txt"
    body = "La France a demandé un cessez-le-feu immédiat, a déclaré le ministre des Affaires étrangères."
    p.write_bytes(("date 2024-01-02\n" + body).encode("latin-1"))
    arts, errs = _split(read_path(p))
    assert errs == [] and arts[0].text == body
    arts, errs = _split(read_path(p, encoding="latin-1"))
    assert errs == [] and arts[0].text == body
    arts, errs = _split(read_path(p, encoding="ascii"))
    assert arts == [] and str(errs[0]).startswith(f"{p}:2: not ascii text (byte ")
    res = CliRunner().invoke(app, ["ingest", str(p), "--encoding", "latin-1", "--db", str(tmp_path / "x.db")])
    assert res.exit_code == 0, res.output


def test_an_article_over_the_length_limit_is_refused_at_ingest(tmp_path, store):
    big = tmp_path / "big.txt"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write("date 2024-01-02\n")
        for _ in range(50):
            fh.write("The minister said the plan would go ahead. " * 23_256 + "\n")
    arts, errs = _split(read_path(big))
    assert arts == [] and str(errs[0]).startswith(f"{big}:1: file of 50,")
    assert "one article of at most 1,000,000 characters (--max-article-chars)" in str(errs[0])
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "long", "text": "word " * 400_001}) + "\n",
                 encoding="utf-8")
    report = ingest_paths(store, [p])
    assert report.added == 1 and store.article("long") is None
    assert [str(e) for e in report.rejected] == [
        f"{p}:2: field 'text': 2,000,005 characters, over the limit of 1,000,000 (--max-article-chars)"]
    arts, errs = _split(read_path(p, limits=Limits(max_article_chars=3_000_000)))
    assert [a.id for a in arts] == ["ok-1", "long"] and errs == []


def test_same_id_from_two_sources_both_stored_and_a_true_conflict_reported(tmp_path, store):
    a, b = tmp_path / "feed-a.jsonl", tmp_path / "feed-b.jsonl"
    a.write_text(json.dumps({**GOOD, "id": "1", "source": "Feed A", "text": "Story one of feed A."}) + "\n", encoding="utf-8")
    b.write_text(json.dumps({**GOOD, "id": "1", "source": "Feed B", "text": "Story one of feed B."}) + "\n"
                 + json.dumps({**GOOD, "id": "1", "source": "Feed B", "text": "Another text under id 1."}) + "\n",
                 encoding="utf-8")
    report = ingest_paths(store, [a, b])
    assert (report.read, report.added, report.renamed, report.conflicts) == (3, 2, 1, 1)
    assert store.article("1").text == "Story one of feed A."
    texts = sorted(x.text for x in store.iter_articles())
    assert texts == ["Story one of feed A.", "Story one of feed B."]
    assert [e.where for e in report.rejected] == [f"{b}:2"]
    assert "field 'id': '1' is already stored with a different text" in str(report.rejected[0])
    again = ingest_paths(store, [a, b])
    assert (again.added, again.duplicates, again.conflicts) == (0, 2, 1)
    assert store.count_articles() == 2

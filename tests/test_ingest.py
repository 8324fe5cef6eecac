"""Readers: every format, and bad records reported as FILE:LINE: reason while the rest go in."""

from __future__ import annotations

import datetime as dt
import gzip
import json

from stancemap.ingest import read_path


def _articles(path, **kw):
    recs = list(read_path(path, **kw))
    return [r.article for r in recs if r.article], [r.error for r in recs if r.error]


def test_dated_text_with_leading_whitespace(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("   date 2023-12-07 The US and Israel disagree.\n\nMore text.", encoding="utf-8")
    arts, errs = _articles(p)
    assert errs == []
    assert arts[0].date == dt.date(2023, 12, 7)
    assert arts[0].text.startswith("The US and Israel disagree.")
    assert arts[0].id == "a"


def test_plain_text_needs_a_date(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("No date line here.", encoding="utf-8")
    arts, errs = _articles(p)
    assert arts == [] and "pass --date" in str(errs[0]) and str(errs[0]).startswith(f"{p}:1:")
    arts, errs = _articles(p, date=dt.date(2024, 1, 2))
    assert errs == [] and arts[0].date == dt.date(2024, 1, 2)


def test_jsonl_bad_lines_are_reported_and_good_ones_kept(tmp_path):
    p = tmp_path / "c.jsonl"
    good = {"id": "x1", "date": "2024-01-01", "source": "BBC", "title": "t", "url": "", "text": "Hello."}
    lines = [json.dumps(good), "{not json", json.dumps({**good, "id": "x2", "text": ""}),
             json.dumps({**good, "id": "x3", "date": "yesterday"}), json.dumps({**good, "id": "x4"})]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(p, "ab") as fh:
        fh.write(b'{"id": "x5", "date": "2024-01-01", "text": "caf\xe9"}\n')
    arts, errs = _articles(p)
    assert [a.id for a in arts] == ["x1", "x4"]
    msgs = [str(e) for e in errs]
    assert msgs[0].startswith(f"{p}:2: invalid JSON")
    assert msgs[1] == f"{p}:3: field 'text': missing or empty"
    assert msgs[2].startswith(f"{p}:4: field 'date': cannot parse 'yesterday'")
    assert msgs[3].startswith(f"{p}:6: not UTF-8")
    assert [e.field for e in errs] == ["record", "text", "date", "record"]


def test_jsonl_gz(tmp_path):
    p = tmp_path / "d.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "date": "2024-02-03", "text": "Gzipped."}) + "\n")
    arts, errs = _articles(p)
    assert errs == [] and arts[0].id == "g1" and arts[0].date == dt.date(2024, 2, 3)


def test_csv_with_column_mapping(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("key,published,body\nk1,2024-03-01,First story.\nk2,,Second story.\n", encoding="utf-8")
    arts, errs = _articles(p, columns={"id": "key", "date": "published", "text": "body"})
    assert [a.id for a in arts] == ["k1"]
    assert str(errs[0]).startswith(f"{p}:3: field 'date': missing")
    arts, errs = _articles(p, columns={"text": "nope"})
    assert arts == [] and "no column 'nope'" in str(errs[0])


def test_missing_file(tmp_path):
    arts, errs = _articles(tmp_path / "missing.jsonl")
    assert arts == [] and "no such file" in str(errs[0])

"""Property tests at every reader: whatever the bytes, nothing crashes; each bad record is an
error naming FILE:LINE; every valid record of the same file is read; a second run adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemap.ingest import Limits, read_path

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMITS = Limits(max_line_bytes=4096, max_json_depth=16, max_article_chars=2000, max_decompressed_bytes=1 << 20)
WORDS = st.text(alphabet=st.sampled_from("abcdefghij klmnopqrstuvwxyzéàüß,.;'\"-"), min_size=1, max_size=80).filter(
    lambda s: any(c.isalpha() for c in s))
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))


def _read(path: Path, **kw):
    recs = list(read_path(path, limits=LIMITS, **kw))
    return [r.article for r in recs if r.article], [r.error for r in recs if r.error]


def _tmp():
    return tempfile.TemporaryDirectory(prefix="stancemap-prop-")


valid_rec = st.builds(lambda t, d, s: ("ok", {"date": d.isoformat(), "source": s, "text": t}), WORDS, DATES, WORDS)
bad_rec = st.one_of(
    st.binary(min_size=1, max_size=200).map(lambda b: ("bad", b"\x01" + b.replace(b"\n", b" ").replace(b"\r", b" "))),
    st.integers(17, 5000).map(lambda n: ("bad", b"[" * n)),                       # deep JSON
    st.integers(4097, 20_000).map(lambda n: ("bad", b'{"text": "' + b"a" * n + b'"}')),  # over the line limit
    st.sampled_from([b"[1, 2]", b'"just a string"', b"null", b"42"]).map(lambda b: ("bad", b)),
    st.builds(lambda t: ("bad", {"date": "2999-01-01", "text": t}), WORDS),   # future date
    st.builds(lambda t: ("bad", {"date": "not a date", "text": t}), WORDS),
    st.just(("bad", {"date": "2024-01-01", "text": "   "})),
    st.builds(lambda n: ("bad", {"date": "2024-01-01", "text": "x" * n}), st.integers(2001, 3000)),  # over the article limit
)


@SETTINGS
@given(st.lists(st.one_of(valid_rec, bad_rec), max_size=12), st.booleans())
def test_jsonl_reader(items, gz):
    with _tmp() as d:
        p = Path(d) / ("f.jsonl.gz" if gz else "f.jsonl")
        lines, want_ok, want_bad = [], [], []
        for n, (kind, item) in enumerate(items, 1):
            raw = item if isinstance(item, bytes) else json.dumps({**item, "id": f"r{n}"}).encode()
            lines.append(raw)
            (want_ok if kind == "ok" else want_bad).append(n)
        data = b"\n".join(lines) + b"\n"
        p.write_bytes(gzip.compress(data) if gz else data)
        arts, errs = _read(p)
        assert [a.id for a in arts] == [f"r{n}" for n in want_ok]
        assert [e.where for e in errs] == [f"{p}:{n}" for n in want_bad]
        assert all(str(e).startswith(f"{p}:") and e.reason for e in errs)


@SETTINGS
@given(st.lists(st.tuples(WORDS, st.one_of(DATES.map(dt.date.isoformat), st.just(""), st.just("2024-13-01"))),
                max_size=10), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_csv_reader(rows, encoding):
    with _tmp() as d:
        p = Path(d) / "f.csv"
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "date", "text"])
        for n, (text, date) in enumerate(rows):
            w.writerow([f"c{n}", date, text])
        p.write_bytes(buf.getvalue().encode(encoding))
        arts, errs = _read(p, encoding=None if encoding != "cp1252" else "cp1252")
        ok = [f"c{n}" for n, (_, date) in enumerate(rows) if date and date != "2024-13-01"]
        assert [a.id for a in arts] == ok
        assert [a.text for a in arts] == [rows[int(i[1:])][0].strip() for i in ok]
        assert len(errs) == len(rows) - len(ok)
        assert all(e.field == "date" and str(e).startswith(f"{p}:") for e in errs)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["x.txt", "x.html", "x.rss", "x.csv", "x.jsonl", "x.zip", "x",
                                                   "x.txt.gz"]))
def test_random_bytes_never_crash_any_reader(data, name):
    with _tmp() as d:
        p = Path(d) / name
        p.write_bytes(data)
        arts, errs = _read(p, date=dt.date(2024, 1, 1))
        for e in errs:
            assert str(e).startswith(f"{p}") and e.reason
        if name == "x.zip":
            assert arts == [] and len(errs) == 1


@SETTINGS
@given(WORDS, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]))
def test_text_reader_decodes_as_told(body, encoding):
    with _tmp() as d:
        p = Path(d) / "t.txt"
        p.write_bytes(f"date 2024-01-02\n{body}".encode(encoding))
        arts, errs = _read(p, encoding=encoding)
        assert errs == [] and arts[0].text == body.strip()


doc = st.tuples(WORDS, WORDS, st.one_of(DATES, st.none()), st.lists(WORDS, min_size=1, max_size=4))


def _nexis(docs) -> str:
    parts = []
    for title, source, date, paras in docs:
        date_line = f"{date:%B} {date.day}, {date.year} {date:%A}\n" if date else ""
        parts.append(f"{title}\n\n{source}\n{date_line}Copyright The Publisher\n\nLength: 10 words\nBody\n\n"
                     + "\n\n".join(paras) + "\n\nLoad-Date: \n\nEnd of Document\n")
    return "\n".join(parts)


def _factiva(docs) -> str:
    parts = []
    for n, (title, source, date, paras) in enumerate(docs):
        pd = f"PD     {date.day} {date:%B} {date.year}\n" if date else ""
        parts.append(f"HD     {title}\n{pd}SN     {source}\nLP     {paras[0]}\nTD     " + "\n\n".join(paras[1:] or ["More."])
                     + f"\nAN     Document DOC{n:06d}\n")
    return "\n".join(parts)


@SETTINGS
@given(st.lists(doc, min_size=1, max_size=6), st.sampled_from(["nexis", "factiva"]))
def test_export_readers(docs, fmt):
    docs = [(t.strip().replace("\n", " ") or "T", s.strip() or "S", d, [p.strip() or "p" for p in ps]) for t, s, d, ps in docs]
    docs = [(t if t[0].isalpha() else "T" + t, s if s[0].isalpha() else "S" + s, d, ps) for t, s, d, ps in docs]
    with _tmp() as tmp:
        p = Path(tmp) / "export.txt"
        p.write_text(_nexis(docs) if fmt == "nexis" else _factiva(docs), encoding="utf-8")
        arts, errs = _read(p)
        dated = [x for x in docs if x[2] is not None]
        assert [(a.title, a.date) for a in arts] == [(t, d) for t, _, d, _ in dated]
        assert len(errs) == len(docs) - len(dated) and all(e.field == "date" for e in errs)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.one_of(valid_rec, bad_rec), min_size=1, max_size=8), st.lists(valid_rec, max_size=4))
def test_a_second_run_adds_nothing(items, more):
    from stancemap.jobs import ingest_paths
    from stancemap.store import Store

    with _tmp() as d:
        p = Path(d) / "f.jsonl"
        with zipfile.ZipFile(Path(d) / "z.zip", "w") as zf:
            zf.writestr("inner.jsonl", "\n".join(json.dumps({**x, "id": f"z{n}"}) for n, (_, x) in enumerate(more)))
        lines = [x if isinstance(x, bytes) else json.dumps({**x, "id": f"r{n}"}).encode() for n, (_, x) in enumerate(items)]
        p.write_bytes(b"\n".join(lines) + b"\n")
        store = Store.open(f"sqlite:///{d}/s.db")
        first = ingest_paths(store, [p, Path(d) / "z.zip"], limits=LIMITS)
        second = ingest_paths(store, [p, Path(d) / "z.zip"], limits=LIMITS)
        n = store.count_articles()
        store.close()
        texts = {" ".join(x["text"].split()).casefold() for k, x in items + more if k == "ok"}
        assert first.added == n and second.added == 0 and second.reprints == 0
        assert len(texts) >= n  # texts differing only in case and spaces are one article
        assert len(second.rejected) == len(first.rejected) - first.conflicts + second.conflicts


NO_DIGITS = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=300)  # no dates in the text
PAGE = ("<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body><nav>Home News</nav>"
        "<article><h1>{title}</h1>{paras}</article></body></html>")


@SETTINGS
@given(NO_DIGITS.filter(lambda t: len(t) <= 60), st.lists(NO_DIGITS, max_size=6), st.one_of(st.none(), DATES),
       st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_html_reader(title, paras, date, encoding):
    meta = f'<meta property="article:published_time" content="{date.isoformat()}">' if date else ""
    html = PAGE.format(title=title, meta=meta, paras="".join(f"<p>{p}</p>" for p in paras))
    with _tmp() as d:
        p = Path(d) / "page.html"
        p.write_bytes(html.encode(encoding, "replace"))
        recs = list(read_path(p, limits=LIMITS))
        assert len(recs) == 1
        r = recs[0]
        if r.article is not None:
            assert date is not None and r.article.date == date
        else:
            assert r.error.where == f"{p}:1" and r.error.field in ("text", "date")

"""Formats from the wild: encodings, folders (with a FIFO and a broken link), zip, news-database
exports, saved web pages, feed files."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path

import pytest

from stancemap.ingest import Limits, read_path

DATA = Path(__file__).parent / "data" / "ingest"

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour board backs new ferry route | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2024-02-20T09:30:00Z">
<link rel="canonical" href="https://gazette.example/news/ferry-route"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour board backs new ferry route</h1>
<p>The harbour board said on Tuesday that it supports a new ferry route to the islands, after months of talks with the operators.</p>
<p>The board's chair said the route would start in the spring if the council agrees to pay for the new pier.</p>
<p>Opponents said the money should go to repairing the existing harbour wall instead.</p>
</article><footer>Copyright The Harbour Gazette. All rights reserved. Contact us.</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Times: news</title><link>https://valley.example/</link>
<item><title>Council approves flood defences</title><link>https://valley.example/a1</link>
<pubDate>Thu, 14 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The county council approved new flood defences along the river.&lt;/p&gt;</description></item>
<item><title>An entry without a date</title><link>https://valley.example/a2</link>
<description>No date here.</description></item>
</channel></rss>"""


def _split(recs):
    recs = list(recs)
    return [r.article for r in recs if r.article], [r.error for r in recs if r.error]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_boms_and_eight_bit_text_are_decoded(tmp_path, encoding):
    p = tmp_path / "t.txt"
    body = "Der Außenminister äußerte sich über die Lage; le ministre a demandé une trêve."
    p.write_bytes(f"date 2024-03-01\n{body}".encode(encoding))
    arts, errs = _split(read_path(p))
    assert errs == [] and arts[0].text == body and arts[0].date == dt.date(2024, 3, 1)


def test_crlf_nul_and_control_characters_are_cleaned(tmp_path):
    p = tmp_path / "c.txt"
    p.write_bytes(b"date 2024-03-01\r\nFirst line.\x00\r\nSecond\x07 line.\rThird line.\x1b")
    arts, errs = _split(read_path(p))
    assert errs == [] and arts[0].text == "First line.\nSecond line.\nThird line."
    q = tmp_path / "c.csv"
    q.write_bytes("\ufeffid,date,text\r\nk1,2024-01-01,caf\u00e9 au lait\x00\r\n".encode("utf-8"))
    arts, errs = _split(read_path(q))
    assert errs == [] and arts[0].id == "k1" and arts[0].text == "café au lait"


def test_csv_in_latin1_is_detected_or_told(tmp_path):
    p = tmp_path / "l.csv"
    p.write_bytes("id,date,text\nk1,2024-01-01,Le ministre a demandé une trêve immédiate à Gaza.\n".encode("latin-1"))
    for kw in ({}, {"encoding": "latin-1"}):
        arts, errs = _split(read_path(p, **kw))
        assert errs == [] and arts[0].text == "Le ministre a demandé une trêve immédiate à Gaza."


def test_folder_walk_reports_fifo_and_broken_link_and_reads_the_rest(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("date 2024-01-01\nOne.", encoding="utf-8")
    (d / "sub" / "b.jsonl").write_text(json.dumps({"id": "b", "date": "2024-01-02", "text": "Two."}) + "\n", encoding="utf-8")
    (d / ".hidden.txt").write_text("date 2024-01-01\nHidden.", encoding="utf-8")
    (d / "noext").write_text('{"id": "n", "date": "2024-01-03", "text": "Sniffed as JSONL."}\n', encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    (d / "gone.txt").symlink_to(d / "nowhere.txt")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    arts, errs = _split(read_path(d))
    assert sorted(a.id for a in arts) == ["a", "b", "n"]
    msgs = sorted(str(e) for e in errs)
    assert msgs == sorted([f"{d / 'gone.txt'}:0: a broken link", f"{d / 'pipe.txt'}:0: a FIFO, not a regular file; skipped",
                           f"{d / 'image.png'}:0: not a text, JSONL, CSV, HTML, feed or zip file; skipped"])


def test_zip_members_are_read_and_named(tmp_path):
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "date 2024-01-01\nFrom the archive.")
        zf.writestr("dir/b.jsonl", json.dumps({"id": "zb", "date": "2024-01-02", "text": "Also."}) + "\n{bad\n")
        zf.writestr("__MACOSX/._a.txt", "junk")
        zf.writestr("bomb.jsonl", b"x" * (3 << 20))
    arts, errs = _split(read_path(z, limits=Limits(max_decompressed_bytes=1 << 20)))
    assert sorted(a.id for a in arts) == ["a", "zb"]
    msgs = [str(e) for e in errs]
    assert len(msgs) == 2
    assert msgs[0].startswith(f"{z}!bomb.jsonl:1: decompressed size passes the limit of 1,048,576 bytes")
    assert msgs[1].startswith(f"{z}!dir/b.jsonl:2: invalid JSON")


def test_lexisnexis_export_is_split_into_articles():
    p = DATA / "nexis-export.txt"
    arts, errs = _split(read_path(p))
    assert [(a.source, a.date, a.title) for a in arts] == [
        ("The Northern Courier (Leeds)", dt.date(2023, 10, 10), "Ministers back a ceasefire plan at emergency talks"),
        ("The Harbour Gazette", dt.date(2023, 11, 2), "Port authority rejects call for a new terminal")]
    assert arts[0].text.startswith("Foreign ministers meeting in Brussels") and "Load-Date" not in arts[0].text
    assert arts[0].text.endswith("the ministers said.")
    assert [str(e) for e in errs] == [f"{p}:42: field 'date': no date line under the headline "
                                      "'An article that has lost its date'; pass --date"]
    arts, errs = _split(read_path(p, date=dt.date(2023, 12, 1)))
    assert errs == [] and arts[2].date == dt.date(2023, 12, 1)


def test_factiva_export_is_split_into_articles():
    p = DATA / "factiva-export.txt"
    arts, errs = _split(read_path(p))
    assert [(a.id, a.source, a.date) for a in arts] == [
        ("VALTIM0020240314ek3e0000a", "The Valley Times", dt.date(2024, 3, 14)),
        ("COAHER0020240402ek420000b", "The Coastal Herald", dt.date(2024, 4, 2))]
    assert arts[0].text == ("The county council approved new flood defences along the river on Wednesday.\n\n"
                            "The plan had been delayed twice.\n\nResidents had called for the defences for years, "
                            "a councillor said, and the\nwork will begin in the summer.")
    assert [str(e) for e in errs] == [f"{p}:25: field 'date': no PD (publication date) field for "
                                      "'A document without its date'; pass --date"]


def test_saved_web_page(tmp_path):
    p = tmp_path / "ferry.html"
    p.write_text(PAGE, encoding="utf-8")
    arts, errs = _split(read_path(p))
    assert errs == []
    a = arts[0]
    assert (a.date, a.url, a.source) == (dt.date(2024, 2, 20), "https://gazette.example/news/ferry-route", "The Harbour Gazette")
    assert a.title == "Harbour board backs new ferry route"
    assert "supports a new ferry route" in a.text and "Home" not in a.text and "Contact us" not in a.text


def test_web_page_without_a_date_is_reported_or_takes_date(tmp_path):
    p = tmp_path / "undated.html"
    p.write_text(PAGE.replace('<meta property="article:published_time" content="2024-02-20T09:30:00Z">', ""),
                 encoding="utf-8")
    arts, errs = _split(read_path(p))
    assert arts == [] and str(errs[0]).startswith(f"{p}:1: field 'date': no publication date found in the page")
    arts, errs = _split(read_path(p, date=dt.date(2024, 2, 21)))
    assert errs == [] and arts[0].date == dt.date(2024, 2, 21)


def test_feed_file_entries_with_content(tmp_path):
    p = tmp_path / "valley.rss"
    p.write_text(FEED, encoding="utf-8")
    arts, errs = _split(read_path(p))
    assert [(a.id, a.date, a.source, a.text) for a in arts] == [
        ("https://valley.example/a1", dt.date(2024, 3, 14), "Valley Times: news",
         "The county council approved new flood defences along the river.")]
    assert [str(e) for e in errs] == [f"{p}:6: field 'date': the entry 'An entry without a date' has no date; pass --date"]


def test_future_and_ancient_dates_are_rejected(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(json.dumps({"id": str(i), "date": d, "text": "Text."})
                           for i, d in enumerate(["2999-01-01", "1066-10-14", "2024-02-30"])) + "\n", encoding="utf-8")
    arts, errs = _split(read_path(p))
    assert arts == []
    assert [str(e) for e in errs] == [f"{p}:1: field 'date': 2999-01-01 is in the future",
                                      f"{p}:2: field 'date': 1066-10-14 is before 1800-01-01",
                                      f"{p}:3: field 'date': cannot parse '2024-02-30' as YYYY-MM-DD"]


def test_csv_line_over_the_limit_is_dropped_not_held(tmp_path):
    import gzip

    p = tmp_path / "bomb.csv.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b"id,date,text\nk1,2024-01-01,Before.\nk2,2024-01-01,")
        for _ in range(8):
            fh.write(b"y" * (1 << 20))
        fh.write(b"\nk3,2024-01-01,After.\n")
    arts, errs = _split(read_path(p, limits=Limits(max_line_bytes=1 << 20)))
    assert [a.id for a in arts] == ["k1", "k3"]
    assert [str(e) for e in errs] == [f"{p}:3: line longer than 1,048,576 characters (--max-line); skipped"]


def test_page_over_the_size_limit_is_refused(tmp_path):
    p = tmp_path / "huge.html"
    p.write_text(PAGE.replace("</article>", "<p>More words.</p>" * 20_000 + "</article>"), encoding="utf-8")
    arts, errs = _split(read_path(p, limits=Limits(max_page_bytes=100_000)))
    assert arts == [] and [str(e) for e in errs] == [
        f"{p}:1: a web page passes the limit of 100,000 bytes"]


def test_atom_feed_file_and_relative_links():
    from stancemap.ingest.feeds import parse_feed

    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>
<entry><title>Minister opposes the tax</title><link href="/news/tax"/><id>tag:herald,2024:1</id>
<updated>2024-04-02T08:00:00Z</updated><content type="html">&lt;p&gt;The minister said she opposed the tax.&lt;/p&gt;</content></entry></feed>"""
    title, entries = parse_feed(atom, "https://herald.example/feed.atom")
    assert title == "Herald"
    assert [(e.link, e.date, e.title) for e in entries] == [
        ("https://herald.example/news/tax", dt.date(2024, 4, 2), "Minister opposes the tax")]
    assert "opposed the tax" in entries[0].content

"""Ingest benchmarks: peak memory on hostile files, HTML pages per second, the cost of reprint
detection on the corpus. Prints markdown tables.

    .venv/bin/python benchmarks/ingest.py [--corpus PATH] [--pages N] [--skip-corpus]

Hostile files are made in a temporary folder (never in the repo); each is ingested by
`stancemap ingest` in its own process, and its peak RSS is that process's (``ru_maxrss`` of
the child). The HTML pages are generated (our own words); the corpus is only read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).with_name("stancemap"))
CORPUS = HERE.parent / "shared" / "corpus" / "gaza-2023-24.jsonl.gz"
GOOD = json.dumps({"id": "ok", "date": "2024-01-05", "text": "A valid article."})


def make_hostile(d: Path) -> dict[str, Path]:
    files = {}
    p = d / "tiny.jsonl"
    p.write_text(GOOD + "\n")
    files["baseline: one valid line"] = p
    p = d / "deep.jsonl"
    p.write_text(GOOD + "\n" + "[" * 100_000 + "\n")
    files["100,000 nested `[`"] = p
    p = d / "bomb.jsonl.gz"
    with gzip.open(p, "wb", compresslevel=9) as fh:
        fh.write((GOOD + "\n").encode())
        block = b"a" * (1 << 20)
        for _ in range(1024):
            fh.write(block)
    files[f"gzip bomb: {p.stat().st_size / 1e6:.1f} MB inflating to 1 GB of one line"] = p
    p = d / "big.txt"
    with open(p, "w") as fh:
        fh.write("date 2024-01-02\n" + ("The minister said the plan would go ahead. " * 23_256 + "\n") * 50)
    files["50 MB article (.txt)"] = p
    p = d / "bigline.jsonl"
    with open(p, "w") as fh:
        fh.write(GOOD + "\n" + json.dumps({"id": "x", "date": "2024-01-01", "text": "word " * 10_000_000}) + "\n")
    files["50 MB JSONL line"] = p
    p = d / "random.txt"
    p.write_bytes(os.urandom(20 << 20))
    files["20 MB of random bytes (.txt, --date)"] = p
    p = d / "huge.html"
    with open(p, "w") as fh:
        fh.write("<html><head><title>Huge</title></head><body>" + "<div><p>Word after word.</p></div>" * 1_800_000 + "</body></html>")
    files["60 MB web page (.html)"] = p
    p = d / "zipbomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("inner.jsonl", "w") as fh:
            fh.write((GOOD + "\n").encode())
            for _ in range(1024):
                fh.write(b"b" * (1 << 20))
    files[f"zip bomb: {p.stat().st_size / 1e6:.1f} MB, a 1 GB member of one line"] = p
    return files




def hostile(d: Path) -> None:
    print("| input | peak RSS | time | result |\n|---|---:|---:|---|")
    for label, path in make_hostile(d).items():
        # one process each, so ru_maxrss of the children is this run's (the first, tiny, sets the floor)
        cmd = [sys.executable, "-c", "import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", BIN, "ingest", str(path),
               "--db", str(d / f"{path.stem}.db"), "--date", "2024-01-01"]
        t = time.time()
        res = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.time() - t
        peak = int(res.stdout.strip().splitlines()[-1]) / 1024
        last = (res.stderr.strip().splitlines() or [""])[-1]
        print(f"| {label} | {peak:.0f} MB | {wall:.1f} s | {last.replace('|', '/')[:90]} |")


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Report {n}</title>
<meta property="article:published_time" content="2024-0{m}-1{d}"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<aside>Most read: one, two, three, four.</aside><article><h1>Council report {n}</h1>{paras}</article>
<footer>Copyright. Contact us. Terms. Privacy.</footer></body></html>"""
SENT = ("The council said on Monday that it supports the plan for district {n}, and officials added that "
        "work would begin after the consultation, which closes next month. ")


def pages_per_second(d: Path, n: int) -> None:
    from stancemap.ingest import read_path

    folder = d / "pages"
    folder.mkdir()
    for i in range(n):
        paras = "".join(f"<p>{SENT.format(n=i) * 6}</p>" for _ in range(12))  # ~1,100 words
        (folder / f"p{i:05d}.html").write_text(PAGE.format(n=i, m=1 + i % 9, d=i % 10, paras=paras))
    t, c = time.time(), time.process_time()
    ok = sum(1 for r in read_path(folder) if r.article)
    wall, cpu = time.time() - t, time.process_time() - c
    print(f"| {ok} pages of ~1,100 words (trafilatura + htmldate) | {ok / wall:.1f} pages/s wall, "
          f"{ok / cpu:.1f} pages/s per core (CPU) | `benchmarks/ingest.py --pages {n}` |")


def reprint_cost(d: Path, corpus: Path) -> None:
    from stancemap.ingest import read_path
    from stancemap.ingest.reprints import signature
    from stancemap.jobs import group_reprints, ingest_paths
    from stancemap.store import Store

    arts = [r.article for r in read_path(corpus) if r.article]
    c = time.process_time()
    for a in arts:
        signature(a.text)
    sig_cpu = time.process_time() - c
    store = Store.open(f"sqlite:///{d / 'corpus.db'}")
    t = time.time()
    ingest_paths(store, [corpus], reprint_threshold=None)
    plain = time.time() - t
    t = time.time()
    joined = group_reprints(store, threshold=0.7)
    grouping = time.time() - t
    t = time.time()
    again = ingest_paths(store, [corpus])
    rerun = time.time() - t
    print(f"| corpus ({len(arts):,} articles): ingest without reprint detection | {plain:.1f} s | |")
    print(f"| MinHash signatures alone (CPU) | {sig_cpu:.1f} s ({1000 * sig_cpu / len(arts):.2f} ms an article) | |")
    print(f"| reprint grouping (signatures + LSH look-up + writes), SQLite | {grouping:.1f} s; {joined} articles joined "
          f"an earlier story at 0.7 | |")
    print(f"| re-ingest with reprints on (no-op: {again.added} added) | {rerun:.1f} s | |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--skip-corpus", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="stancemap-bench-") as tmp:
        d = Path(tmp)
        print("### Peak memory on hostile files (`stancemap ingest`, default limits)\n")
        hostile(d)
        print("\n### HTML pages per second\n\n| figure | value | command |\n|---|---|---|")
        pages_per_second(d, args.pages)
        if not args.skip_corpus and args.corpus.exists():
            print("\n### Reprint detection on the corpus\n\n| figure | value | |\n|---|---|---|")
            reprint_cost(d, args.corpus)


if __name__ == "__main__":
    main()

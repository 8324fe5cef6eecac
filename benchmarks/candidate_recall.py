"""How many gold claims the learned extractor *can* find: a claim is reachable only if its actor
has a candidate in the evidence sentence and the claim's issue is among that candidate's rows.

    .venv/bin/python benchmarks/candidate_recall.py [--shared ../shared] [--cache /tmp/ds.pkl]

Over the built-in model's training set (the shared Gaza and US 2016 sets, the dev set and
``annotations/pool-*.jsonl``), each gold claim falls in one class: a row (reachable); a pair whose
issue is no row; the actor found elsewhere in the article but not tied to the evidence sentence;
the actor never found. ``--cache`` reuses (or writes) the rows ``benchmarks/claim_model.py`` reads.
About two minutes without a cache.
"""

from __future__ import annotations

import argparse
import os
import pickle
from collections import Counter
from pathlib import Path

from stancemap.extract.learned import builtin_model_dir
from stancemap.learn.data import shipped_training_set
from stancemap.learn.dataset import build

CLASSES = ("row", "pair, issue not a row", "actor elsewhere in the article", "actor never found")


def classify(ds) -> Counter:
    out: Counter = Counter()
    r = 0
    for g, ac, keys in zip(ds.articles, ds.candidates, ds.keys):
        positive = set()
        for pi, iid in keys:
            if ds.y[r] > 0:
                positive.add((ac.pairs[pi].actor, iid))
            r += 1
        for c in g.claims:
            sents = {i for i, s in enumerate(ac.sentences) if s.start < c.end and c.start < s.end}
            if (c.actor, c.issue) in positive:
                k = CLASSES[0]
            elif any(p.sent in sents and p.actor == c.actor for p in ac.pairs):
                k = CLASSES[1]
            elif any(p.actor == c.actor for p in ac.pairs):
                k = CLASSES[2]
            else:
                k = CLASSES[3]
            out[(g.codebook, k)] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--cache", default=None)
    a = ap.parse_args()
    if a.cache and os.path.exists(a.cache):
        with open(a.cache, "rb") as fh:
            ds = pickle.load(fh)
    else:
        ds = build(shipped_training_set(a.shared, a.annotations), builtin_model_dir())
        if a.cache:
            Path(a.cache).write_bytes(pickle.dumps(ds))
    got = classify(ds)
    books = sorted({b for b, _k in got})
    print("| codebook | claims | " + " | ".join(CLASSES) + " |")
    print("|---|---:|" + "---:|" * len(CLASSES))
    for b in [*books, "all"]:
        counts = [sum(v for (bb, kk), v in got.items() if kk == k and b in (bb, "all")) for k in CLASSES]
        n = sum(counts)
        print(f"| {b} | {n} | " + " | ".join(f"{c} ({c / max(1, n):.3f})" for c in counts) + " |")


if __name__ == "__main__":
    main()

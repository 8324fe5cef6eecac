"""Errors of the learned claim model by class, on its 5-fold cross-validated claims (each article
claimed by a row scorer and a group stage that never saw it):

    .venv/bin/python benchmarks/claim_errors.py --shared ../shared [--cache /tmp/ds.pkl]

(the cache is the one benchmarks/claim_model.py or ``python -m stancemap.learn.builtin --cache`` writes).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.setrecursionlimit(10000)

from stancemap.extract.learned import builtin_model_dir  # noqa: E402
from stancemap.learn import crossval as CV  # noqa: E402
from stancemap.learn.data import shipped_training_set  # noqa: E402
from stancemap.learn.dataset import build, targets_of  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--cache", default=None)
    a = ap.parse_args()
    if a.cache and Path(a.cache).exists():
        ds = pickle.load(open(a.cache, "rb"))
        ds.targets = targets_of(shipped_training_set(a.shared, a.annotations))
    else:
        ds = build(shipped_training_set(a.shared, a.annotations), builtin_model_dir())
    s, _gold, preds, _P = CV.cross_validate(ds, n_folds=5, seed=0)
    counts: Counter = Counter()
    for k in range(len(ds.articles)):
        pred = {(c["actor"], c["issue"], c["stance"]) for c in preds[ds.articles[k].article.id]}
        gold = ds.gold_triples(k)
        ac = ds.candidates[k]
        cand_pairs = {(ac.pairs[pi].actor, iid) for pi, iid in ds.keys[k]}
        pairs = {(x, i) for x, i, _s in gold}
        for actor, issue, st in gold - pred:
            flip = (actor, issue, "oppose" if st == "support" else "support")
            if flip in pred:
                counts["FN: stance flipped"] += 1
            elif actor not in ac.salience and (actor, issue) not in cand_pairs:
                counts["FN: the actor is never named"] += 1
            elif (actor, issue) not in cand_pairs:
                counts["FN: the issue was not among the issues scored"] += 1
            else:
                counts["FN: a candidate exists but scored under the threshold"] += 1
        for actor, issue, _st in pred - gold:
            if (actor, issue) in pairs:
                counts["FP: wrong stance on a gold pair"] += 1
            elif any(x == actor for x, _i, _s in gold):
                counts["FP: right actor, an issue the gold does not have"] += 1
            elif any(i == issue for _x, i, _s in gold):
                counts["FP: right issue, an actor the gold does not have"] += 1
            else:
                counts["FP: neither actor nor issue in the gold"] += 1
    print(f"cross-validated triples: P {s.triple[0]:.3f} R {s.triple[1]:.3f} F1 {s.triple[2]:.3f}\n\n"
          "| class | count |\n|---|---:|")
    for k, v in sorted(counts.items()):
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()

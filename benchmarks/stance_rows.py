"""Which side the stance trees pick on held-out claim rows, with and without a group of features.

    .venv/bin/python benchmarks/stance_rows.py --cache /tmp/ds.pkl [--without STANCE_SCALARS]

The claim rows are the (sentence, actor, issue) rows that hold a gold claim's evidence. The stance
trees (``stancemap.learn.fit.stance_trees``, as ``fit_stance`` makes them) are fitted on some and scored on the
others: 5-fold by article, and leave-issues-out (a quarter of each codebook's issues held out in
turn, two article folds each, as ``crossval.leave_issues_out`` deals them). A minute on one core,
so a feature meant for the stance can be tried before a whole model is. ``--cache``: the rows that
``benchmarks/claim_model.py --cache`` pickles (built here if missing).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.setrecursionlimit(10000)

import numpy as np  # noqa: E402

from stancemap.extract import features  # noqa: E402
from stancemap.learn import crossval as CV  # noqa: E402
from stancemap.learn import fit as F  # noqa: E402


def held_out_sides(ds, cols: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """(5-fold accuracy, leave-issues-out accuracy) of the stance trees over columns ``cols``."""
    pos = np.nonzero((ds.y > 0) & (ds.w > 0))[0]
    opp = (ds.y[pos] == 2).astype(np.int8)
    X, arts = ds.X[pos][:, cols], ds.row_article[pos]
    cv = np.zeros(len(pos))
    for fold in F.folds_by_article(len(ds.articles), 5, seed):
        te = np.isin(arts, fold)
        cv[te] = F.stance_trees(seed).fit(X[~te], opp[~te], sample_weight=ds.w[pos][~te]).predict_proba(X[te])[:, 1]
    key = [(ds.articles[a].codebook, i) for a, i in zip(arts, ds.row_issue[pos])]
    lio = np.full(len(pos), np.nan)
    for gi, group in enumerate(CV.issue_groups(ds, 4, seed)):
        held = np.array([k in group for k in key], dtype=bool)
        for fold in F.folds_by_article(len(ds.articles), 2, seed + gi + 1):
            te = np.isin(arts, fold)
            tr, sc = ~te & ~held, te & held
            if sc.any():
                lio[sc] = F.stance_trees(seed).fit(X[tr], opp[tr], sample_weight=ds.w[pos][tr]).predict_proba(X[sc])[:, 1]
    ok = ~np.isnan(lio)
    return float(((cv > 0.5) == opp).mean()), float(((lio[ok] > 0.5) == opp[ok]).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--cache", default="/tmp/ds.pkl")
    ap.add_argument("--without", default="STANCE_SCALARS",
                    help="a tuple of stancemap.extract.features naming the scalars to leave out for the comparison")
    a = ap.parse_args()
    if Path(a.cache).exists():
        with open(a.cache, "rb") as fh:
            ds = pickle.load(fh)
    else:
        from stancemap.extract.learned import builtin_model_dir
        from stancemap.learn.data import shipped_training_set
        from stancemap.learn.dataset import build

        ds = build(shipped_training_set(a.shared, a.annotations), builtin_model_dir())
        with open(a.cache, "wb") as fh:
            pickle.dump(ds, fh, protocol=4)
    from stancemap.extract.learned import builtin_model_dir

    dim = np.load(builtin_model_dir() / "static.npy", mmap_mode="r").shape[1]
    if ds.X.shape[1] != features.n_features(dim):
        raise SystemExit(f"{a.cache}: rows made with other features than today's; delete it to rebuild")
    left_out = set(getattr(features, a.without))
    every = np.arange(len(features.SCALARS))
    some = np.array([j for j, n in enumerate(features.SCALARS) if n not in left_out])
    n = int(((ds.y > 0) & (ds.w > 0)).sum())
    print(f"{n} claim rows of {len(ds.articles)} articles; the side the stance trees pick, held out\n")
    print("| scalars | 5-fold by article | leave-issues-out |\n|---|---:|---:|")
    for name, cols in ((f"all but {a.without}", some), ("all", every)):
        cv, lio = held_out_sides(ds, cols)
        print(f"| {name} ({len(cols)}) | {cv:.3f} | {lio:.3f} |", flush=True)


if __name__ == "__main__":
    main()

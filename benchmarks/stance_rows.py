"""Which side the stance trees pick on held-out claim rows, with and without a group of features.

    .venv/bin/python benchmarks/stance_rows.py --cache /tmp/ds.pkl [--without STANCE_SCALARS]
    .venv/bin/python benchmarks/stance_rows.py --cache /tmp/ds.pkl --without NONE --hypotheses minilm
    .venv/bin/python benchmarks/stance_rows.py --cache /tmp/ds.pkl --without NONE --cues

The claim rows are the (sentence, actor, issue) rows that hold a gold claim's evidence. The stance
trees (``stancemap.learn.fit.stance_trees``, as ``fit_stance`` makes them) are fitted on some and
scored on the others: 5-fold by article; leave-issues-out (a quarter of each codebook's issues
held out in turn, two article folds each, as ``crossval.leave_issues_out`` deals them); and
leaving the topic out (fitted on one codebook's rows, scored on the other's), with the area under
the ROC curve and the share of oppose rows found there. A minute or two on one core, so a feature
meant for the stance can be tried before a whole model is. ``--cache``: the rows that
``benchmarks/claim_model.py --cache`` pickles (built here if missing).

``--without NONE`` compares nothing away. ``--cues``: the stance trees with the cue model of
``stancemap.extract.sides`` on the rows of issues the training rows do not know, as extraction
does it. ``--hypotheses static|minilm`` adds, as an experiment,
how much nearer a claim row's sentence is to "ACTOR opposes LABEL" than to "ACTOR supports LABEL"
(and three more such pairs of hypotheses, from the issue's label and description), embedded by
the model's static vectors or by all-MiniLM-L6-v2 itself (``stancemap.extract.encoder``, numpy:
needs the encoder package of ``requirements/encoder.txt``, about 80 s for 3,200 sentences). The
extractor computes neither; the comparison says whether a contextual encoder would be worth its
cost (benchmarks/README.md, fourteenth session).
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

# (support, oppose) hypotheses; {A} the actor's name, {L} the issue's label, {D} its description
HYPOTHESES = (("supports {L}", "opposes {L}"), ("in favour of {L}", "against {L}"),
              ("{A} supports {L}", "{A} opposes {L}"), ("{A} wants {D}", "{A} rejects {D}"))


def claim_rows(ds) -> tuple[np.ndarray, np.ndarray]:
    pos = np.nonzero((ds.y > 0) & (ds.w > 0))[0]
    return pos, (ds.y[pos] == 2).astype(np.int8)


def hypothesis_features(ds, pos: np.ndarray, codebooks: dict, encoder: str) -> np.ndarray:
    """Per claim row, cos(sentence, oppose hypothesis) - cos(sentence, support hypothesis), one
    column per pair of ``HYPOTHESES``."""
    where = {}
    for k, rows in enumerate(F.rows_by_article(ds)):
        for r, key in zip(rows, ds.keys[k]):
            where[r] = (k, key)
    if encoder == "minilm":
        from stancemap.extract.encoder import Encoder

        embed = Encoder().encode
    else:
        from stancemap.extract.learned import builtin_model_dir
        from stancemap.extract.static import StaticEmbedder

        static = StaticEmbedder(builtin_model_dir())

        def embed(texts):
            v = static.embed(texts)
            return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)

    texts, fills = [], []
    for r in pos:
        k, (pi, iid) = where[r]
        ac, cb = ds.candidates[k], codebooks[ds.articles[k].codebook]
        issue = next(i for i in cb.issues if i.id == iid)
        actor = ac.pairs[pi].actor
        name = next((a.name for a in cb.actors if a.id == actor), actor)
        texts.append(ac.sentences[ac.pairs[pi].sent].text)
        fills.append({"A": name, "L": issue.label, "D": issue.description or issue.label})
    S = embed(texts)
    hyps = sorted({h.format(**f) for f in fills for pair in HYPOTHESES for h in pair})
    H = dict(zip(hyps, embed(hyps)))
    return np.array([[S[n] @ H[o.format(**f)] - S[n] @ H[s.format(**f)] for s, o in HYPOTHESES]
                     for n, f in enumerate(fills)])


def held_out_sides(ds, X: np.ndarray, seed: int = 0, cues: bool = False) -> dict[str, float]:
    """Accuracy of the stance trees over the claim rows' columns ``X``: 5-fold, leave-issues-out,
    and each topic left out (accuracy, AUC, oppose recall). ``cues``: as extraction does, on the
    rows whose issue the training rows do not know, P(oppose) mixed with the cue model's
    (``stancemap.learn.sides.fit_cue_sides``, ``stancemap.extract.sides``)."""
    from sklearn.metrics import roc_auc_score

    from stancemap.extract.sides import CueSides
    from stancemap.learn.sides import fit_cue_sides

    pos, opp = claim_rows(ds)
    arts, w = ds.row_article[pos], ds.w[pos]
    fps = ds.row_fingerprints()[pos] if cues else None

    def fit_score(tr, te):
        p = F.stance_trees(seed).fit(X[tr], opp[tr], sample_weight=w[tr]).predict_proba(X[te])[:, 1]
        if not cues:
            return p
        sides = CueSides(fit_cue_sides(X[tr], opp[tr] + 1, w[tr], fps[tr]))
        unseen = np.array([f not in sides.seen for f in fps[te]])
        return np.where(unseen, (1 - sides.mix) * p + sides.mix * sides.oppose(X[te]), p)

    cv = np.zeros(len(pos))
    for fold in F.folds_by_article(len(ds.articles), 5, seed):
        te = np.isin(arts, fold)
        cv[te] = fit_score(~te, te)
    key = [(ds.articles[a].codebook, i) for a, i in zip(arts, ds.row_issue[pos])]
    lio = np.full(len(pos), np.nan)
    for gi, group in enumerate(CV.issue_groups(ds, 4, seed)):
        held = np.array([k in group for k in key], dtype=bool)
        for fold in F.folds_by_article(len(ds.articles), 2, seed + gi + 1):
            te = np.isin(arts, fold)
            tr, sc = ~te & ~held, te & held
            if sc.any():
                lio[sc] = fit_score(tr, sc)
    ok = ~np.isnan(lio)
    out = {"5-fold": float(((cv > 0.5) == opp).mean()), "leave-issues-out": float(((lio[ok] > 0.5) == opp[ok]).mean())}
    cb = np.array([ds.articles[a].codebook for a in arts])
    for a_ in sorted(set(cb)):
        for b_ in sorted(set(cb) - {a_}):
            p, o = fit_score(cb == a_, cb == b_), opp[cb == b_]
            out[f"{a_} -> {b_}"] = float(((p > 0.5) == o).mean())
            out[f"{a_} -> {b_} AUC"] = float(roc_auc_score(o, p))
            out[f"{a_} -> {b_} oppose found"] = float((p[o == 1] > 0.5).mean())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--cache", default="/tmp/ds.pkl")
    ap.add_argument("--without", default="STANCE_SCALARS",
                    help="a tuple of stancemap.extract.features naming the scalars to leave out for the "
                         "comparison (NONE: leave nothing out)")
    ap.add_argument("--cues", action="store_true",
                    help="add the trees with the cue model on issues they do not know (stancemap.extract.sides)")
    ap.add_argument("--hypotheses", choices=("static", "minilm"), default=None,
                    help="add the hypothesis similarities (an experiment; see above)")
    a = ap.parse_args()
    from stancemap.learn.data import shipped_training_set

    ts = shipped_training_set(a.shared, a.annotations)
    if Path(a.cache).exists():
        with open(a.cache, "rb") as fh:
            ds = pickle.load(fh)
        from stancemap.learn.dataset import fingerprints_of

        ds.issue_fps = fingerprints_of(ts)  # rows pickled before the cue model (2026-12-07, evening) do not carry them
    else:
        from stancemap.extract.learned import builtin_model_dir
        from stancemap.learn.dataset import build

        ds = build(ts, builtin_model_dir())
        with open(a.cache, "wb") as fh:
            pickle.dump(ds, fh, protocol=4)
    from stancemap.extract.learned import builtin_model_dir

    dim = np.load(builtin_model_dir() / "static.npy", mmap_mode="r").shape[1]
    if ds.X.shape[1] != features.n_features(dim):
        raise SystemExit(f"{a.cache}: rows made with other features than today's; delete it to rebuild")
    left_out = set() if a.without == "NONE" else set(getattr(features, a.without))
    every = np.arange(len(features.SCALARS))
    some = np.array([j for j, n in enumerate(features.SCALARS) if n not in left_out])
    pos, _ = claim_rows(ds)
    print(f"{len(pos)} claim rows of {len(ds.articles)} articles; the side the stance trees pick, held out\n")
    variants = [(f"all but {a.without}", ds.X[pos][:, some])] if left_out else []
    variants.append(("all", ds.X[pos][:, every]))
    if a.hypotheses:
        G = hypothesis_features(ds, pos, ts.codebooks, a.hypotheses)
        variants.append((f"all + {a.hypotheses} hypotheses", np.column_stack([ds.X[pos][:, every], G])))
    header = None
    runs = [(name, X, False) for name, X in variants]
    if a.cues:
        runs.append(("all, cues on unknown issues", ds.X[pos][:, every], True))
    for name, X, cues in runs:
        got = held_out_sides(ds, X, cues=cues)
        if header is None:
            header = list(got)
            print("| scalars | " + " | ".join(header) + " |\n|---|" + "---:|" * len(header))
        print(f"| {name} ({X.shape[1]}) | " + " | ".join(f"{got[h]:.3f}" for h in header) + " |", flush=True)


if __name__ == "__main__":
    main()

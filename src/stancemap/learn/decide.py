"""Fitting the group stage (:mod:`stancemap.extract.aggregate`): one decision per (actor, issue) per article.

Its inputs are the row scorer's probabilities on articles that scorer never saw (out-of-fold),
as at run time on new news. Its calibration and threshold come from its own held-out folds.

A pair's label is the gold stance of that actor and issue in the article (none when there is
none); a pair claimed both ways appears twice, once per side, at half weight each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stancemap.extract.aggregate import PAIR_FEATURES, GroupDecider, group_features, groups_of, pair_side
from stancemap.learn import fit as F
from stancemap.learn.dataset import Dataset

N_FOLDS = 4
# Who picks a pair's side: the sentences' votes ("votes"), its best sentence ("rows") or the group
# trees ("trees"). Held out (cross-validated, the same row probabilities): votes 0.489, best
# sentence 0.481 (stance right on 0.846 and 0.833 of the pairs found).
SIDES = "votes"
# With SIDES "rows" (and "votes"): the group trees' share of a pair's score, the rest its best sentence's
# probability. Held out (nested), against the best sentence alone: 1.0 gave cross-validation
# +0.011, leave-issues-out -0.018, Gaza -> US 2016 +0.008, dev -0.046; 0.5 gave +0.005, -0.014,
# +0.042, -0.011 (benchmarks/README.md): half and half transfers to a new topic best.
MIX = 0.5


@dataclass
class PairSet:
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    article: np.ndarray  # index into the dataset's articles
    first: np.ndarray    # True on a pair's first row (a pair claimed both ways has two)


def article_view(ds: Dataset, k: int, rows: np.ndarray, row_ok: np.ndarray | None):
    """The article's rows (and their keys) that this figure may see."""
    if row_ok is None:
        return rows, ds.keys[k]
    ok = row_ok[rows]
    return rows[ok], [key for key, o in zip(ds.keys[k], ok) if o]


def gold_of(ds: Dataset, k: int, only: set | None) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    g = ds.articles[k]
    for c in g.claims:
        if only is None or (g.codebook, c.issue) in only:
            out.setdefault((c.actor, c.issue), set()).add(c.stance)
    return out


def pair_set(ds: Dataset, P: np.ndarray, arts: Sequence[int], n_scalars: int, *,
             row_ok: np.ndarray | None = None, only: set | None = None) -> PairSet:
    rows_of = F.rows_by_article(ds)
    Xs, ys, ws, ks, first = [], [], [], [], []
    for k in arts:
        rows, keys = article_view(ds, k, rows_of[k], row_ok)
        pairs, Fk, _groups = group_features(ds.candidates[k], keys, ds.X[rows], P[rows], n_scalars)
        gold = gold_of(ds, k, only)
        for g, f in zip(pairs, Fk):
            sides = sorted(gold.get(g, ()))
            labels = [1 if s == "support" else 2 for s in sides] or [0]
            for j, lab in enumerate(labels):
                Xs.append(f)
                ys.append(lab)
                ws.append(1.0 / len(labels))
                ks.append(k)
                first.append(j == 0)
    width = len(PAIR_FEATURES) + n_scalars
    return PairSet(np.asarray(Xs, dtype=np.float64).reshape(-1, width), np.asarray(ys, dtype=np.int8),
                   np.asarray(ws), np.asarray(ks, dtype=np.int32), np.asarray(first, dtype=bool))


def _fit(ps: PairSet, sel: np.ndarray, seed: int, sides: str):
    from sklearn.ensemble import HistGradientBoostingClassifier

    y = ps.y[sel]
    X, w = ps.X[sel], ps.w[sel]
    classes = (0, 1, 2)
    if sides != "trees":  # claim or not, once per pair
        first = ps.first[sel]
        y, X, w, classes = (y[first] > 0).astype(np.int8), X[first], np.ones(int(first.sum())), (0, 1)
    missing = [c for c in classes if c not in set(y.tolist())]
    if missing:  # a three-way model needs every class: zero-weight rows stand in
        X = np.vstack([X, np.repeat(X[:1], len(missing), axis=0)])
        y = np.concatenate([y, np.asarray(missing, dtype=y.dtype)])
        w = np.concatenate([w, np.full(len(missing), 1e-6)])
    clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0,
                                         min_samples_leaf=20, random_state=seed, early_stopping=False)
    clf.fit(X, y, sample_weight=w)
    return clf


def fit_decider(ds: Dataset, P: np.ndarray, arts: Sequence[int], *, n_scalars: int, seed: int = 0,
                row_ok: np.ndarray | None = None, only: set | None = None, n_folds: int = N_FOLDS,
                min_threshold: float = F.MIN_THRESHOLD, sides: str = SIDES) -> tuple[dict[str, np.ndarray], dict, float, list[dict]]:
    """(trees' arrays, calibration, threshold, reliability table) for the articles ``arts``.

    ``P``: the row scorer's out-of-fold probabilities. Calibration and threshold come from the
    group stage's own out-of-fold predictions over ``arts`` (``n_folds`` folds by article).
    """
    from stancemap.learn.export import trees_arrays

    F._require_sklearn()
    arts = list(arts)
    ps = pair_set(ds, P, arts, n_scalars, row_ok=row_ok, only=only)
    Q = np.zeros((len(ps.y), 3))
    pos = {k: j for j, k in enumerate(arts)}
    art_pos = np.array([pos[int(k)] for k in ps.article], dtype=np.int64)
    for test in F.folds_by_article(len(arts), max(2, min(n_folds, len(arts))), seed):
        te = np.isin(art_pos, test)
        if te.all() or not te.any():
            continue
        Q[te] = decider_from(trees_arrays(_fit(ps, ~te, seed, sides)), n_scalars, None, 0.0, sides).probabilities(ps.X[te])
    arrays = trees_arrays(_fit(ps, np.ones(len(ps.y), dtype=bool), seed, sides))
    raw, right = _decided(ps, Q) if sides == "trees" else _decided_by_rows(ds, P, arts, ps, Q, row_ok, only, sides)
    n_gold = sum(sum(len(s) for s in gold_of(ds, k, only).values()) for k in arts)
    cal, thr, table = F.isotonic_and_threshold(raw, right, n_gold, min_threshold=min_threshold)
    return arrays, cal, thr, table


def _scorer(arrays):
    from stancemap.extract.scorers import TreeScorer

    return TreeScorer(arrays)


def _decided(ps: PairSet, Q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's chosen side's probability, and whether that side is in the gold."""
    side = np.where(Q[:, 1] >= Q[:, 2], 1, 2)
    raw = np.maximum(Q[:, 1], Q[:, 2])
    right = np.zeros(len(ps.y))
    # a pair's rows are consecutive: the pair is right when any of its labels is the chosen side
    starts = np.nonzero(ps.first)[0]
    ends = np.append(starts[1:], len(ps.y))
    for s, e in zip(starts, ends):
        right[s] = float(any(ps.y[j] == side[s] for j in range(s, e)))
    return raw[starts], right[starts]


def _decided_by_rows(ds: Dataset, P: np.ndarray, arts, ps: PairSet, Q: np.ndarray, row_ok, only,
                     sides: str = "rows") -> tuple[np.ndarray, np.ndarray]:
    """Each pair's claim probability, and whether the side its sentences give it (``pair_side``) is in the gold."""
    rows_of = F.rows_by_article(ds)
    right, row_p = [], []
    for k in arts:
        rows, keys = article_view(ds, k, rows_of[k], row_ok)
        groups = groups_of(ds.candidates[k], keys)
        gold = gold_of(ds, k, only)
        Pk = P[rows]
        for g, rs in groups.items():
            col, r = pair_side(Pk, rs, sides)
            right.append(("support" if col == 1 else "oppose") in gold.get(g, ()))
            row_p.append(Pk[r, col])
    return MIX * Q[ps.first, 1] + (1.0 - MIX) * np.asarray(row_p), np.asarray(right, dtype=float)


def decider_from(arrays: dict[str, np.ndarray], n_scalars: int, cal: dict | None, thr: float,
                 sides: str = SIDES) -> GroupDecider:
    return GroupDecider(_scorer(arrays), n_scalars, cal, thr, sides, 1.0 if sides == "trees" else MIX)

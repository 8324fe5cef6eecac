"""Honest figures for a claim model: never scored on an article (or issue, or topic) it learned from.

One set of out-of-fold probabilities (k folds by article) serves every figure:

- ``cross_validate``: every article scored by the model of the other folds, with the calibration
  and threshold fitted on the *other* folds' held-out predictions (so no label of a scored
  article chooses its threshold).
- ``leave_issues_out``: the codebooks' issues in groups; each group scored by models trained with
  every row on those issues removed, on held-out articles (unseen issues *and* unseen articles),
  calibrated on the other issues only: the proxy for a user's new codebook.
- ``leave_topic_out``: trained on one codebook's articles, scored on another's, calibrated on the
  training topic alone.
- ``score_on``: trained on one set, scored on another (the dev set).

Each returns the same :class:`~stancemap.evaluation.scoring.Score` as ``score.py``'s metric.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from stancemap.evaluation.scoring import Score, score
from stancemap.learn import fit as F
from stancemap.learn.dataset import Dataset


def _claims_of(ds: Dataset, P: np.ndarray, arts, cal: dict, thr: float, rows_of, row_ok=None) -> dict[str, list[dict]]:
    out = {}
    for k in arts:
        rows = rows_of[k] if row_ok is None else rows_of[k][row_ok[rows_of[k]]]
        best = _best(ds, P, k, rows, rows_of[k])
        keys = list(best)
        conf = np.interp(np.array([best[x] for x in keys]), cal["x"], cal["y"]) if keys else []
        out[ds.articles[k].article.id] = [
            {"actor": a, "issue": i, "stance": s, "confidence": float(c)} for (a, i, s), c in zip(keys, conf) if c >= thr]
    return out


def _best(ds: Dataset, P: np.ndarray, k: int, rows: np.ndarray, all_rows: np.ndarray) -> dict:
    pos = {int(r): j for j, r in enumerate(all_rows)}
    ac = ds.candidates[k]
    best: dict = {}
    for r in rows:
        pi, iid = ds.keys[k][pos[int(r)]]
        actor = ac.pairs[pi].actor
        col, st = (1, "support") if P[r, 1] >= P[r, 2] else (2, "oppose")  # a sentence takes one side
        if P[r, col] > best.get((actor, iid, st), -1.0):
            best[(actor, iid, st)] = float(P[r, col])
    return best


class _View:
    """The part of a Dataset that calibration reads (articles, keys, candidates, rows)."""

    def __init__(self, ds, arts, rows_of, row_ok, only_issues):
        self.articles, self.keys, self.candidates, self._rows = [], [], [], []
        self._only = only_issues
        for k in arts:
            rows = rows_of[k] if row_ok is None else rows_of[k][row_ok[rows_of[k]]]
            pos = {int(r): j for j, r in enumerate(rows_of[k])}
            self.articles.append(ds.articles[k])
            self.keys.append([ds.keys[k][pos[int(r)]] for r in rows])
            self.candidates.append(ds.candidates[k])
            self._rows.append(rows)
        n = sum(len(r) for r in self._rows)
        self.row_article = np.concatenate([np.full(len(r), i) for i, r in enumerate(self._rows)]) if n else np.zeros(0, int)
        self._index = np.concatenate(self._rows) if n else np.zeros(0, int)

    def gold_triples(self, k):
        return {(c.actor, c.issue, c.stance) for c in self.articles[k].claims
                if self._only is None or (self.articles[k].codebook, c.issue) in self._only}


def _gold(ds: Dataset, arts, keep=None) -> dict[str, list[dict]]:
    return {ds.articles[k].article.id: [{"actor": c.actor, "issue": c.issue, "stance": c.stance}
                                        for c in ds.articles[k].claims if keep is None or keep(ds.articles[k], c)]
            for k in arts}


def _calibrate(ds, P, arts, rows_of, row_ok=None, only=None):
    v = _View(ds, arts, rows_of, row_ok, only)
    Pv = P[v._index]  # the view's rows are consecutive per article, as rows_by_article expects
    cal, thr, table = F.calibration_and_threshold(v, Pv)
    return cal, thr, table


def cross_validate(ds: Dataset, *, n_folds: int = 5, seed: int = 0, P: np.ndarray | None = None,
                   progress: Callable[[int], None] | None = None) -> tuple[Score, dict, dict, np.ndarray]:
    """(score over all folds, gold, predictions, the out-of-fold probabilities)."""
    if P is None:
        P = F.out_of_fold(ds, n_folds=n_folds, seed=seed, progress=progress)
    rows_of = F.rows_by_article(ds)
    folds = F.folds_by_article(len(ds.articles), n_folds, seed)
    preds: dict[str, list[dict]] = {}
    for test in folds:
        others = np.setdiff1d(np.arange(len(ds.articles)), test)
        cal, thr, _ = _calibrate(ds, P, others, rows_of)
        preds.update(_claims_of(ds, P, test, cal, thr, rows_of))
    gold = _gold(ds, range(len(ds.articles)))
    return score(gold, preds), gold, preds, P


def leave_issues_out(ds: Dataset, P_cv: np.ndarray, *, n_groups: int = 4, n_folds: int = 2, seed: int = 0,
                     progress: Callable[[int], None] | None = None) -> Score:
    rng = np.random.default_rng(seed)
    issues_of: dict[str, set[str]] = {}
    for g in ds.articles:
        issues_of.setdefault(g.codebook, set())
    for k, g in enumerate(ds.articles):
        issues_of[g.codebook].update(iid for _p, iid in ds.keys[k])
        issues_of[g.codebook].update(c.issue for c in g.claims)
    groups: list[set[tuple[str, str]]] = [set() for _ in range(n_groups)]
    for cb in sorted(issues_of):
        ids = sorted(issues_of[cb])
        for j, p in enumerate(rng.permutation(len(ids))):
            groups[j % n_groups].add((cb, ids[p]))
    row_key = [(ds.articles[a].codebook, i) for a, i in zip(ds.row_article, ds.row_issue)]
    rows_of = F.rows_by_article(ds)
    gold_all: dict[str, list[dict]] = {}
    pred_all: dict[str, list[dict]] = {}
    for gi, group in enumerate(groups):
        held = np.array([k in group for k in row_key], dtype=bool)
        cal, thr, _ = _calibrate(ds, P_cv, range(len(ds.articles)), rows_of, ~held,
                                 {k for k in set(row_key) if k not in group} | {
                                     (g.codebook, c.issue) for g in ds.articles for c in g.claims
                                     if (g.codebook, c.issue) not in group})
        P = np.zeros((len(ds.y), 3))
        for test in F.folds_by_article(len(ds.articles), n_folds, seed + gi + 1):
            te = np.isin(ds.row_article, test)
            tr = ~te & ~held
            fitted = F.fit_scorer(ds.X[tr], ds.y[tr], ds.w[tr], seed=seed)
            m = te & held
            P[m] = fitted.scorer().predict_proba(ds.X[m])
            preds = _claims_of(ds, P, test, cal, thr, rows_of, held)
            for k in test:
                aid = f"{ds.articles[k].article.id}#{gi}"
                gold_all[aid] = [{"actor": c.actor, "issue": c.issue, "stance": c.stance} for c in ds.articles[k].claims
                                 if (ds.articles[k].codebook, c.issue) in group]
                pred_all[aid] = preds[ds.articles[k].article.id]
            if progress:
                progress(1)
    return score(gold_all, pred_all)


def _train_and_score(ds: Dataset, P_cv: np.ndarray, train: list[int], test: list[int], seed: int):
    """Fit on ``train``'s articles (calibrated on their held-out predictions), claim ``test``'s."""
    rows_of = F.rows_by_article(ds)
    cal, thr, _ = _calibrate(ds, P_cv, train, rows_of)
    tr = np.isin(ds.row_article, train)
    te = np.isin(ds.row_article, test)
    fitted = F.fit_scorer(ds.X[tr], ds.y[tr], ds.w[tr], seed=seed)
    P = np.zeros((len(ds.y), 3))
    P[te] = fitted.scorer().predict_proba(ds.X[te])
    preds = _claims_of(ds, P, test, cal, thr, rows_of)
    gold = _gold(ds, test)
    return score(gold, preds), gold, preds


def leave_topic_out(ds: Dataset, P_cv: np.ndarray, train_codebooks: set[str], test_codebooks: set[str], *,
                    seed: int = 0) -> Score:
    train = [k for k, g in enumerate(ds.articles) if g.codebook in train_codebooks]
    test = [k for k, g in enumerate(ds.articles) if g.codebook in test_codebooks]
    return _train_and_score(ds, P_cv, train, test, seed)[0]


def score_on(ds: Dataset, P_cv: np.ndarray, test_ids: set[str], *, seed: int = 0) -> tuple[Score, dict, dict]:
    """Train on every article but ``test_ids`` (calibrated on them too), score those."""
    test = [k for k, g in enumerate(ds.articles) if g.article.id in test_ids]
    train = [k for k, g in enumerate(ds.articles) if g.article.id not in test_ids]
    return _train_and_score(ds, P_cv, train, test, seed)

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
from stancemap.extract.aggregate import BestRowDecider
from stancemap.extract.features import SCALARS
from stancemap.learn import decide as D
from stancemap.learn import fit as F
from stancemap.learn.dataset import Dataset


def _claims_of(ds: Dataset, P: np.ndarray, arts, decider, rows_of, row_ok=None,
               sides: dict | None = None) -> dict[str, list[dict]]:
    """The claims ``decider`` makes of each article in ``arts`` from the row probabilities ``P``.
    ``sides``: article index -> the cue model of the row model that scored it (extract/sides.py),
    which picks the side of the pairs on issues that model did not know, as in extraction."""
    from stancemap.learn.decide import article_view

    fps = getattr(ds, "issue_fps", None) or {}
    out = {}
    for k in arts:
        rows, keys = article_view(ds, k, rows_of[k], row_ok)
        cb = ds.articles[k].codebook
        decider.cue_sides = (sides or {}).get(int(k))
        decider.fingerprints = {iid: fps.get((cb, iid), "") for _pi, iid in keys}
        out[ds.articles[k].article.id] = [
            {"actor": d.actor, "issue": d.issue, "stance": "support" if d.stance == 1 else "oppose", "confidence": c}
            for d, c in decider.decide(ds.candidates[k], keys, ds.X[rows], P[rows])]
    return out


def _decider(ds: Dataset, P: np.ndarray, arts, rows_of, *, stage: str, seed: int, row_ok=None, only=None):
    """The decision stage fitted on ``arts`` alone, from their held-out row probabilities ``P``
    (models that never saw the articles the stage will decide) and their gold.

    ``stage``: "groups" (the group stage) or "rows" (each pair's best sentence, calibrated).
    """
    if stage == "rows":
        cal, thr, _ = _calibrate(ds, P, arts, rows_of, row_ok, only)
        d = BestRowDecider(cal, thr)
    else:
        arrays, cal, thr, _ = D.fit_decider(ds, P, arts, n_scalars=len(SCALARS), seed=seed, row_ok=row_ok, only=only)
        d = D.decider_from(arrays, len(SCALARS), cal, thr)
    d.targets = getattr(ds, "targets", frozenset())  # rows pickled before targets existed have none
    return d


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
                   progress: Callable[[int], None] | None = None, stage: str = "groups",
                   sides: dict | None = None) -> tuple[Score, dict, dict, np.ndarray]:
    """(score over all folds, gold, predictions, the out-of-fold probabilities).

    Each fold is claimed by a row scorer fitted on the other folds, and decided by a stage
    fitted on the other folds' out-of-fold probabilities from models that never saw the fold
    either (nested), so no label of a scored article reaches any part of what scores it.

    ``sides``: article index -> the cue model of the row model that scored it; filled here when
    ``P`` is computed here, and to be given back with a ``P`` from an earlier call (without it,
    the sides of unknown issues are the row scorer's alone).
    """
    sides = {} if sides is None else sides
    if P is None:
        P = F.out_of_fold(ds, n_folds=n_folds, seed=seed, progress=progress, sides=sides)
    rows_of = F.rows_by_article(ds)
    preds: dict[str, list[dict]] = {}
    for test in F.folds_by_article(len(ds.articles), n_folds, seed):
        others = np.setdiff1d(np.arange(len(ds.articles)), test)
        P_in = F.out_of_fold(ds, n_folds=n_folds, seed=seed, within=others)
        decider = _decider(ds, P_in, others, rows_of, stage=stage, seed=seed)
        preds.update(_claims_of(ds, P, test, decider, rows_of, sides=sides))
    gold = _gold(ds, range(len(ds.articles)))
    return score(gold, preds), gold, preds, P


def issue_groups(ds: Dataset, n_groups: int, seed: int) -> list[set[tuple[str, str]]]:
    """Each codebook's issues dealt at random into ``n_groups`` groups of (codebook, issue)."""
    rng = np.random.default_rng(seed)
    issues_of: dict[str, set[str]] = {g.codebook: set() for g in ds.articles}
    for k, g in enumerate(ds.articles):
        issues_of[g.codebook].update(iid for _p, iid in ds.keys[k])
        issues_of[g.codebook].update(c.issue for c in g.claims)
    groups: list[set[tuple[str, str]]] = [set() for _ in range(n_groups)]
    for cb in sorted(issues_of):
        ids = sorted(issues_of[cb])
        for j, p in enumerate(rng.permutation(len(ids))):
            groups[j % n_groups].add((cb, ids[p]))
    return groups


def leave_issues_out(ds: Dataset, *, n_groups: int = 4, n_folds: int = 2, seed: int = 0,
                     progress: Callable[[int], None] | None = None, stage: str = "groups",
                     articles: set[str] | None = None) -> Score:
    """Each group of issues scored by row models trained without a single row on them, on
    articles they never saw; the decision stage learns from the other issues only, on
    probabilities from those same models (as a new codebook's issues would meet it).
    ``articles``: score only these article ids (all are still trained on, as they would be)."""
    row_key = [(ds.articles[a].codebook, i) for a, i in zip(ds.row_article, ds.row_issue)]
    rows_of = F.rows_by_article(ds)
    gold_all: dict[str, list[dict]] = {}
    pred_all: dict[str, list[dict]] = {}
    every = range(len(ds.articles))
    for gi, group in enumerate(issue_groups(ds, n_groups, seed)):
        held = np.array([k in group for k in row_key], dtype=bool)
        P = np.zeros((len(ds.y), 3))
        sides: dict = {}
        for test in F.folds_by_article(len(ds.articles), n_folds, seed + gi + 1):
            te = np.isin(ds.row_article, test)
            tr = ~te & ~held
            fitted = F.fit_scorer(ds.X[tr], ds.y[tr], ds.w[tr], seed=seed, si=ds.row_si()[tr],
                                  issues=ds.fingerprints_of(tr))
            P[te] = fitted.scorer().predict_proba(ds.X[te])
            sides.update({int(k): fitted.cue_sides() for k in test})
            if progress:
                progress(1)
        others = {k for k in set(row_key) if k not in group} | {
            (g.codebook, c.issue) for g in ds.articles for c in g.claims if (g.codebook, c.issue) not in group}
        decider = _decider(ds, P, every, rows_of, stage=stage, seed=seed, row_ok=~held, only=others)
        preds = _claims_of(ds, P, every, decider, rows_of, held, sides)
        for k in every:
            if articles is not None and ds.articles[k].article.id not in articles:
                continue
            aid = f"{ds.articles[k].article.id}#{gi}"
            gold_all[aid] = [{"actor": c.actor, "issue": c.issue, "stance": c.stance} for c in ds.articles[k].claims
                             if (ds.articles[k].codebook, c.issue) in group]
            pred_all[aid] = preds[ds.articles[k].article.id]
    return score(gold_all, pred_all)


def _train_and_score(ds: Dataset, train: list[int], test: list[int], seed: int, stage: str = "groups"):
    """Fit on ``train``'s articles alone, claim ``test``'s: the decision stage is fitted on the
    training articles' out-of-fold probabilities from models that saw the training articles only
    (a model that had seen the test articles would make them look easier than new ones are)."""
    rows_of = F.rows_by_article(ds)
    P_tr = F.out_of_fold(ds, seed=seed, within=np.asarray(train))
    decider = _decider(ds, P_tr, train, rows_of, stage=stage, seed=seed)
    tr = np.isin(ds.row_article, train)
    te = np.isin(ds.row_article, test)
    fitted = F.fit_scorer(ds.X[tr], ds.y[tr], ds.w[tr], seed=seed, si=ds.row_si()[tr], issues=ds.fingerprints_of(tr))
    P = np.zeros((len(ds.y), 3))
    P[te] = fitted.scorer().predict_proba(ds.X[te])
    preds = _claims_of(ds, P, test, decider, rows_of, sides={int(k): fitted.cue_sides() for k in test})
    gold = _gold(ds, test)
    return score(gold, preds), gold, preds


def leave_topic_out(ds: Dataset, train_codebooks: set[str], test_codebooks: set[str], *,
                    seed: int = 0, stage: str = "groups") -> Score:
    train = [k for k, g in enumerate(ds.articles) if g.codebook in train_codebooks]
    test = [k for k, g in enumerate(ds.articles) if g.codebook in test_codebooks]
    return _train_and_score(ds, train, test, seed, stage)[0]


def score_on(ds: Dataset, test_ids: set[str], *, seed: int = 0,
             stage: str = "groups") -> tuple[Score, dict, dict]:
    """Train on every article but ``test_ids`` (calibrated on them too), score those."""
    test = [k for k, g in enumerate(ds.articles) if g.article.id in test_ids]
    train = [k for k, g in enumerate(ds.articles) if g.article.id not in test_ids]
    return _train_and_score(ds, train, test, seed, stage)

"""Annotated articles -> labelled feature rows.

A row is a (sentence, actor, issue) candidate (see :mod:`stancemap.extract.features`). Its
label is the gold stance when a gold claim of that actor and issue has its evidence in that
sentence, else "none". A row whose actor and issue are claimed in the article but with evidence
elsewhere is left out of training (the sentence may well say it too; the scorer counts a
claim once per article, from its best sentence). A rejected claim (from a store's review) makes
its rows "none", whatever else the article says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from stancemap.learn.data import TrainingSet


@dataclass
class Dataset:
    X: np.ndarray
    y: np.ndarray        # 0 none, 1 support, 2 oppose
    w: np.ndarray        # 0 = left out of training
    row_article: np.ndarray  # index into ``articles``
    articles: list       # GoldArticle, in order
    keys: list           # per article: [(pair index, issue id)] for its rows
    candidates: list     # per article: ArticleCandidates
    row_issue: np.ndarray  # issue id of each row (for leave-issues-out)
    targets: frozenset = frozenset()  # (actor, issue): the actor is what the issue is done to (extract/targets.py)
    issue_fps: dict | None = None  # (codebook, issue id) -> fingerprint (extract/sides.py)

    def row_fingerprints(self) -> np.ndarray | None:
        """Each row's issue fingerprint (:func:`stancemap.extract.sides.issue_fingerprint`), or
        None for rows built before fingerprints were kept. Computed once."""
        fps = getattr(self, "issue_fps", None)
        if not fps:
            return None
        got = getattr(self, "_row_fp", None)
        if got is None or got[0] is not fps or len(got[1]) != len(self.y):
            cb = [g.codebook for g in self.articles]
            got = (fps, np.array([fps.get((cb[a], i), "") for a, i in zip(self.row_article, self.row_issue)],
                                 dtype="<U12"))
            self._row_fp = got
        return got[1]

    def fingerprints_of(self, rows: np.ndarray) -> np.ndarray | None:
        fps = self.row_fingerprints()
        return None if fps is None else fps[rows]

    def row_si(self) -> np.ndarray:
        """Each row's (sentence, issue) within its article, as one number: the rows of one
        sentence and issue (one per candidate actor) share it. Computed once."""
        from stancemap.learn.fit import rows_by_article

        got = getattr(self, "_row_si", None)
        if got is None or len(got) != len(self.y):
            got = np.zeros(len(self.y), dtype=np.int64)
            table: dict[tuple[int, int, str], int] = {}
            for k, rows in enumerate(rows_by_article(self)):
                ac = self.candidates[k]
                for r, (pi, iid) in zip(rows, self.keys[k]):
                    got[r] = table.setdefault((k, ac.pairs[pi].sent, iid), len(table))
            self._row_si = got
        return got

    def gold_triples(self, k: int) -> set[tuple[str, str, str]]:
        return {(c.actor, c.issue, c.stance) for c in self.articles[k].claims}


def build(ts: TrainingSet, model_dir, *, kb=None, nlp=None, progress: Callable[[int], None] | None = None,
          chunk: int = 32) -> Dataset:
    from stancemap.extract.learned import Featurizer

    Xs, ys, ws, ra, ri, arts, keys, cands = [], [], [], [], [], [], [], []
    shared_nlp = nlp
    for name, codebook in ts.codebooks.items():
        golds = [g for g in ts.articles if g.codebook == name]
        if not golds:
            continue
        fz = Featurizer(codebook, model_dir, kb=kb, nlp=shared_nlp)
        shared_nlp = fz.rules.nlp
        for s in range(0, len(golds), chunk):
            part = golds[s:s + chunk]
            acs, parts = fz.rows([g.article for g in part])
            for g, ac, (X, k) in zip(part, acs, parts):
                y, w = _labels(g, ac, k)
                w *= getattr(g, "weight", 1.0)
                idx = len(arts)
                arts.append(g)
                keys.append(k)
                cands.append(ac)
                Xs.append(X)
                ys.append(y)
                ws.append(w)
                ra.append(np.full(len(k), idx, dtype=np.int32))
                ri.append(np.array([iid for _p, iid in k], dtype=object))
            if progress:
                progress(len(part))
    return Dataset(np.vstack(Xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(ra), arts, keys, cands,
                   np.concatenate(ri) if ri else np.zeros(0, dtype=object), targets_of(ts), fingerprints_of(ts))


def fingerprints_of(ts: TrainingSet) -> dict[tuple[str, str], str]:
    """(codebook, issue id) -> the issue's fingerprint, for every codebook."""
    from stancemap.extract.sides import codebook_fingerprints

    return {(name, iid): fp for name, cb in ts.codebooks.items() for iid, fp in codebook_fingerprints(cb).items()}


def targets_of(ts: TrainingSet) -> frozenset:
    """Every codebook's targets (:func:`stancemap.extract.targets.issue_targets`)."""
    from stancemap.extract.targets import issue_targets

    return frozenset().union(*(issue_targets(cb) for cb in ts.codebooks.values()))


def _labels(g, ac, keys) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros(len(keys), dtype=np.int8)
    w = np.ones(len(keys), dtype=np.float32)
    at = {k: r for r, k in enumerate(keys)}
    claimed = {(c.actor, c.issue) for c in g.claims}
    for r, (pi, iid) in enumerate(keys):
        if (ac.pairs[pi].actor, iid) in claimed:
            w[r] = 0.0
    for c in g.claims:
        for pi, p in enumerate(ac.pairs):
            s = ac.sentences[p.sent]
            if p.actor == c.actor and c.start >= 0 and s.start < c.end and c.start < s.end:
                r = at.get((pi, c.issue))
                if r is not None:
                    y[r] = 1 if c.stance == "support" else 2
                    w[r] = 1.0
    for c in g.negatives:
        for pi, p in enumerate(ac.pairs):
            s = ac.sentences[p.sent]
            if p.actor == c.actor and s.start < c.end and c.start < s.end:
                r = at.get((pi, c.issue))
                if r is not None and y[r] == 0:
                    w[r] = 2.0  # a reviewer said no: weigh it
    return y, w

"""Fitting the cue model that picks the side of a claim on an issue the model does not know
(:mod:`stancemap.extract.sides` says why and how it is used)."""

from __future__ import annotations

import numpy as np

from stancemap.extract.features import SCALARS
from stancemap.extract.sides import ARRAYS, CUE_SCALARS, MIN_SEEN, MIX


def prior_cues(prior: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A prior model's cue model, kept with its stance trees when a few articles are trained on
    top of it (``fit.fit_scorer``): the issues it knows stay the ones its stance trees learned, so a
    new codebook's are unknown to both. Empty if the prior has none."""
    return {k: v for k, v in prior.items() if k in ARRAYS}


def fit_cue_sides(X: np.ndarray, y: np.ndarray, w: np.ndarray, issues: np.ndarray | None) -> dict[str, np.ndarray]:
    """The ``cue_*`` arrays and ``seen_issues`` of :class:`stancemap.extract.sides.CueSides`: a
    logistic regression (standardised, C=0.1) of oppose against support over the claim rows'
    ``CUE_SCALARS``, and the issues with at least ``MIN_SEEN`` claim rows here: the issues the
    stance trees fitted on the same rows know. Empty without ``issues`` or with fewer than 20
    claim rows of either side."""
    from sklearn.linear_model import LogisticRegression

    if issues is None:
        return {}
    pos = (y > 0) & (w > 0)
    opp = (y[pos] == 2).astype(np.int8)
    if min(int(opp.sum()), int(len(opp) - opp.sum())) < 20:
        return {}
    cols = np.array([SCALARS.index(n) for n in CUE_SCALARS], dtype=np.int64)
    Z = np.nan_to_num(X[pos][:, cols].astype(np.float64))
    mean, scale = Z.mean(0), Z.std(0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=0.1, max_iter=2000).fit((Z - mean) / scale, opp, sample_weight=w[pos])
    fps, counts = np.unique(np.asarray(issues)[pos].astype(str), return_counts=True)
    known = set(fps[counts >= MIN_SEEN].tolist()) - {""}  # "": a row whose issue had no fingerprint
    return {"cue_mean": mean, "cue_scale": scale, "cue_coef": lr.coef_[0].astype(np.float64),
            "cue_intercept": np.asarray(float(lr.intercept_[0])), "cue_cols": cols,
            "cue_mix": np.asarray(float(MIX)), "seen_issues": np.array(sorted(known), dtype="<U12")}

"""Fitting a claim model: the scorer, its calibration and threshold from held-out folds, a model folder.

Deterministic: fixed seeds everywhere, folds by article in a fixed order, one thread of trees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stancemap.errors import TrainingError
from stancemap.extract.features import SCALARS
from stancemap.learn.dataset import Dataset

MODEL_FORMAT = 1
STATIC_FILES = ("static.npy", "static-weights.npy", "tokenizer.json")
NEG_KEEP = 0.2  # share of "none" rows kept for fitting (weighted back up); positives all kept
# No claim below this calibrated confidence: on held-out folds the F1-best threshold sits near 0.23
# (P 0.44, R 0.50); 0.30 gives up 0.01 of F1 for 0.08 of precision (a wrong position misleads every
# analysis that counts it). The isotonic map is capped at 0.85: above it the folds hold too few claims.
MIN_THRESHOLD = 0.30
STANCE_ITERATIONS = 300
BAG = 2  # three-way tree models averaged (stancemap.extract.scorers.BagScorer)
FACTOR_MIX = 0.5  # the sentence-issue x holder trees' share of a row's claim probability (scorers.FactoredScorer)
ROW_L2 = 1.0  # leaf regularisation of the three-way row trees
SMALL = 200  # fewer positive rows than this: shallow trees; on top of a base model, its calibration and a quarter of its say


@dataclass
class Fitted:
    kind: str
    arrays: dict[str, np.ndarray]

    def scorer(self):
        from stancemap.extract.scorers import with_rules_side

        return with_rules_side(self._scorer())

    def cue_sides(self):
        """The cue model for issues the model does not know (None if it has none)."""
        from stancemap.extract.sides import CueSides

        return CueSides.from_arrays(self.arrays)

    def _scorer(self):
        from stancemap.extract.scorers import scorer_from_arrays

        return scorer_from_arrays(self.arrays, self.kind, len(SCALARS))


def _require_sklearn():
    try:
        import sklearn  # noqa: F401
    except ImportError as e:
        raise TrainingError("training needs scikit-learn: pip install -e '.[train]'") from e


def _subsample(y: np.ndarray, w: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    keep = (w > 0) & ((y > 0) | (rng.random(len(y)) < NEG_KEEP))
    sw = np.where(y[keep] > 0, 1.0, 1.0 / NEG_KEEP) * w[keep]
    return np.nonzero(keep)[0], sw


def _draw(y: np.ndarray, w: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows one tree model is fitted on (every claim row, a draw of the "none" rows), their
    weights and labels; a class with no row gets a zero-weight one (a three-way model needs all)."""
    idx, sw = _subsample(y, w, seed)
    y_fit = y[idx]
    missing = [c for c in (0, 1, 2) if c not in set(np.unique(y_fit).tolist())]
    if missing:
        idx = np.concatenate([idx, np.repeat(idx[:1], len(missing))])
        sw = np.concatenate([sw, np.full(len(missing), 1e-6)])
        y_fit = np.concatenate([y_fit, np.array(missing, dtype=y.dtype)])
    return idx, sw, y_fit


def prior_arrays(model_dir: Path) -> dict[str, np.ndarray] | None:
    """A trained model's scorer arrays, to build on (None if the folder has no usable scorer)."""
    meta_path, weights = Path(model_dir) / "meta.json", Path(model_dir) / "weights.npz"
    if not (meta_path.exists() and weights.exists()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("features") != list(SCALARS) or meta.get("scorer") not in ("trees", "prior+trees"):
        return None
    with np.load(weights) as z:
        arrays = {k: z[k] for k in z.files}
    if meta["scorer"] == "trees":  # its bag members (bag1_*...) stay with its trees, as tree_bag1_*
        from stancemap.extract.sides import ARRAYS as CUE_ARRAYS  # the stance model and the cue model stay on top

        arrays = {(k if k.startswith("stance_") or k in CUE_ARRAYS else f"tree_{k}"): v for k, v in arrays.items()}
    return arrays


def fit_scorer(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, kind: str = "trees", seed: int = 0,
               iterations: int = 150, prior: dict[str, np.ndarray] | None = None,
               stance_model: bool = True, bag: int | None = None, si: np.ndarray | None = None,
               issues: np.ndarray | None = None) -> Fitted:
    """Row scorer arrays. ``si``: each row's sentence-issue id (``Dataset.row_si``); with it, and
    enough claims and no prior, the factored trees are fitted too (``fit_factored``). ``issues``:
    each row's issue fingerprint (``Dataset.row_fingerprints``); with it, the cue model for issues
    the model does not know is fitted too (:func:`stancemap.learn.sides.fit_cue_sides`)."""
    _require_sklearn()
    bag = BAG if bag is None else bag
    from sklearn.base import clone
    from sklearn.ensemble import HistGradientBoostingClassifier

    from stancemap.learn.export import trees_arrays

    if not (y > 0).any():
        raise TrainingError("no positive example: the gold claims matched no candidate sentence")
    idx, sw, y_fit = _draw(y, w, seed)
    n_scal = len(SCALARS)
    n_pos = int((y_fit > 0).sum())
    small = n_pos < SMALL  # a few articles: shallow trees, fewer of them, leaves of a few examples
    trees = HistGradientBoostingClassifier(max_iter=iterations if not small else 60, learning_rate=0.1,
                                           max_leaf_nodes=31 if not small else 7, l2_regularization=ROW_L2,
                                           min_samples_leaf=min(20, max(3, n_pos // 5)), random_state=seed,
                                           early_stopping=False)
    stance = fit_stance(X, y, w, seed=seed, prior=prior) if stance_model else {}
    if stance_model:  # (the cue model needs as many claim rows of each side as the stance model)
        from stancemap.learn.sides import fit_cue_sides, prior_cues

        stance.update(prior_cues(prior) if keeps_prior_stance(y, w, prior) else fit_cue_sides(X, y, w, issues))
    if prior is None:
        trees.fit(X[idx][:, :n_scal], y_fit, sample_weight=sw)
        arrays = {**trees_arrays(trees), **stance}
        for j in range(1, 1 if small else bag):  # more members, each on its own draw of the "none" rows
            jdx, jsw, jy = _draw(y, w, seed + 101 * j)
            member = clone(trees).set_params(random_state=seed + 101 * j)
            member.fit(X[jdx][:, :n_scal], jy, sample_weight=jsw)
            arrays.update({f"bag{j}_{k}": v for k, v in trees_arrays(member).items()})
        if si is not None and not small:
            arrays.update(fit_factored(X, y, w, si, seed=seed, iterations=iterations))
        return Fitted("trees", arrays)
    from stancemap.extract.scorers import with_prior

    pscorer = _prior_from_arrays(prior)
    trees.fit(with_prior(X[idx], pscorer, n_scal), y_fit, sample_weight=sw)
    arrays = {f"prior_{k}": v for k, v in prior.items()}
    arrays.update({f"tree_{k}": v for k, v in trees_arrays(trees).items()})
    arrays["mix"] = np.asarray(0.25 if small else 0.0)  # few articles: a quarter of the say stays the prior's
    arrays.update(stance)
    return Fitted("prior+trees", arrays)


def fit_factored(X: np.ndarray, y: np.ndarray, w: np.ndarray, si: np.ndarray, *, seed: int = 0,
                 iterations: int = 150) -> dict[str, np.ndarray]:
    """The two factors of :class:`~stancemap.extract.scorers.FactoredScorer` (arrays ``si_*``,
    ``holder_*``, ``factor_mix``).

    Sentence-issue trees: one example per (sentence, issue), positive when any of its actors is
    claimed there, left out when none is but one of them is claimed on the issue elsewhere in the
    article (as the row labels are); over ``SENTENCE_ISSUE_SCALARS`` only (stored with the row's
    column numbers, so they read a row as it is). Holder trees: the rows of positive sentences,
    positive for the actor whose claim it is, over every scalar."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from stancemap.extract.features import SENTENCE_ISSUE_SCALARS
    from stancemap.learn.export import trees_arrays

    cols = np.array([SCALARS.index(n) for n in SENTENCE_ISSUE_SCALARS])
    uniq, inv = np.unique(si, return_inverse=True)
    pos = np.zeros(len(uniq), dtype=bool)
    np.logical_or.at(pos, inv, y > 0)
    held = np.zeros(len(uniq), dtype=bool)
    np.logical_or.at(held, inv, w == 0)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[inv[::-1]] = np.arange(len(si))[::-1]  # each sentence-issue's first row
    ws = np.where(pos | ~held, 1.0, 0.0)
    ys = pos.astype(np.int8)
    rng = np.random.default_rng(seed + 7)
    keep = (ws > 0) & (pos | (rng.random(len(ys)) < NEG_KEEP))
    sw = np.where(pos[keep], 1.0, 1.0 / NEG_KEEP) * ws[keep]

    def trees():
        return HistGradientBoostingClassifier(max_iter=iterations, learning_rate=0.1, max_leaf_nodes=31,
                                              l2_regularization=1.0, min_samples_leaf=20, random_state=seed,
                                              early_stopping=False)

    sentence = trees().fit(X[first[keep]][:, cols], ys[keep], sample_weight=sw)
    si_arrays = trees_arrays(sentence)
    inner = ~si_arrays["is_leaf"].astype(bool)
    si_arrays["feature"] = si_arrays["feature"].copy()
    si_arrays["feature"][inner] = cols[si_arrays["feature"][inner]]
    on = pos[inv] & (w > 0)
    holder = trees().fit(X[on][:, :len(SCALARS)], (y[on] > 0).astype(np.int8), sample_weight=w[on])
    return {**{f"si_{k}": v for k, v in si_arrays.items()},
            **{f"holder_{k}": v for k, v in trees_arrays(holder).items()},
            "factor_mix": np.asarray(FACTOR_MIX)}


def stance_trees(seed: int = 0):
    """The stance model's (unfitted) trees: oppose vs support over a claim row's scalars."""
    _require_sklearn()
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=STANCE_ITERATIONS, learning_rate=0.03, max_leaf_nodes=15,
                                          l2_regularization=1.0, min_samples_leaf=20, random_state=seed,
                                          early_stopping=False)


def keeps_prior_stance(y: np.ndarray, w: np.ndarray, prior: dict[str, np.ndarray] | None) -> bool:
    """Whether the stance model (and with it the cue model) is ``prior``'s rather than fitted
    here: fewer than ``SMALL`` claim rows, and a prior that has one."""
    from stancemap.extract.scorers import stance_arrays

    return prior is not None and int(((y > 0) & (w > 0)).sum()) < SMALL and bool(stance_arrays(prior))


def fit_stance(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, seed: int = 0,
               prior: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The stance model (``stance_*`` arrays): binary trees, oppose vs support, fitted on the claim
    rows alone over the scalar features. With fewer than ``SMALL`` claim rows and a prior that
    has one, the prior's is kept (a dozen articles cannot teach which side a sentence takes
    better than thousands did); with fewer than 20 of either side, there is none."""
    from stancemap.extract.scorers import stance_arrays
    from stancemap.learn.export import trees_arrays

    pos = (y > 0) & (w > 0)
    if keeps_prior_stance(y, w, prior):
        return {f"stance_{k}": v for k, v in stance_arrays(prior).items()}
    opp = y[pos] == 2
    if min(opp.sum(), (~opp).sum()) < 20:
        return {}
    trees = stance_trees(seed)
    trees.fit(X[pos][:, :len(SCALARS)], opp.astype(np.int8), sample_weight=w[pos])
    return {f"stance_{k}": v for k, v in trees_arrays(trees).items()}


def _prior_from_arrays(prior: dict[str, np.ndarray]):
    from stancemap.extract.scorers import TreeScorer, prior_scorer, with_bag, with_factored, with_stance

    if any(k.startswith("prior_") for k in prior):
        return prior_scorer(prior, len(SCALARS))
    trees = {k.removeprefix("tree_"): v for k, v in prior.items() if k.startswith("tree_")}
    return with_stance(with_factored(with_bag(TreeScorer(trees), trees), trees), prior)


def article_predictions(ds: Dataset, P: np.ndarray, k: int, rows: np.ndarray) -> dict[tuple[str, str, str], float]:
    """The best probability of each (actor, issue, stance) in article ``k`` (the best-row rule's raw scores)."""
    from stancemap.extract.aggregate import BestRowDecider

    decisions = BestRowDecider(None, 0.0).raw(ds.candidates[k], ds.keys[k], None, P[rows])
    return {(d.actor, d.issue, "support" if d.stance == 1 else "oppose"): d.raw for d in decisions}


def rows_by_article(ds: Dataset) -> list[np.ndarray]:
    order = np.argsort(ds.row_article, kind="stable")
    bounds = np.searchsorted(ds.row_article[order], np.arange(len(ds.articles) + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(len(ds.articles))]


def folds_by_article(n_articles: int, n_folds: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n_articles)
    return [np.sort(perm[f::n_folds]) for f in range(n_folds)]


def out_of_fold(ds: Dataset, *, n_folds: int = 5, seed: int = 0, kind: str = "trees",
                progress: Callable[[int], None] | None = None, prior: dict | None = None,
                within: np.ndarray | None = None, sides: dict | None = None) -> np.ndarray:
    """Probabilities for every row from a model that never saw its article.

    ``within``: only these articles take part, folds and fits alike (the other rows stay zero),
    as when a figure trains on one part of the data and must not learn from the rest.
    ``sides``: filled with article index -> the cue model of the model that scored it
    (:class:`stancemap.extract.sides.CueSides`, or None).
    """
    P = np.zeros((len(ds.y), 3))
    arts = np.arange(len(ds.articles)) if within is None else np.asarray(within)
    inside = np.isin(ds.row_article, arts)
    for fold in folds_by_article(len(arts), n_folds, seed):
        te = np.isin(ds.row_article, arts[fold])
        tr = inside & ~te
        fitted = fit_scorer(ds.X[tr], ds.y[tr], ds.w[tr], kind=kind, seed=seed, prior=prior, si=ds.row_si()[tr],
                            issues=ds.fingerprints_of(tr))
        P[te] = fitted.scorer().predict_proba(ds.X[te])
        if sides is not None:
            cue = fitted.cue_sides()
            sides.update({int(k): cue for k in arts[fold]})
        if progress:
            progress(1)
    return P


def calibration_and_threshold(ds: Dataset, P: np.ndarray) -> tuple[dict, float, list[dict]]:
    """Isotonic map from a claim's raw probability to its chance of being right (held-out
    article-level claims), the threshold with the best F1, and a reliability table."""
    _require_sklearn()
    by_art = rows_by_article(ds)
    raw, right, n_gold = [], [], 0
    for k, rows in enumerate(by_art):
        gold = ds.gold_triples(k)
        n_gold += len(gold)
        for key, p in article_predictions(ds, P, k, rows).items():
            if p >= 0.05:
                raw.append(p)
                right.append(key in gold)
    return isotonic_and_threshold(np.array(raw), np.array(right, dtype=float), n_gold)


def isotonic_and_threshold(raw: np.ndarray, right: np.ndarray, n_gold: int, *,
                           min_threshold: float = MIN_THRESHOLD) -> tuple[dict, float, list[dict]]:
    """Held-out claims' raw probabilities and rightness -> (isotonic map, F1-best threshold at
    or above ``min_threshold``, reliability table); ``n_gold`` counts every gold claim, found or not."""
    from sklearn.isotonic import IsotonicRegression

    raw_a, right_a = np.asarray(raw, dtype=float), np.asarray(right, dtype=float)
    if len(raw_a) == 0:
        return {"x": [0.0, 1.0], "y": [0.0, 0.0]}, 0.5, []
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=0.85).fit(raw_a, right_a)
    grid = np.unique(np.round(np.concatenate([[0.0], np.quantile(raw_a, np.linspace(0, 1, 101)), [1.0]]), 4))
    cal = {"x": grid.tolist(), "y": np.round(iso.predict(grid), 4).tolist()}
    conf = np.interp(raw_a, cal["x"], cal["y"])
    best_t, best_f = 0.5, -1.0
    for t in np.arange(min_threshold, 0.8, 0.01):
        sel = conf >= t
        tp = right_a[sel].sum()
        p = tp / max(sel.sum(), 1)
        r = tp / max(n_gold, 1)
        f = 2 * p * r / max(p + r, 1e-9)
        if f > best_f:
            best_f, best_t = f, float(round(t, 2))
    return cal, best_t, reliability(conf, right_a)


def reliability(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> list[dict]:
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = (conf >= lo) & ((conf < hi) if b < bins - 1 else (conf <= hi))
        if sel.any():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(sel.sum()), "mean_confidence": round(float(conf[sel].mean()), 3),
                        "accuracy": round(float(right[sel].mean()), 3)})
    return out


def ece(table: list[dict]) -> float:
    n = sum(r["n"] for r in table)
    return round(sum(r["n"] * abs(r["mean_confidence"] - r["accuracy"]) for r in table) / max(n, 1), 4)


def write_model(out: Path, fitted: Fitted, *, static_from: Path, calibration: dict, threshold: float,
                info: dict, decider: dict[str, np.ndarray] | None = None) -> dict:
    """A model folder: weights, static vectors (copied), the group stage's trees (``decide.npz``,
    when there is one), meta.json with its version and provenance. ``calibration`` and
    ``threshold`` are the group stage's when it exists, else the best-row rule's."""
    from stancemap.extract.aggregate import group_feature_names
    from stancemap.learn.decide import MIX, SIDES

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for f in STATIC_FILES:
        src = Path(static_from) / f
        if src.resolve() != (out / f).resolve():
            shutil.copyfile(src, out / f)
    np.savez_compressed(out / "weights.npz", **fitted.arrays)
    files = ["weights.npz", *STATIC_FILES]
    if decider is not None:
        np.savez_compressed(out / "decide.npz", **decider)
        files.append("decide.npz")
    elif (out / "decide.npz").exists():
        (out / "decide.npz").unlink()
    h = hashlib.sha256()
    for f in files:
        h.update((out / f).read_bytes())
    spec = ({"kind": "groups", "sides": SIDES, "mix": 1.0 if SIDES == "trees" else MIX, "n_scalars": len(SCALARS),
             "features": group_feature_names(SCALARS)} if decider is not None else None)
    h.update(json.dumps(calibration, sort_keys=True).encode())
    h.update(json.dumps(spec, sort_keys=True).encode())
    meta = {
        "format": MODEL_FORMAT, "name": "stancemap.learned", "version": f"1.{MODEL_FORMAT}+{h.hexdigest()[:10]}",
        "scorer": fitted.kind, "n_scalars": len(SCALARS), "features": list(SCALARS), "threshold": threshold,
        "decider": spec,
        "calibration": calibration, "trained_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"), **info,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta

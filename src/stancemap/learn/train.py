"""``train``: annotated articles in, a model folder out (what ``stancemap train`` runs).

1. candidates and feature rows for every annotated article (the rules' machinery, as at run time);
2. out-of-fold row probabilities (5 folds by article), on which the group stage is fitted (one
   decision per actor and issue in an article, :mod:`stancemap.learn.decide`), with its isotonic
   calibration, F1-best threshold and reliability table from its own held-out folds (so "0.9"
   means right about nine times in ten);
3. the row scorer fitted on everything; the folder written with a version that hashes its contents.

Static vectors and the tokenizer come from a base model folder (the built-in model by default).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stancemap.errors import TrainingError
from stancemap.learn import fit as F
from stancemap.learn.data import TrainingSet
from stancemap.learn.dataset import Dataset, build


@dataclass
class TrainReport:
    out: Path
    meta: dict
    articles: int
    claims: int
    rows: int
    positives: int
    seconds: float
    notes: tuple[str, ...] = ()  # what the user should know about how it was trained


def _one_thread() -> None:
    # the same model from the same data and seed: no thread races in the trees' histograms
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="openmp")
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass


def _decision_stage(ds: Dataset, P, base: Path, built_on: bool, seed: int):
    """(group-stage arrays or None, calibration, threshold, reliability table, what it was
    calibrated on, the best-row rule's own calibration and threshold).

    Enough claims: the group stage is fitted on the out-of-fold row probabilities ``P``, and
    calibrated on its own held-out folds. A few articles: the row scorer learns from them, but a
    group stage fitted on them would learn nothing, and the base model's, fitted on another
    scorer's probabilities, would overrule what they taught; so claims come from each pair's
    best sentence, on the base model's best-row calibration and threshold (built on a base) or
    on the held-out rows' (alone).
    """
    from stancemap.extract.features import SCALARS
    from stancemap.learn.decide import fit_decider

    row_cal, row_thr, row_table = F.calibration_and_threshold(ds, P)
    rows = {"calibration": row_cal, "threshold": row_thr}
    if int((ds.y > 0).sum()) >= F.SMALL:
        arrays, cal, thr, table = fit_decider(ds, P, range(len(ds.articles)), n_scalars=len(SCALARS), seed=seed)
        return arrays, cal, thr, table, "held-out folds", rows
    if built_on:
        base_meta = json.loads((base / "meta.json").read_text())
        kept = base_meta.get("best_row") or {"calibration": base_meta["calibration"], "threshold": base_meta["threshold"]}
        return (None, kept["calibration"], float(kept["threshold"]), [], f"the base model {base_meta.get('version')}",
                kept)
    return None, row_cal, row_thr, row_table, "held-out folds", rows


def train(ts: TrainingSet, out: str | Path, *, base_model: str | Path | None = None, seed: int = 0,
          n_folds: int = 5, progress: Callable[[str, int, int], None] | None = None, kb=None, nlp=None,
          dataset: Dataset | None = None, build_on: bool = True) -> TrainReport:
    """``build_on``: when the base folder holds a trained model, train on top of it (its
    probabilities are features), so that a few articles adjust it rather than replace it."""
    from stancemap.extract.learned import builtin_model_dir

    _one_thread()
    t0 = time.time()
    if not ts.articles:
        raise TrainingError("no annotated article to train on")
    base = Path(base_model) if base_model else builtin_model_dir()
    for f in F.STATIC_FILES:
        if not (base / f).exists():
            raise TrainingError(f"{base}: missing {f} (the static vectors a model is built on); "
                                f"give --base MODEL_DIR or reinstall stancemap")
    n = len(ts.articles)
    step = (lambda what, k: progress(what, k, n)) if progress else None
    ds = dataset or build(ts, base, kb=kb, nlp=nlp, progress=(lambda k: step("candidates", k)) if step else None)
    if not (ds.y > 0).any():
        raise TrainingError("none of the gold claims matched a candidate sentence: check that the evidence "
                            "sentences are copied from the articles and the actors are in the codebook")
    prior = F.prior_arrays(base) if build_on else None
    notes = () if prior is not None or not build_on else (
        f"{base} cannot be built on (its trees read other features than this version computes, or it has "
        "none): this model learned from scratch; retrain the base model first to build on it",)
    folds = max(2, min(n_folds, len(ds.articles)))
    P = F.out_of_fold(ds, n_folds=folds, seed=seed, prior=prior,
                      progress=(lambda k: progress("folds", k, folds)) if progress else None)
    decider, cal, thr, table, calibrated_on, best_row = _decision_stage(ds, P, base, prior is not None, seed)
    fitted = F.fit_scorer(ds.X, ds.y, ds.w, seed=seed, prior=prior, si=ds.row_si(), issues=ds.row_fingerprints())
    if progress:
        progress("fit", 1, 1)
    info = {
        "seed": seed, "articles": len(ds.articles), "claims": sum(len(g.claims) for g in ds.articles),
        "codebooks": sorted(ts.codebooks), "rows": int(len(ds.y)), "positives": int((ds.y > 0).sum()),
        "decision": "groups" if decider is not None else "best row", "reliability": table,
        "ece": F.ece(table) if table else None, "calibrated_on": calibrated_on, "best_row": best_row,
        "base": str(base),
        "built_on": (json.loads((base / "meta.json").read_text()).get("version") if prior is not None else None),
    }
    meta = F.write_model(Path(out), fitted, static_from=base, calibration=cal, threshold=thr, info=info,
                         decider=decider)
    return TrainReport(Path(out), meta, len(ds.articles), info["claims"], info["rows"], info["positives"],
                       time.time() - t0, notes)

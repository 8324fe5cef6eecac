"""scikit-learn models -> the numpy arrays :mod:`stancemap.extract.scorers` evaluates."""

from __future__ import annotations

import numpy as np


def trees_arrays(clf) -> dict[str, np.ndarray]:
    """A fitted HistGradientBoostingClassifier as flat node arrays (numerical features only)."""
    feats, thr, left, right, leaf, value, miss, roots, tclass = [], [], [], [], [], [], [], [], []
    offset, depth = 0, 0
    for per_iter in clf._predictors:
        for c, pred in enumerate(per_iter):
            nodes = pred.nodes
            roots.append(offset)
            tclass.append(c)
            feats.append(nodes["feature_idx"].astype(np.int32))
            thr.append(nodes["num_threshold"].astype(np.float64))
            left.append(nodes["left"].astype(np.int32) + offset)
            right.append(nodes["right"].astype(np.int32) + offset)
            leaf.append(nodes["is_leaf"].astype(bool))
            value.append(nodes["value"].astype(np.float64))
            miss.append(nodes["missing_go_to_left"].astype(bool))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    base = np.asarray(clf._baseline_prediction, dtype=np.float64).ravel()
    return {
        "feature": np.concatenate(feats), "threshold": np.concatenate(thr), "left": np.concatenate(left),
        "right": np.concatenate(right), "is_leaf": np.concatenate(leaf), "value": np.concatenate(value),
        "missing_left": np.concatenate(miss), "roots": np.asarray(roots, dtype=np.int32),
        "tree_class": np.asarray(tclass, dtype=np.int32), "baseline": base, "max_depth": np.asarray(depth),
    }


def linear_arrays(clf) -> dict[str, np.ndarray]:
    return {"coef": np.asarray(clf.coef_, dtype=np.float64), "intercept": np.asarray(clf.intercept_, dtype=np.float64)}

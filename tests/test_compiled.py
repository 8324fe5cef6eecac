"""Tree models walked by onnxruntime (stancemap.extract.compiled) give what the numpy walk gives:
on a hand-made ensemble whose sums are worked out by hand below (missing values, a threshold hit
exactly, a tree that is a single leaf), and on the shipped model's trees over real feature rows."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from stancemap.extract import compiled
from stancemap.extract.scorers import TreeScorer

NAN = float("nan")


def _hand_made() -> TreeScorer:
    """Three trees, one per output.
    tree 0 (output 0): x0 <= 0.5 ? 1.0 : (x1 <= -1.0 ? 2.0 : 3.0), a missing x1 going left there;
    tree 1 (output 1): a single leaf, 10.0;
    tree 2 (output 2): x1 <= 0.0 ? -1.0 : 1.0, a missing x1 going right.
    Baselines 0.5, 0.0, -0.5."""
    leaf = [False, True, False, True, True, True, False, True, True]
    return TreeScorer({
        "feature": np.array([0, 0, 1, 0, 0, 0, 1, 0, 0]),
        "threshold": np.array([0.5, 0, -1.0, 0, 0, 0, 0.0, 0, 0]),
        "left": np.array([1, 0, 3, 0, 0, 0, 7, 0, 0]),
        "right": np.array([2, 0, 4, 0, 0, 0, 8, 0, 0]),
        "is_leaf": np.array(leaf),
        "value": np.array([0, 1.0, 0, 2.0, 3.0, 10.0, 0, -1.0, 1.0]),
        "missing_left": np.array([False, False, True, False, False, False, False, False, False]),
        "roots": np.array([0, 5, 6]),
        "tree_class": np.array([0, 1, 2]),
        "baseline": np.array([0.5, 0.0, -0.5]),
        "max_depth": np.array(2),
    })


ROWS = np.array([[0.2, 5.0], [0.9, NAN], [0.5, -1.0], [NAN, -3.0], [0.7, 0.0]], dtype=np.float32)
# worked out from the trees above, row by row
EXPECTED = np.array([
    [1.0, 10.0, 1.0],    # 0.2 <= 0.5: 1; 5 > 0: +1
    [2.0, 10.0, 1.0],    # 0.9 > 0.5, x1 missing goes left: 2; missing goes right in tree 2: +1
    [1.0, 10.0, -1.0],   # 0.5 <= 0.5 (equal goes left): 1; -1 <= 0: -1
    [2.0, 10.0, -1.0],   # missing x0 goes right at the root, -3 <= -1: 2; -1
    [3.0, 10.0, -1.0],   # 0.7 > 0.5, 0 > -1: 3; 0 <= 0: -1
]) + np.array([0.5, 0.0, -0.5])


def test_the_numpy_walk_gives_the_sums_worked_out_by_hand():
    assert np.array_equal(_hand_made().raw_numpy(ROWS), EXPECTED)


def test_the_compiled_walk_gives_the_sums_worked_out_by_hand():
    assert compiled.available(), "onnxruntime and onnx are dependencies of stancemap"
    ts = _hand_made()
    assert np.array_equal(ts.raw(ROWS), EXPECTED)
    assert ts._compiled  # it was onnxruntime that walked them


def test_without_onnxruntime_the_numpy_walk_is_used(monkeypatch):
    monkeypatch.setattr(compiled, "available", lambda: False)
    ts = _hand_made()
    assert np.array_equal(ts.raw(ROWS), EXPECTED)
    assert ts._compiled is False


def test_only_the_columns_the_trees_read_are_copied_in_blocks_of_rows(monkeypatch):
    # the same trees reading columns 4 and 2 of six (the others junk), run two rows at a time
    ts = _hand_made()
    ts.feature = np.where(ts.leaf, 0, np.where(ts.feature == 0, 4, 2)).astype(np.int32)
    wide = np.full((len(ROWS), 6), 7.5, dtype=np.float32)
    wide[:, 4], wide[:, 2] = ROWS[:, 0], ROWS[:, 1]
    monkeypatch.setattr(compiled, "_CHUNK", 2)
    assert np.array_equal(ts.raw(wide), EXPECTED)
    assert ts._compiled and list(ts._compiled.used) == [2, 4]
    assert np.array_equal(ts.raw_numpy(wide), EXPECTED)


def test_a_node_shared_by_trees_of_two_outputs_is_walked_in_numpy():
    # two trees (outputs 0 and 1) share every node: ONNX gives a leaf one output, so no compiling
    ts = TreeScorer({
        "feature": np.array([0, 0, 0]), "threshold": np.array([0.0, 0, 0]),
        "left": np.array([1, 0, 0]), "right": np.array([2, 0, 0]), "is_leaf": np.array([False, True, True]),
        "value": np.array([0, 1.0, 2.0]), "missing_left": np.array([False] * 3),
        "roots": np.array([0, 0]), "tree_class": np.array([0, 1]), "baseline": np.array([0.0, 0.0]),
        "max_depth": np.array(1)})
    X = np.array([[-1.0], [1.0]])
    assert np.array_equal(ts.raw(X), [[1.0, 1.0], [2.0, 2.0]])  # each tree adds its leaf to its output
    assert ts._compiled is False


def test_a_compiled_scorer_pickles_and_scores_again():
    ts = _hand_made()
    ts.raw(ROWS)
    again = pickle.loads(pickle.dumps(ts))
    assert np.array_equal(again.raw(ROWS), EXPECTED)
    assert np.array_equal(ts.raw(ROWS[:0]), np.zeros((0, 3)))


@pytest.mark.model
def test_the_shipped_models_trees_score_real_rows_as_the_numpy_walk_does():
    import datetime as dt
    from importlib import resources

    from stancemap.extract.learned import LearnedExtractor
    from stancemap.knowledge.codebook import builtin_codebook
    from stancemap.model import Article

    text = (resources.files("stancemap") / "data" / "example-us-israel.txt").read_text(encoding="utf-8")
    ext = LearnedExtractor(builtin_codebook())
    ext._build()
    _acs, parts = ext.featurizer.rows([Article(id="ex", date=dt.date(2023, 12, 7), text=text)])
    X = np.vstack([x for x, _ in parts])
    X[::7, 3] = np.nan  # missing values take the side each node learned, in both walks
    assert len(X) > 50
    with np.load(ext.model_dir / "weights.npz") as z:
        arrays = {k: z[k] for k in z.files}
    for prefix in ("", "bag1_", "stance_", "si_", "holder_"):
        part = {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)} if prefix else arrays
        ts = TreeScorer(part)
        walked, run = ts.raw_numpy(X), ts.raw(X)
        assert ts._compiled
        assert walked.std(axis=0).min() > 0.1  # rows that the trees tell apart
        np.testing.assert_allclose(run, walked, rtol=0, atol=1e-9)

"""Tree models walked by onnxruntime: the same trees as ``scorers.TreeScorer``'s numpy walk, compiled.

A tree model's flat node arrays become one ONNX ``TreeEnsemble`` node (``ai.onnx.ml`` opset 5,
thresholds, leaf values and output in float64, so the sums equal the numpy walk's up to the order
of addition) and run in an onnxruntime session on one thread: process-level parallelism (Dask
workers, ``--workers``) is how stancemap uses more cores. The graph is built when a model is first
scored, from the arrays the model folder already holds; nothing new is stored.

Why: walking 900 trees of 31 leaves level by level in numpy was the largest stage of extraction
(37% of its CPU time on 400 corpus articles); compiled, the trees take a fifth of that
(benchmarks/README.md, throughput). onnxruntime and onnx are pinned dependencies; where either
cannot be imported, ``compile_trees`` returns None and the numpy walk is used (same results).
"""

from __future__ import annotations

import logging
import threading

import numpy as np

log = logging.getLogger(__name__)

_OPSET_ML = 5  # TreeEnsemble, with float64 thresholds and leaf weights
_OPSET = 21
_IR_VERSION = 10


_CHUNK = 16_384  # rows per run: the float64 copy of a block of the used columns stays a few MB
_LOCK = threading.Lock()  # one compilation at a time (threads sharing a scorer compile it once)


def available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except Exception as e:  # noqa: BLE001 - not installed, or broken (a protobuf mismatch): numpy walks
        if not isinstance(e, ImportError):
            log.warning("onnxruntime/onnx cannot be imported (%s: %s); the trees are walked in numpy", type(e).__name__, e)
        return False
    return True


def tree_ensemble_model(feature, threshold, left, right, is_leaf, value, missing_left, roots, tree_class,
                        n_outputs: int, n_features: int | None = None):
    """The ONNX model (``onnx.ModelProto``) of a tree ensemble in ``TreeScorer``'s flat layout: nodes
    of all trees in one array, ``roots`` each tree's root, a leaf's ``value`` added to output
    ``tree_class`` of its tree; a row goes left where ``x <= threshold`` and, where x is missing,
    where ``missing_left`` says. Outputs are the sums alone (no baseline, no link function).
    ``n_features``: the input's width, where known. Raises ValueError where a node is shared by
    trees of different outputs (ONNX gives a leaf one output; the numpy walk serves those)."""
    from onnx import TensorProto, helper, numpy_helper

    is_leaf = np.asarray(is_leaf, dtype=bool)
    roots = np.asarray(roots, dtype=np.int64)
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    tree_of = np.full(len(is_leaf), -1, dtype=np.int64)  # each node's tree: from the roots down
    tree_of[roots] = np.arange(len(roots))
    level = roots[~is_leaf[roots]]
    while len(level):
        for kids in (left[level], right[level]):
            tree_of[kids] = tree_of[level]
        level = np.concatenate([left[level], right[level]])
        level = level[~is_leaf[level]]
    tree_class = np.asarray(tree_class, dtype=np.int64)
    reach = tree_of >= 0
    if _shared(tree_of, roots, left, right, is_leaf, tree_class):
        raise ValueError("a node is shared by trees of different outputs")
    tree_of[~reach] = 0  # unreachable nodes: any tree, they are never reached
    internal, leaves = np.nonzero(~is_leaf)[0], np.nonzero(is_leaf)[0]
    # A tree that is a single leaf gets a split whose both sides are that leaf (ONNX roots are splits).
    lone = roots[is_leaf[roots]]
    pos = np.full(len(is_leaf), -1, dtype=np.int64)
    pos[internal] = np.arange(len(internal))
    pos[leaves] = np.arange(len(leaves))
    lone_ids = len(internal) + np.arange(len(lone))

    def child(c):
        c = c[internal]
        return pos[c], is_leaf[c].astype(np.int64)

    true_ids, true_leaf = child(left)
    false_ids, false_leaf = child(right)
    tree_roots = np.where(is_leaf[roots], 0, pos[roots])
    tree_roots[is_leaf[roots]] = lone_ids
    feats = np.concatenate([np.asarray(feature, dtype=np.int64)[internal], np.zeros(len(lone), np.int64)])
    splits = np.concatenate([np.asarray(threshold, dtype=np.float64)[internal], np.zeros(len(lone))])
    node = helper.make_node(
        "TreeEnsemble", ["X"], ["Y"], domain="ai.onnx.ml",
        n_targets=int(n_outputs), aggregate_function=1, post_transform=0,  # SUM, NONE
        tree_roots=tree_roots.tolist(),
        nodes_featureids=feats.tolist(),
        nodes_splits=numpy_helper.from_array(splits),
        nodes_modes=numpy_helper.from_array(np.zeros(len(feats), dtype=np.uint8)),  # BRANCH_LEQ
        nodes_truenodeids=np.concatenate([true_ids, pos[lone]]).tolist(),
        nodes_trueleafs=np.concatenate([true_leaf, np.ones(len(lone), np.int64)]).tolist(),
        nodes_falsenodeids=np.concatenate([false_ids, pos[lone]]).tolist(),
        nodes_falseleafs=np.concatenate([false_leaf, np.ones(len(lone), np.int64)]).tolist(),
        nodes_missing_value_tracks_true=np.concatenate(
            [np.asarray(missing_left, dtype=np.int64)[internal], np.zeros(len(lone), np.int64)]).tolist(),
        leaf_targetids=tree_class[tree_of[leaves]].tolist(),
        leaf_weights=numpy_helper.from_array(np.asarray(value, dtype=np.float64)[leaves]),
    )
    graph = helper.make_graph(
        [node], "trees",
        [helper.make_tensor_value_info("X", TensorProto.DOUBLE, [None, n_features])],
        [helper.make_tensor_value_info("Y", TensorProto.DOUBLE, [None, int(n_outputs)])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET),
                                                     helper.make_opsetid("ai.onnx.ml", _OPSET_ML)])
    model.ir_version = _IR_VERSION
    return model


def _shared(tree_of, roots, left, right, is_leaf, tree_class) -> bool:
    """Whether some node is reached from trees of different outputs (arrays made by hand only:
    ``learn.export.trees_arrays`` gives every tree its own nodes). ``tree_of`` gave a shared node
    one of its trees; then an edge into it, or a root, disagrees on the output."""
    reach = tree_of >= 0
    cls = np.where(reach, tree_class[np.maximum(tree_of, 0)], -1)
    if (cls[roots] != tree_class).any():
        return True
    inner = np.nonzero(reach & ~is_leaf)[0]
    return bool((cls[left[inner]] != cls[inner]).any() or (cls[right[inner]] != cls[inner]).any())


class CompiledTrees:
    """``raw(X)``: the trees' summed leaf values per output, as ``TreeScorer``'s walk gives them.
    Only the columns the trees read (``used``) are copied to float64, a block of rows at a time."""

    def __init__(self, model, used: np.ndarray):
        import onnxruntime as ort

        self.used = used

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])

    def raw(self, X: np.ndarray) -> np.ndarray:
        parts = [self.session.run(None, {"X": np.ascontiguousarray(X[i:i + _CHUNK, self.used], dtype=np.float64)})[0]
                 for i in range(0, len(X), _CHUNK)]
        return parts[0] if len(parts) == 1 else np.vstack(parts)


def compile_trees(scorer) -> CompiledTrees | None:
    """``scorer`` (a ``TreeScorer``) compiled, or None where it cannot be: onnxruntime or onnx not
    installed or broken, or trees ONNX cannot express (the numpy walk is used then)."""
    if not available():
        return None
    with _LOCK:
        done = getattr(scorer, "_compiled", None)
        if done is not None:  # another thread compiled it while this one waited
            return done or None
        try:
            used = np.unique(scorer.feature[~scorer.leaf])  # the columns the trees read, renumbered
            if not len(used):
                used = np.zeros(1, dtype=scorer.feature.dtype)
            feature = np.where(scorer.leaf, 0, np.searchsorted(used, scorer.feature))
            model = tree_ensemble_model(feature, scorer.threshold, scorer.left, scorer.right, scorer.leaf,
                                        scorer.value, scorer.missing_left, scorer.roots, scorer.tree_class,
                                        len(scorer.baseline), n_features=len(used))
            return CompiledTrees(model, used)
        except Exception as e:  # noqa: BLE001 - an onnxruntime that rejects the graph: numpy walks
            log.warning("trees not compiled (%s: %s); they are walked in numpy", type(e).__name__, e)
            return None

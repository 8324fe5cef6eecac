"""Model scorers: what a trained model's weights file holds, and how it scores (numpy; trees by onnxruntime).

Training uses scikit-learn (the ``train`` extra); inference needs numpy and onnxruntime. A scorer maps
feature rows to class probabilities (none, support, oppose).

- ``trees``: gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier), stored as
  flat node arrays; walked by onnxruntime (compiled.py), or in numpy where it is missing (every
  tree at once, one level per step).
- ``linear``: a multinomial logistic regression (coefficients and intercepts).

Any of them may carry a **stance model** (arrays ``stance_*``): binary trees fitted on claim rows
alone (support vs oppose), which split the scorer's claim probability between the two sides. The
three-way trees spend their splits on claim-or-not (most rows are not claims) and fall back on the
majority side; held out, the stance trees pick the side right on 83% of claim rows (the three-way
trees 82%, "always support" 77%) and on 77% of a topic never trained on (73%).

Tree models may also carry a bag of more three-way models (``bag{j}_*``: :class:`BagScorer`) and
factored trees (``si_*``, ``holder_*``: :class:`FactoredScorer`), both walked only on the rows
where the first model sees some chance of a claim. A model is composed as
stance(factored(bag(trees))).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stancemap.errors import ModelMissing


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class TreeScorer:
    kind = "trees"

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.feature = arrays["feature"].astype(np.int32)
        self.threshold = arrays["threshold"].astype(np.float64)
        self.left = arrays["left"].astype(np.int32)
        self.right = arrays["right"].astype(np.int32)
        self.leaf = arrays["is_leaf"].astype(bool)
        self.value = arrays["value"].astype(np.float64)
        self.missing_left = arrays["missing_left"].astype(bool)
        self.roots = arrays["roots"].astype(np.int32)          # (n_trees,) index of each tree's root
        self.tree_class = arrays["tree_class"].astype(np.int32)  # (n_trees,) which raw score it adds to
        self.baseline = arrays["baseline"].astype(np.float64)    # (n_raw,)
        self.depth = int(arrays["max_depth"])
        self._compiled = None  # onnxruntime's walk of these trees (extract/compiled.py), built when first used

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_compiled"} | {"_compiled": None}

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Each row's raw scores: the baseline plus the leaf values its trees reach."""
        if len(X) == 0:
            return np.zeros((0, len(self.baseline)))
        compiled = getattr(self, "_compiled", None)
        if compiled is None:
            from stancemap.extract.compiled import compile_trees

            compiled = self._compiled = compile_trees(self) or False
        if compiled:
            return self.baseline + compiled.raw(X)
        return self.raw_numpy(X)

    def raw_numpy(self, X: np.ndarray, *, chunk: int = 128) -> np.ndarray:
        """``raw`` walked in numpy (where onnxruntime is missing; the reference the compiled walk is tested against)."""
        if len(X) > chunk:  # blocks of rows keep the walk's arrays in the processor's cache
            return np.vstack([self.raw_numpy(X[i:i + chunk], chunk=chunk) for i in range(0, len(X), chunk)])
        n, t = len(X), len(self.roots)
        node = np.tile(self.roots, n)              # (row, tree) flattened, row-major
        start = np.repeat(np.arange(n) * X.shape[1], t)  # where each walk's row starts in X.ravel()
        active = np.nonzero(~self.leaf[node])[0]   # only the walks not yet at a leaf move on
        Xf = X.ravel()
        nan = bool(np.isnan(X).any())  # most blocks have no missing value: no test per node then
        kids = self._children()
        while len(active):
            nd = node[active]
            x = Xf[start[active] + self.feature[nd]]
            go_left = x <= self.threshold[nd]  # False for NaN, which goes where the tree learned
            if nan:
                go_left |= np.isnan(x) & self.missing_left[nd]
            nxt = kids[go_left.view(np.int8), nd]
            node[active] = nxt
            active = active[~self.leaf[nxt]]
        vals = self.value[node].reshape(n, t)
        return self.baseline + vals @ self._class_matrix()

    def _children(self) -> np.ndarray:
        k = getattr(self, "_kids", None)
        if k is None:
            k = self._kids = np.stack([self.right, self.left])  # [goes left][node] -> the next node
        return k

    def _class_matrix(self) -> np.ndarray:
        m = getattr(self, "_cm", None)
        if m is None:
            m = self._cm = np.eye(len(self.baseline))[self.tree_class]  # (n_trees, n_raw): tree -> its score
        return m

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, 3))
        return _softmax(self.raw(X))


class LinearScorer:
    kind = "linear"

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.coef = arrays["coef"].astype(np.float64)
        self.intercept = arrays["intercept"].astype(np.float64)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, 3))
        return _softmax(X @ self.coef.T + self.intercept)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _gated(inner, X: np.ndarray, gate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``inner``'s probabilities, each row's claim probability, and the rows where it reaches ``gate``."""
    P = inner.predict_proba(X)
    claim = 1.0 - P[:, 0]
    return P, claim, np.nonzero(claim >= gate)[0]


class StanceScorer:
    """A scorer whose claim probability (1 - P(none)) is split between support and oppose by a
    stance model: P = [none, claim * (1 - s), claim * s], s = P(oppose | claim). The stance trees read
    the scalar features only; rows that are plainly no claim (claim probability under 0.01, more
    than nine rows in ten) are not walked and split evenly."""

    def __init__(self, inner, stance: TreeScorer, min_claim: float = 0.01):
        self.inner, self.stance, self.min_claim = inner, stance, min_claim
        self.kind = inner.kind

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        P, claim, live = _gated(self.inner, X, self.min_claim)
        if len(P) == 0:
            return P
        s = np.full(len(P), 0.5)
        if len(live):
            s[live] = _sigmoid(self.stance.raw(np.ascontiguousarray(X[live]))[:, 0])
        return np.column_stack([P[:, 0], claim * (1.0 - s), claim * s])


class BagScorer:
    """Several three-way tree models fitted on different draws of the "none" rows, averaged on
    every row. Held out, two models rank claim rows better than one (average precision 0.414 ->
    0.449); one model fitted on every "none" row does not (0.418): it is the averaging, not the data.

    Until 2026-12-07 the rest of the bag was walked only where the first member saw a chance of a
    claim (1%), to save time. But members disagree most where one is confidently wrong: a retrained
    model's first member gave "The Biden administration supports a role for a reformed Palestinian
    Authority in governing Gaza" P(none) = 1.000 (a combination of features it had memorised;
    changing any one of several flips it) while the second gave 0.947 support, and the gate
    dropped the row. Every member is now walked on every row."""

    def __init__(self, members: list):
        self.members = members
        self.kind = members[0].kind

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return sum(m.predict_proba(X) for m in self.members) / len(self.members)


class FactoredScorer:
    """A second opinion on whether a row is a claim, in two factors: does anyone take a stance on
    this issue in this sentence (trees over what the sentence says, the same for all its actors:
    ``SENTENCE_ISSUE_SCALARS``), and is it this actor (trees fitted on the rows of sentences that
    hold one)? Their product is mixed with the three-way models' claim probability, the sides
    keeping their ratio; walked only where that probability is 0.01 or more. Held out, the mix
    ranks claim rows better than the bag alone (average precision 0.445 -> 0.473): the three-way
    trees learn sentence and speaker at once from rows where "none" may mean either."""

    def __init__(self, inner, sentence: "TreeScorer", holder: "TreeScorer", mix: float = 0.5, gate: float = 0.01):
        self.inner, self.sentence, self.holder, self.mix, self.gate = inner, sentence, holder, mix, gate
        self.kind = inner.kind

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        P, claim, live = _gated(self.inner, X, self.gate)
        if len(live):
            Xl = np.ascontiguousarray(X[live])
            two = _sigmoid(self.sentence.raw(Xl)[:, 0]) * _sigmoid(self.holder.raw(Xl)[:, 0])
            mixed = (1.0 - self.mix) * claim[live] + self.mix * two
            scale = mixed / np.maximum(claim[live], 1e-12)
            P = P.copy()
            P[live, 0] = 1.0 - mixed
            P[live, 1] *= scale
            P[live, 2] *= scale
        return P


def factored_arrays(arrays: dict[str, np.ndarray]) -> tuple[dict, dict] | None:
    """The sentence-issue (``si_*``) and holder (``holder_*``) trees, if the arrays carry them."""
    si = {k.removeprefix("si_"): v for k, v in arrays.items() if k.startswith("si_")}
    holder = {k.removeprefix("holder_"): v for k, v in arrays.items() if k.startswith("holder_")}
    return (si, holder) if si and holder else None


def with_factored(scorer, arrays: dict[str, np.ndarray]):
    got = factored_arrays(arrays)
    if got is None:
        return scorer
    return FactoredScorer(scorer, TreeScorer(got[0]), TreeScorer(got[1]), float(arrays.get("factor_mix", 0.5)))


def bag_arrays(arrays: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """The extra members of a bag: arrays ``bag{j}_*``, j = 1, 2, ..."""
    out, j = [], 1
    while any(k.startswith(f"bag{j}_") for k in arrays):
        out.append({k.removeprefix(f"bag{j}_"): v for k, v in arrays.items() if k.startswith(f"bag{j}_")})
        j += 1
    return out


def with_bag(scorer: "TreeScorer", arrays: dict[str, np.ndarray]):
    extra = bag_arrays(arrays)
    return BagScorer([scorer, *(TreeScorer(a) for a in extra)]) if extra else scorer


def stance_arrays(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k.removeprefix("stance_"): v for k, v in arrays.items() if k.startswith("stance_")}


def with_stance(scorer, arrays: dict[str, np.ndarray]):
    """``scorer`` with the stance model ``arrays`` carry, if they carry one."""
    st = stance_arrays(arrays)
    return StanceScorer(scorer, TreeScorer(st)) if st else scorer


class StackScorer:
    """A linear model over every feature, whose three scores are added as features for the trees."""

    kind = "stack"

    def __init__(self, linear: LinearScorer, trees: TreeScorer, n_scalars: int):
        self.linear, self.trees, self.n_scalars = linear, trees, n_scalars

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, 3))
        return self.trees.predict_proba(stack_features(X, self.linear.predict_proba(X), self.n_scalars))


class PriorScorer:
    """A model trained on top of another: the other model's support and oppose probabilities are
    two more features for its trees (how a few annotated articles adjust the built-in model)."""

    kind = "prior+trees"

    def __init__(self, prior, trees: TreeScorer, n_scalars: int, mix: float = 0.0):
        self.prior, self.trees, self.n_scalars, self.mix = prior, trees, n_scalars, mix

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, 3))
        P = self.trees.predict_proba(with_prior(X, self.prior, self.n_scalars))
        if self.mix:  # few training articles: their trees adjust the prior rather than replace it
            P = self.mix * self.prior.predict_proba(X) + (1.0 - self.mix) * P
        return P


def with_prior(X: np.ndarray, prior, n_scalars: int) -> np.ndarray:
    return np.hstack([X[:, :n_scalars], prior.predict_proba(X)[:, 1:]])


def stack_features(X: np.ndarray, lin: np.ndarray, n_scalars: int) -> np.ndarray:
    return np.hstack([X[:, :n_scalars], lin])


class RulesSide:
    """Where the rules attributed this actor's stance on this issue in this sentence, their sign
    picks the side (support or oppose) and the model only says how likely a claim is: on held-out
    folds the rules' sign is right on 89% of such gold claims, the trees' choice on 86%."""

    def __init__(self, inner, here: int, sign: int):
        self.inner, self.here, self.sign = inner, here, sign
        self.kind = inner.kind

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        P = self.inner.predict_proba(X)
        if len(P) == 0:
            return P
        here = X[:, self.here] > 0
        want = np.where(X[:, self.sign] > 0, 1, 2)
        wrong = here & (((want == 1) & (P[:, 2] > P[:, 1])) | ((want == 2) & (P[:, 1] > P[:, 2])))
        if wrong.any():
            P = P.copy()
            P[wrong, 1], P[wrong, 2] = P[wrong, 2], P[wrong, 1].copy()
        return P


def with_rules_side(scorer):
    """The rules' sign picks the side where they fired, unless a stance model does (it reads the
    rules' sign as a feature, and overruling it costs: held out, 0.834 -> 0.827 of claim rows)."""
    from stancemap.extract.features import SCALARS

    if isinstance(scorer, StanceScorer):
        return scorer

    return RulesSide(scorer, SCALARS.index("rule_here"), SCALARS.index("rule_sign"))


def save_scorer(path: Path, scorer_arrays: dict[str, np.ndarray]) -> None:
    np.savez_compressed(path, **scorer_arrays)


def load_scorer(path: Path, kind: str, n_scalars: int = 0):
    return with_rules_side(_load_scorer(path, kind, n_scalars))


def _load_scorer(path: Path, kind: str, n_scalars: int = 0):
    try:
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        raise ModelMissing(f"{path}: cannot read the model weights ({e})") from e
    try:
        return scorer_from_arrays(arrays, kind, n_scalars)
    except ValueError as e:
        raise ModelMissing(f"{path}: {e}") from e


def scorer_from_arrays(arrays: dict[str, np.ndarray], kind: str, n_scalars: int = 0):
    """The scorer a weights file's arrays make (without the rules' side: see ``with_rules_side``)."""
    if kind == "trees":
        return with_stance(with_factored(with_bag(TreeScorer(arrays), arrays), arrays), arrays)
    if kind == "linear":
        return with_stance(LinearScorer(arrays), arrays)
    if kind == "prior+trees":
        return prior_scorer(arrays, n_scalars)
    if kind == "stack":
        lin = LinearScorer({k.removeprefix("lin_"): v for k, v in arrays.items() if k.startswith("lin_")})
        trees = TreeScorer({k.removeprefix("tree_"): v for k, v in arrays.items() if k.startswith("tree_")})
        return StackScorer(lin, trees, n_scalars)
    raise ValueError(f"unknown scorer kind {kind!r}")


def prior_scorer(arrays: dict[str, np.ndarray], n_scalars: int) -> PriorScorer:
    """Arrays ``prior_*`` (the prior's own scorer, itself possibly with a prior) and ``tree_*``."""
    inner = {k.removeprefix("prior_"): v for k, v in arrays.items() if k.startswith("prior_")}
    if any(k.startswith("prior_") for k in inner):
        prior = prior_scorer(inner, n_scalars)
    else:
        trees = {k.removeprefix("tree_"): v for k, v in inner.items() if k.startswith("tree_")}
        prior = with_stance(with_factored(with_bag(TreeScorer(trees), trees), trees), inner)
    trees = TreeScorer({k.removeprefix("tree_"): v for k, v in arrays.items() if k.startswith("tree_")})
    return with_stance(PriorScorer(prior, trees, n_scalars, float(arrays.get("mix", 0.0))), arrays)

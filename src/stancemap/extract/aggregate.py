"""From scored sentences to an article's claims: one decision per (actor, issue) in the article.

A claim is annotated once per article: an actor supports or opposes an issue *in this article*,
however many sentences say so. The row scorer (see :mod:`stancemap.extract.scorers`) rates each
(sentence, actor, issue) candidate alone; this stage reads all of an actor-issue pair's rows
together, with the article around them, and decides the pair: none, support or oppose.

What it reads (``GROUP_FEATURES``), none naming an actor or an issue:

- the pair's rows: best support and oppose probabilities, the best chance of a claim, their
  noisy-or, the runner-up, the sides' balance;
- the pair among its neighbours: how this issue ranks among the actor's issues, and the actor
  among the issue's actors (a sentence about aid names several actors; a few of them hold a stance);
- the article: the actor's salience, where the pair first appears and in what share of the
  sentences; how close the issue's best and average sentence come to it, and in what share of
  the sentences its words, patterns and rule claims appear;
- the best row's own features (how the actor is tied to it, what the rules found there).

Counts that grow with the article or the codebook (sentences, actors, issues, rows) are left
out: on held-out topics they made the stage worse (trained on Gaza, scored on US 2016: triple
F1 0.311 with them, 0.322 without, with the best sentence choosing the side).

Two deciders share one interface, ``decide(ac, keys, X, P) -> [Decision]``:

- :class:`GroupDecider`: gradient-boosted trees over the features above (``decide.npz`` in a
  model folder), with its own calibration and threshold from held-out folds;
- :class:`BestRowDecider`: the older rule, a claim per (actor, issue, stance) from its best
  sentence (models trained before the group stage, and the fallback of a folder without one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

PAIR_FEATURES = (
    "max_support", "max_oppose", "max_claim", "noisy_or", "second_claim", "side_gap", "side_mass",
    "support_share", "best_side",
    "actor_n_issues", "actor_rank", "actor_gap", "issue_n_actors", "issue_rank", "issue_gap",
    "salience", "sentence_share", "first_sentence",
    "issue_max_cos", "issue_mean_cos", "issue_lex_share", "issue_rough_share", "issue_rule_share",
)
_ISSUE_COLS = ("cos", "lex_any", "rough", "rule_here")


def group_feature_names(row_scalars: tuple[str, ...] | list[str]) -> list[str]:
    return [*PAIR_FEATURES, *(f"best_{s}" for s in row_scalars)]


@dataclass(frozen=True)
class Decision:
    actor: str
    issue: str
    stance: int      # 1 support, 2 oppose
    raw: float       # the decider's probability, before calibration
    row: int         # the evidence: the pair's best row for that stance (index into the article's rows)


def groups_of(ac, keys) -> dict[tuple[str, str], list[int]]:
    """Row indices of each (actor, issue) pair, in the rows' order."""
    groups: dict[tuple[str, str], list[int]] = {}
    for r, (pi, iid) in enumerate(keys):
        groups.setdefault((ac.pairs[pi].actor, iid), []).append(r)
    return groups


def group_features(ac, keys, X: np.ndarray, P: np.ndarray, n_scalars: int
                   ) -> tuple[list[tuple[str, str]], np.ndarray, dict[tuple[str, str], list[int]]]:
    """(pairs, their feature rows, each pair's row indices) for one article's scored rows."""
    groups = groups_of(ac, keys)
    if not groups:
        return [], np.zeros((0, len(PAIR_FEATURES) + n_scalars)), groups
    claim = 1.0 - P[:, 0]
    pairs = list(groups)
    top = {g: float(claim[groups[g]].max()) for g in pairs}
    by_actor: dict[str, list[float]] = {}
    by_issue: dict[str, list[float]] = {}
    for (a, i), m in top.items():
        by_actor.setdefault(a, []).append(m)
        by_issue.setdefault(i, []).append(m)
    for v in (*by_actor.values(), *by_issue.values()):
        v.sort(reverse=True)
    n_sent = max(1, len(ac.sentences))
    issue_ctx = _issue_context(ac, keys, X, n_sent)
    sal = ac.salience
    most = max(1, max(sal.values(), default=1))
    out = np.empty((len(pairs), len(PAIR_FEATURES) + n_scalars))
    for gi, g in enumerate(pairs):
        rs = np.asarray(groups[g])
        a, i = g
        p1, p2, c = P[rs, 1], P[rs, 2], claim[rs]
        order = np.argsort(-c, kind="stable")
        best = rs[order[0]]
        sup = p1 >= p2
        m = top[g]
        am, im = by_actor[a], by_issue[i]
        sents = [ac.pairs[keys[r][0]].sent for r in rs]
        out[gi, :len(PAIR_FEATURES)] = (
            p1.max(), p2.max(), c.max(), 1.0 - np.prod(1.0 - c), c[order[1]] if len(rs) > 1 else 0.0,
            p1.max() - p2.max(), (p1 * sup).sum() - (p2 * ~sup).sum(), sup.mean(), p1[order[0]] - p2[order[0]],
            sum(x > 0.1 for x in am), am.index(m), am[0] - m,
            sum(x > 0.1 for x in im), im.index(m), im[0] - m,
            sal.get(a, 0) / most, len(set(sents)) / n_sent, min(sents) / n_sent, *issue_ctx[i],
        )
        out[gi, len(PAIR_FEATURES):] = X[best, :n_scalars]
    return pairs, out, groups


def _issue_context(ac, keys, X: np.ndarray, n_sent: int) -> dict[str, tuple[float, ...]]:
    """Per issue, over the whole article: how close its best and average sentence come to it, and
    in what share of the sentences its words, its patterns and a rule claim on it appear."""
    from stancemap.extract.features import SCALARS

    cos, lex, rough, rule = (SCALARS.index(c) for c in _ISSUE_COLS)
    by_issue: dict[str, list[int]] = {}
    for r, (_pi, iid) in enumerate(keys):
        by_issue.setdefault(iid, []).append(r)
    out = {}
    for iid, rs in by_issue.items():
        ra = np.asarray(rs)
        sent = np.asarray([ac.pairs[keys[r][0]].sent for r in rs])
        per_sent = {}
        for j, sn in enumerate(sent):
            per_sent.setdefault(int(sn), ra[j])
        first = np.asarray(list(per_sent.values()))
        out[iid] = (float(X[ra, cos].max()), float(X[first, cos].mean()),
                    float((X[first, lex] > 0).sum()) / n_sent, float((X[first, rough] > 0).sum()) / n_sent,
                    len({int(sn) for sn, r in zip(sent, ra) if X[r, rule] > 0}) / n_sent)
    return out


def oppose_only(ac, keys, P: np.ndarray, targets: frozenset) -> np.ndarray:
    """``P`` with the rows of each (actor, issue) in ``targets`` (the actor is what the issue is
    done to: :mod:`stancemap.extract.targets`) taking the opposing side: their support
    probability moves to oppose, the chance of a claim stays."""
    if not targets:
        return P
    rows = [r for r, (pi, iid) in enumerate(keys) if (ac.pairs[pi].actor, iid) in targets]
    if not rows:
        return P
    P = P.copy()
    P[rows, 2] += P[rows, 1]
    P[rows, 1] = 0.0
    return P


def with_cue_sides(decider, keys, X: np.ndarray, P: np.ndarray) -> np.ndarray:
    """``P`` with the side of each row on an issue the model does not know split by its cue model
    (``decider.cue_sides``, :mod:`stancemap.extract.sides`; ``decider.fingerprints`` maps the
    codebook's issue ids to their fingerprints). Only which side a pair takes reads it: whether
    the pair holds a claim, and how sure the model is, are decided on the row scorer's own
    probabilities, as the stage was fitted. (A group stage whose own trees pick the side,
    ``sides="trees"``, does not read it; the built-in and newly trained models vote, "votes".)"""
    sides = getattr(decider, "cue_sides", None)
    if sides is None or not len(P):
        return P
    return sides.apply(P, X, [decider.fingerprints.get(iid, "") for _pi, iid in keys])


def pair_side(P: np.ndarray, rows: list[int], sides: str) -> tuple[int, int]:
    """(side, evidence row) of a pair from its rows' probabilities. ``sides`` "rows": the side of
    its most probable sentence, which is the evidence; "votes": the side with more probability
    over all its sentences (a pair said three times one way and once the other is that way), its
    evidence the sentence most probably saying so. Held out, the votes pick the gold side of
    more pairs (0.833 -> 0.846 of those found, cross-validated)."""
    rows_a = np.asarray(rows)
    if sides == "votes":
        col = 1 if P[rows_a, 1].sum() >= P[rows_a, 2].sum() else 2
        return col, _best_row(P, rows, col)
    r = int(rows_a[np.argmin(P[rows_a, 0])])  # the likeliest claim: the least "none"
    return (1 if P[r, 1] >= P[r, 2] else 2), r


def _best_row(P: np.ndarray, rows: list[int], col: int) -> int:
    rows_a = np.asarray(rows)
    return int(rows_a[np.argmax(P[rows_a, col])])


class GroupDecider:
    """Trees over pair features; ``calibration`` maps their probability to the chance of being right.

    ``sides``: "trees", three-way trees (none, support, oppose) choose the side too; "rows",
    two-way trees say whether the pair holds a claim, and its most probable sentence says
    which side (the sentence-level choice, where the rules' sign speaks, transfers better to a
    new topic than a side learned from whole articles); "votes", the same trees, and the side
    its sentences give the more probability (:func:`pair_side`).
    """

    kind = "groups"

    def __init__(self, trees, n_scalars: int, calibration: dict | None, threshold: float, sides: str = "trees",
                 mix: float = 1.0):
        self.trees, self.n_scalars, self.sides, self.mix = trees, n_scalars, sides, mix
        self.calibration, self.threshold = calibration, threshold
        self.targets: frozenset = frozenset()  # (actor, issue) whose claims oppose: oppose_only
        self.cue_sides = None  # stancemap.extract.sides.CueSides: the side on issues the model does not know
        self.fingerprints: dict[str, str] = {}  # issue id -> fingerprint (extract/sides.py)

    def probabilities(self, F: np.ndarray) -> np.ndarray:
        """(none, support, oppose) per pair; with ``sides="rows"``, (no claim, claim, 0)."""
        if self.sides == "trees":
            return self.trees.predict_proba(F)
        p = 1.0 / (1.0 + np.exp(-self.trees.raw(F)[:, 0]))
        return np.stack([1.0 - p, p, np.zeros_like(p)], axis=1)

    def raw(self, ac, keys, X: np.ndarray, P: np.ndarray) -> list[Decision]:
        """Every pair's most likely side with its raw probability (no threshold)."""
        mixed = with_cue_sides(self, keys, X, P)
        S = None if mixed is P else oppose_only(ac, keys, mixed, self.targets)  # which side, if the cues have a say
        P = oppose_only(ac, keys, P, self.targets)  # whether a pair is a claim, and how sure
        S = P if S is None else S
        pairs, F, groups = group_features(ac, keys, X, P, self.n_scalars)
        if not pairs:
            return []
        Q = self.probabilities(F)
        out = []
        for g, q in zip(pairs, Q):
            if self.sides == "trees":
                col = 2 if g in self.targets or q[2] > q[1] else 1
                p = q[1] + q[2] if g in self.targets else q[col]
                out.append(Decision(g[0], g[1], col, float(p), _best_row(P, groups[g], col)))
            else:
                col, r = pair_side(P, groups[g], self.sides)
                if col == 1 and g in self.targets:  # a tie at no probability at all is not support either
                    col, r = 2, _best_row(P, groups[g], 2)
                conf = float(self.mix * q[1] + (1.0 - self.mix) * P[r, col])  # whether it is a claim
                if S is not P:  # which side: the cues have a say on issues the model does not know
                    col, r = pair_side(S, groups[g], self.sides)
                    if col == 1 and g in self.targets:
                        col, r = 2, _best_row(S, groups[g], 2)
                out.append(Decision(g[0], g[1], col, conf, r))
        return out

    def decide(self, ac, keys, X: np.ndarray, P: np.ndarray) -> list[tuple[Decision, float]]:
        """The decisions that reach the threshold, each with its calibrated confidence."""
        return keep(self.raw(ac, keys, X, P), self.calibration, self.threshold)


class BestRowDecider:
    """A claim per (actor, issue, stance) from its most probable sentence (a sentence takes one side)."""

    kind = "rows"

    def __init__(self, calibration: dict | None, threshold: float):
        self.calibration, self.threshold = calibration, threshold
        self.targets: frozenset = frozenset()
        self.cue_sides = None
        self.fingerprints: dict[str, str] = {}

    def raw(self, ac, keys, X: np.ndarray, P: np.ndarray) -> list[Decision]:
        """The claims come from the rows' own probabilities; on an issue the model does not know,
        each then takes the side its row has after the cues' say (``with_cue_sides``), and where
        both of a pair's claims end on one side the more confident stays."""
        mixed = with_cue_sides(self, keys, X, P)
        P = oppose_only(ac, keys, P, self.targets)
        S = P if mixed is P else oppose_only(ac, keys, mixed, self.targets)
        best: dict[tuple[str, str, int], tuple[float, int]] = {}
        for r, (pi, iid) in enumerate(keys):
            col = 2 if P[r, 2] > P[r, 1] or (ac.pairs[pi].actor, iid) in self.targets else 1
            k = (ac.pairs[pi].actor, iid, col)
            if k not in best or P[r, col] > best[k][0]:
                best[k] = (float(P[r, col]), r)
        out = [Decision(a, i, col, p, r) for (a, i, col), (p, r) in best.items()]
        if S is P:
            return out
        sided: dict[tuple[str, str, int], Decision] = {}
        for d in out:
            pi, iid = keys[d.row]
            col = 2 if S[d.row, 2] > S[d.row, 1] or (ac.pairs[pi].actor, iid) in self.targets else 1
            k = (d.actor, d.issue, col)
            if k not in sided or d.raw > sided[k].raw:
                sided[k] = Decision(d.actor, d.issue, col, d.raw, d.row)
        return list(sided.values())

    def decide(self, ac, keys, X: np.ndarray, P: np.ndarray) -> list[tuple[Decision, float]]:
        return keep(self.raw(ac, keys, X, P), self.calibration, self.threshold)


def keep(decisions: list[Decision], calibration: dict | None, threshold: float) -> list[tuple[Decision, float]]:
    if not decisions:
        return []
    conf = np.array([d.raw for d in decisions])
    if calibration:
        conf = np.interp(conf, calibration["x"], calibration["y"])
    return [(d, float(c)) for d, c in zip(decisions, conf) if c >= threshold]


def load_decider(model_dir: Path, meta: dict):
    """The folder's decider: the group stage if it has one (``meta["decider"]``), else the best row."""
    from stancemap.errors import ModelMissing
    from stancemap.extract.scorers import TreeScorer

    spec = meta.get("decider")
    if not spec:
        return BestRowDecider(meta.get("calibration"), float(meta.get("threshold", 0.5)))
    path = Path(model_dir) / "decide.npz"
    try:
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        raise ModelMissing(f"{path}: cannot read the model's group stage ({e})") from e
    return GroupDecider(TreeScorer(arrays), int(spec["n_scalars"]), meta.get("calibration"),
                        float(meta.get("threshold", 0.5)), spec.get("sides", "trees"), float(spec.get("mix", 1.0)))

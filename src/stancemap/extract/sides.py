"""Which side a claim takes on an issue the model never trained on: half the vote to the cues.

The stance trees read every scalar of a claim row, and on the issues they trained on that is
their strength: how a ceasefire or a hostage deal is usually argued about is worth 0.02-0.04 of
stance accuracy held out within the Gaza news. On an issue they never saw, the same reading is a
prior from other issues: trained on Gaza and met with the US 2016 campaign, they called 45 of
the 52 US oppose pairs they found support (benchmarks/README.md, fourteenth session).

So a second, deliberately simple model is fitted beside the trees: a logistic regression over
``CUE_SCALARS``, the features that read the sentence's own stance words (the rules' sign, the
nearest stance word before the issue, the actor's own cue, negations, counts of support and
oppose words), none of them the issue's topic. For a row whose issue had fewer than
``MIN_SEEN`` claim rows in the model's training data, P(oppose | claim) becomes the mean of the
trees' and the cues' (``MIX``); the chance of a claim is left as the trees said. Issues are
known by their text (``issue_fingerprint``), so a renamed codebook with the same issues is
still known, and a user's new codebook is not until the model is trained on it.

Held out on the claim rows (``benchmarks/stance_rows.py``), the mix at 0.5 against the trees
alone: leaving issues out 0.789 -> 0.799, Gaza -> US 2016 0.717 -> 0.733, US 2016 -> Gaza
0.696 -> 0.753; on issues the trees trained on it would cost (5-fold 0.875 -> 0.853), which is
why it is used only where they did not.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

CUE_SCALARS = ("rule_sign", "rule_conf", "rule_explicit", "matched_sign", "local_sign", "local_dist", "local_neg",
               "actor_cue_sign", "n_support_words", "n_oppose_words", "n_neg", "n_modal", "n_against",
               "against_near", "quote", "iss_before", "iss_between")
MIX = 0.5        # the cues' share of P(oppose | claim) on an issue the model never trained on
MIN_SEEN = 3     # claim rows an issue needs in the training data to count as known
ARRAYS = ("cue_mean", "cue_scale", "cue_coef", "cue_intercept", "cue_cols", "cue_mix", "seen_issues")


def issue_fingerprint(label: str, description: str | None) -> str:
    """An issue as the model knows it: its label and description, case and spacing aside."""
    text = re.sub(r"\s+", " ", f"{label}\n{description or ''}".lower()).strip()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def codebook_fingerprints(codebook) -> dict[str, str]:
    """Issue id -> fingerprint for a codebook."""
    return {i.id: issue_fingerprint(i.label, i.description) for i in codebook.issues}


class CueSides:
    """The cue model and the issues the model knows (from a weights file's ``cue_*`` arrays)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.cols = arrays["cue_cols"].astype(np.int64)
        self.mean = arrays["cue_mean"].astype(np.float64)
        self.scale = arrays["cue_scale"].astype(np.float64)
        self.coef = arrays["cue_coef"].astype(np.float64)
        self.intercept = float(arrays["cue_intercept"])
        self.mix = float(arrays["cue_mix"])
        self.seen = frozenset(str(s) for s in arrays["seen_issues"].tolist())

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "CueSides | None":
        return cls(arrays) if all(k in arrays for k in ARRAYS) else None

    def oppose(self, X: np.ndarray) -> np.ndarray:
        """P(oppose | claim) from the cues alone."""
        Z = (np.nan_to_num(X[:, self.cols].astype(np.float64)) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(Z @ self.coef + self.intercept)))

    def apply(self, P: np.ndarray, X: np.ndarray, fingerprints) -> np.ndarray:
        """``P`` (none, support, oppose per row) with the side of each row whose issue
        (``fingerprints``, one per row) the model does not know split by the mix."""
        unseen = np.fromiter((f not in self.seen for f in fingerprints), dtype=bool, count=len(P))
        rows = np.nonzero(unseen & (P[:, 0] < 1.0))[0]
        if not len(rows):
            return P
        P = P.copy()
        claim = P[rows, 1] + P[rows, 2]
        tree = np.divide(P[rows, 2], claim, out=np.full(len(rows), 0.5), where=claim > 0)
        opp = (1.0 - self.mix) * tree + self.mix * self.oppose(X[rows])
        P[rows, 2] = claim * opp
        P[rows, 1] = claim - P[rows, 2]
        return P



def load_sides(path) -> CueSides | None:
    """The cue model of a weights file, or None for a model trained before it existed (its
    claims stay as they were)."""
    with np.load(path) as z:
        if not all(k in z.files for k in ARRAYS):
            return None
        return CueSides({k: z[k] for k in ARRAYS})

"""The divergence index of two actors, and its bootstrap interval computed from counts.

divergence = mean over the issues both address of |net_A - net_B| / 2, in [0, 1]:
0 when they hold the same net position on every shared issue, 1 when one fully supports
what the other fully opposes on every shared issue. ``None`` when they share no issue.

The interval resamples each actor's stories on each shared issue (a stratified bootstrap
of the claims): the number of supporting stories out of n is Binomial(n, support / n), and
each side keeps its mean confidence. This needs only the counts, not the claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stancemap.analyze.positions import Position


@dataclass(frozen=True, slots=True)
class Divergence:
    """The index, its bootstrap interval (2.5%-97.5%) and the basis behind it."""

    value: float | None
    low: float | None
    high: float | None
    n_issues: int
    n_claims: int
    by_issue: Mapping[str, float]


def shared_issues(pa: Mapping[str, Position], pb: Mapping[str, Position]) -> list[str]:
    return sorted(set(pa) & set(pb))


def issue_divergence(a: Position, b: Position) -> float:
    return abs(a.net - b.net) / 2


def _arrays(ps: Sequence[Position]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per issue: stories n, P(support), mean confidence of support and of oppose stories."""
    n = np.array([p.support + p.oppose for p in ps], dtype=np.int64)
    p = np.array([p.support / max(p.support + p.oppose, 1) for p in ps])
    cs = np.array([p.support_w / p.support if p.support else 0.0 for p in ps])
    co = np.array([p.oppose_w / p.oppose if p.oppose else 0.0 for p in ps])
    return n, p, cs, co


def _resampled_nets(ps: Sequence[Position], rng: np.random.Generator, resamples: int) -> np.ndarray:
    n, p, cs, co = _arrays(ps)
    k = rng.binomial(n, p, size=(resamples, len(ps)))
    s, o = k * cs, (n - k) * co
    den = s + o
    by_count = (2 * k - n) / np.maximum(n, 1)
    return np.where(den > 0, (s - o) / np.where(den > 0, den, 1), by_count)


def divergence(pa: Mapping[str, Position], pb: Mapping[str, Position], *, resamples: int = 1000,
               seed: int = 0) -> Divergence:
    """The divergence of A's positions ``pa`` and B's ``pb`` (each keyed by issue)."""
    issues = shared_issues(pa, pb)
    n_claims = sum(pa[i].n_claims + pb[i].n_claims for i in issues)
    if not issues:
        return Divergence(None, None, None, 0, 0, {})
    by_issue = {i: issue_divergence(pa[i], pb[i]) for i in issues}
    value = float(np.mean(list(by_issue.values())))
    low = high = value
    if resamples > 0:
        rng = np.random.default_rng(seed)
        na = _resampled_nets([pa[i] for i in issues], rng, resamples)
        nb = _resampled_nets([pb[i] for i in issues], rng, resamples)
        reps = (np.abs(na - nb) / 2).mean(axis=1)
        low, high = (float(x) for x in np.percentile(reps, [2.5, 97.5]))
    return Divergence(value, low, high, len(issues), n_claims, by_issue)

"""Compare two actors: where they agree, where they disagree, what only one of them addresses.

An actor's stance on an issue is the label of its net position (``support``, ``oppose``,
``mixed`` at net == 0; see :mod:`stancemap.analyze.positions`). Two actors *agree* on an
issue when their labels are equal (two ``mixed`` actors agree on being split), and
*disagree* otherwise. Each item carries the strongest quotes behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel

from stancemap.analyze.cells import Basis, Evidence, as_basis
from stancemap.analyze.divergence import divergence
from stancemap.analyze.positions import Position, positions_from_cells


class Agreement(BaseModel):
    issue: str
    stance: str
    evidence: list[Evidence]


class Disagreement(BaseModel):
    issue: str
    a_stance: str
    b_stance: str
    evidence: list[Evidence]


class OneSided(BaseModel):
    issue: str
    stance: str
    evidence: list[Evidence]


class IssuePositions(BaseModel):
    """Both actors' numbers on one issue (``None`` for the side that said nothing)."""

    issue: str
    a_net: float | None
    b_net: float | None
    a_stories: int
    b_stories: int
    divergence: float | None


class Comparison(BaseModel):
    """The JSON of ``stancemap compare``: the shape of issue 2, plus issue 5's index and basis."""

    a: str
    b: str
    agree: list[Agreement]
    disagree: list[Disagreement]
    only_a: list[OneSided]
    only_b: list[OneSided]
    divergence: float | None
    low: float | None
    high: float | None
    n_issues: int
    n_claims: int
    n_claims_a: int
    n_claims_b: int
    since: dt.date | None = None
    until: dt.date | None = None
    positions: list[IssuePositions]
    labels: dict[str, str]


def _quotes(evidence: Sequence[Evidence], actor: str, issue: str, stance: str, per_actor: int) -> list[Evidence]:
    stances = ("support", "oppose") if stance == "mixed" else (stance,)
    picked = [e for e in evidence if e.actor == actor and e.issue == issue and e.stance in stances]
    return picked[:per_actor]


def _by_issue(pos: dict[tuple[str, str], Position], actor: str) -> dict[str, Position]:
    return {i: p for (a, i), p in pos.items() if a == actor}


def _order(issues, pa, pb) -> list[str]:
    size = lambda i: (pa[i].stories if i in pa else 0) + (pb[i].stories if i in pb else 0)  # noqa: E731
    return sorted(issues, key=lambda i: (-size(i), i))


def _issue_row(issue: str, pa: dict, pb: dict, by_issue: dict) -> IssuePositions:
    a, b = pa.get(issue), pb.get(issue)
    return IssuePositions(issue=issue, a_net=a.net if a else None, b_net=b.net if b else None,
                          a_stories=a.stories if a else 0, b_stories=b.stories if b else 0,
                          divergence=by_issue.get(issue))


def compare(data: Basis | Sequence, a: str, b: str, *, since: dt.date | None = None,
            until: dt.date | None = None, per_actor: int = 3, resamples: int = 1000,
            seed: int = 0) -> Comparison:
    """Compare actors ``a`` and ``b`` over ``data`` (a Basis or a list of claims)."""
    basis = as_basis(data, since=since, until=until, actors=[a, b])
    pos = positions_from_cells(c for c in basis.cells if c.actor in (a, b))
    pa, pb = _by_issue(pos, a), _by_issue(pos, b)
    ev = basis.evidence
    agree, disagree, only_a, only_b = [], [], [], []
    for issue in _order(set(pa) | set(pb), pa, pb):
        if issue in pa and issue in pb:
            sa, sb = pa[issue].stance, pb[issue].stance
            quotes = _quotes(ev, a, issue, sa, per_actor) + _quotes(ev, b, issue, sb, per_actor)
            if sa == sb:
                agree.append(Agreement(issue=issue, stance=sa, evidence=quotes))
            else:
                disagree.append(Disagreement(issue=issue, a_stance=sa, b_stance=sb, evidence=quotes))
        elif issue in pa:
            only_a.append(OneSided(issue=issue, stance=pa[issue].stance,
                                   evidence=_quotes(ev, a, issue, pa[issue].stance, per_actor)))
        else:
            only_b.append(OneSided(issue=issue, stance=pb[issue].stance,
                                   evidence=_quotes(ev, b, issue, pb[issue].stance, per_actor)))
    d = divergence(pa, pb, resamples=resamples, seed=seed)
    rows = [_issue_row(i, pa, pb, d.by_issue) for i in _order(set(pa) | set(pb), pa, pb)]
    return Comparison(
        a=a, b=b, agree=agree, disagree=disagree, only_a=only_a, only_b=only_b,
        divergence=d.value, low=d.low, high=d.high, n_issues=d.n_issues, n_claims=d.n_claims,
        n_claims_a=sum(p.n_claims for p in pa.values()), n_claims_b=sum(p.n_claims for p in pb.values()),
        since=since, until=until, positions=rows,
        labels={i: basis.labels.get(i, i) for i in sorted(set(pa) | set(pb))},
    )

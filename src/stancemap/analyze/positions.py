"""An actor's position on an issue, and the actors-by-issues matrix.

Net score, in [-1, 1]::

    S = distinct supporting stories x their mean confidence
    O = distinct opposing stories  x their mean confidence
    net = (S - O) / (S + O)

A story reprinted by several outlets (the same evidence text) counts once. The stance
label is ``support`` when net > 0, ``oppose`` when net < 0 and ``mixed`` when net == 0
(the actor said both, with equal weight).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from stancemap.analyze.cells import Basis, Cell, as_basis

StanceLabel = Literal["support", "oppose", "mixed"]


@dataclass(frozen=True, slots=True)
class Position:
    """One actor's net position on one issue."""

    actor: str
    issue: str
    support: int
    oppose: int
    n_claims: int
    support_w: float
    oppose_w: float

    @property
    def net(self) -> float:
        return net_score(self.support_w, self.oppose_w, self.support, self.oppose)

    @property
    def stance(self) -> StanceLabel:
        return stance_label(self.net)

    @property
    def stories(self) -> int:
        return self.support + self.oppose


def net_score(support_w: float, oppose_w: float, support: int = 0, oppose: int = 0) -> float:
    """(S - O) / (S + O); by counts when every claim has zero confidence; 0 with nothing."""
    if support_w + oppose_w > 0:
        return (support_w - oppose_w) / (support_w + oppose_w)
    if support + oppose > 0:
        return (support - oppose) / (support + oppose)
    return 0.0


def stance_label(net: float, eps: float = 1e-9) -> StanceLabel:
    """``support`` above zero, ``oppose`` below, ``mixed`` at zero."""
    if net > eps:
        return "support"
    if net < -eps:
        return "oppose"
    return "mixed"


def positions_from_cells(cells: Iterable[Cell]) -> dict[tuple[str, str], Position]:
    """Fold cells (any buckets) into one position per (actor, issue)."""
    acc: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, 0, 0.0, 0.0])
    for c in cells:
        slot = acc[(c.actor, c.issue)]
        k = 0 if c.stance == "support" else 1
        slot[k] += c.n_distinct
        slot[2] += c.n_claims
        slot[3 + k] += c.weight
    return {key: Position(key[0], key[1], s, o, n, sw, ow) for key, (s, o, n, sw, ow) in sorted(acc.items())}


def positions(data: Basis | Sequence, *, actors: Sequence[str] | None = None,
              issues: Sequence[str] | None = None) -> list[Position]:
    """Every (actor, issue) position in ``data`` (a Basis or a list of claims), sorted."""
    basis = as_basis(data)
    pos = positions_from_cells(basis.cells)
    return [p for (a, i), p in pos.items() if (not actors or a in actors) and (not issues or i in issues)]


def matrix(data: Basis | Sequence, *, actors: Sequence[str] | None = None,
           issues: Sequence[str] | None = None, value: Literal["net", "stories"] = "net") -> pd.DataFrame:
    """Actors (rows) by issues (columns): net positions (NaN where the actor said nothing)."""
    rows = positions(data, actors=actors, issues=issues)
    frame = pd.DataFrame(
        [(p.actor, p.issue, p.net if value == "net" else p.stories) for p in rows],
        columns=["actor", "issue", value],
    )
    table = frame.pivot(index="actor", columns="issue", values=value) if len(frame) else pd.DataFrame()
    if actors:
        table = table.reindex(index=[a for a in actors if a in table.index])
    if issues:
        table = table.reindex(columns=[i for i in issues if i in table.columns])
    table.index.name, table.columns.name = "actor", "issue"
    return table

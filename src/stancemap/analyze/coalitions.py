"""Coalitions: groups of actors that stand together, per window, and the issues that bind and split them.

Groups are communities (Louvain, seeded) of the positive part of the subtract network
(congruence minus conflict, Jaccard-normalised): actors who share more stances than they
oppose. An actor with no positive tie stands alone. A group's stance on an issue is the
sign of its members' summed net positions.

- *binds*: issues on which at least two members hold the same stance and none the opposite;
- *splits*: issues on which the group's stance is the opposite of another group's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import networkx as nx
from pydantic import BaseModel

from stancemap.analyze.cells import Basis, Cell, as_basis
from stancemap.analyze.networks import actor_network
from stancemap.analyze.positions import Position, positions_from_cells, stance_label
from stancemap.analyze.windows import Span, parse_span, windows


class Bind(BaseModel):
    issue: str
    stance: str
    actors: list[str]


class Split(BaseModel):
    issue: str
    stance: str
    other: list[str]
    other_stance: str


class Group(BaseModel):
    actors: list[str]
    binds: list[Bind]
    splits: list[Split]


class CoalitionWindow(BaseModel):
    start: dt.date | None
    end: dt.date | None
    claims: int
    groups: list[Group]


class Coalitions(BaseModel):
    window: str | None
    windows: list[CoalitionWindow]


def communities(g: nx.Graph, *, seed: int = 0) -> list[list[str]]:
    """Louvain communities of the positive edges; isolated actors as groups of one."""
    pos = nx.Graph()
    pos.add_nodes_from(g.nodes)
    pos.add_edges_from((u, v, {"weight": d["weight"]}) for u, v, d in g.edges(data=True) if d["weight"] > 0)
    groups = nx.community.louvain_communities(pos, weight="weight", seed=seed) if pos.number_of_edges() else [
        {n} for n in pos.nodes]
    return sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c))


def group_stance(members: Sequence[str], pos: dict[tuple[str, str], Position], issue: str) -> str | None:
    nets = [pos[(m, issue)].net for m in members if (m, issue) in pos]
    return stance_label(sum(nets)) if nets else None


def binds(members: Sequence[str], pos: dict[tuple[str, str], Position]) -> list[Bind]:
    out = []
    for issue in sorted({i for (a, i) in pos if a in members}):
        by = {m: pos[(m, issue)].stance for m in members if (m, issue) in pos}
        for stance in ("support", "oppose"):
            holders = sorted(m for m, s in by.items() if s == stance)
            if len(holders) >= 2 and all(s in (stance, "mixed") for s in by.values()):
                out.append(Bind(issue=issue, stance=stance, actors=holders))
    return out


def splits(members: Sequence[str], others: Sequence[Sequence[str]], pos: dict[tuple[str, str], Position]) -> list[Split]:
    out = []
    for other in others:
        for issue in sorted({i for (a, i) in pos if a in members}):
            mine, theirs = group_stance(members, pos, issue), group_stance(other, pos, issue)
            if mine in ("support", "oppose") and theirs in ("support", "oppose") and mine != theirs:
                out.append(Split(issue=issue, stance=mine, other=list(other), other_stance=theirs))
    return out


def _groups(cells: Sequence[Cell], seed: int) -> list[Group]:
    g = actor_network(Basis(cells=tuple(cells)), kind="subtract", normalization="jaccard")
    pos = positions_from_cells(cells)
    found = communities(g, seed=seed)
    return [Group(actors=m, binds=binds(m, pos), splits=splits(m, [o for o in found if o != m], pos)) for m in found]


def coalitions(data: Basis | Sequence, *, window: Span | str | None = None, since: dt.date | None = None,
               until: dt.date | None = None, seed: int = 0) -> Coalitions:
    """Coalitions over the whole period, or per window (cells must then be bucketed by day)."""
    basis = as_basis(data, since=since, until=until, bucket=(lambda d: d) if window else None)
    if window is None:
        cells = list(basis.cells)
        return Coalitions(window=None, windows=[CoalitionWindow(start=since, end=until, claims=_n(cells),
                                                                groups=_groups(cells, seed))])
    length = parse_span(window) if isinstance(window, str | int) else window
    dated = [c for c in basis.cells if c.bucket is not None]
    if not dated:
        return Coalitions(window=str(length), windows=[])
    first, last = since or min(c.bucket for c in dated), until or max(c.bucket for c in dated)
    out = []
    for s, e in windows(first, last, length=length):
        cells = [c for c in dated if s <= c.bucket <= e]
        if cells:
            out.append(CoalitionWindow(start=s, end=e, claims=_n(cells), groups=_groups(cells, seed)))
    return Coalitions(window=str(length), windows=out)


def _n(cells: Sequence[Cell]) -> int:
    return sum(c.n_claims for c in cells)

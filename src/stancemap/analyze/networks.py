"""Discourse networks with the semantics of Leifeld's Discourse Network Analyzer (DNA).

An actor *holds* an (issue, stance) pair when it made at least one claim with it (DNA's
"ignore duplicate statements"). One-mode actor networks:

- ``congruence``: edge weight = number of (issue, stance) pairs both actors hold;
- ``conflict``: number of (issue, stance_i, stance_j) with stance_i != stance_j held by i and j;
- ``subtract``: congruence minus conflict (each normalised first); negative edges kept.

Normalisation of a weight w_ij, with n_i = the number of pairs actor i holds:
``jaccard`` w / (n_i + n_j - w); ``cosine`` w / sqrt(n_i * n_j); ``none`` leaves counts.

Two-mode ``affiliation`` network: actors and issues, an edge where an actor speaks on an
issue, with ``stance`` (support | oppose | mixed), ``net`` and ``weight`` (stories).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import networkx as nx

from stancemap.analyze.cells import Basis, Cell, as_basis
from stancemap.analyze.positions import positions_from_cells

NetworkType = Literal["congruence", "conflict", "subtract", "affiliation"]
Normalization = Literal["none", "jaccard", "cosine"]


def holdings(cells: Iterable[Cell]) -> dict[str, set[tuple[str, str]]]:
    """The (issue, stance) pairs each actor holds."""
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for c in cells:
        if c.n_claims > 0:
            held[c.actor].add((c.issue, c.stance))
    return dict(held)


def _opposite(s: str) -> str:
    return "oppose" if s == "support" else "support"


def congruence_count(hi: set, hj: set) -> int:
    return len(hi & hj)


def conflict_count(hi: set, hj: set) -> int:
    return sum(1 for issue, stance in hi if (issue, _opposite(stance)) in hj)


def normalize(w: float, ni: int, nj: int, how: Normalization) -> float:
    """Scale a raw count by the two actors' activity (DNA's Jaccard and cosine)."""
    if how == "none" or w == 0:
        return float(w)
    if how == "jaccard":
        den = ni + nj - w
        return w / den if den > 0 else 0.0
    return w / math.sqrt(ni * nj) if ni and nj else 0.0


def _weight(kind: NetworkType, hi: set, hj: set, how: Normalization) -> float:
    ni, nj = len(hi), len(hj)
    con = normalize(congruence_count(hi, hj), ni, nj, how) if kind != "conflict" else 0.0
    dis = normalize(conflict_count(hi, hj), ni, nj, how) if kind != "congruence" else 0.0
    return con - dis if kind == "subtract" else con + dis


def _edge_issues(kind: NetworkType, hi: set, hj: set) -> str:
    same = sorted({i for i, _ in hi & hj})
    opposed = sorted({i for i, s in hi if (i, _opposite(s)) in hj})
    chosen = {"congruence": same, "conflict": opposed}.get(kind, sorted(set(same) | set(opposed)))
    return ";".join(chosen)


def actor_network(data: Basis | Sequence, *, kind: Literal["congruence", "conflict", "subtract"] = "congruence",
                  normalization: Normalization = "none", actors: Sequence[str] | None = None) -> nx.Graph:
    """A one-mode actor network; edges with weight 0 are left out. Node attribute ``claims``."""
    basis = as_basis(data)
    held = holdings(c for c in basis.cells if not actors or c.actor in actors)
    n_claims: Mapping[str, int] = _claims_per_actor(basis.cells)
    g = nx.Graph(type=kind, normalization=normalization)
    for a in sorted(held):
        g.add_node(a, label=a, kind="actor", claims=n_claims.get(a, 0), pairs=len(held[a]))
    for a, b in itertools.combinations(sorted(held), 2):
        w = _weight(kind, held[a], held[b], normalization)
        if w != 0:
            g.add_edge(a, b, weight=float(w), issues=_edge_issues(kind, held[a], held[b]))
    return g


def _claims_per_actor(cells: Iterable[Cell]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for c in cells:
        out[c.actor] += c.n_claims
    return out


def affiliation_network(data: Basis | Sequence, *, actors: Sequence[str] | None = None) -> nx.Graph:
    """The two-mode actor-issue network: ``bipartite`` 0 for actors, 1 for issues."""
    basis = as_basis(data)
    g = nx.Graph(type="affiliation")
    for (actor, issue), p in positions_from_cells(basis.cells).items():
        if actors and actor not in actors:
            continue
        g.add_node(actor, label=actor, kind="actor", bipartite=0)
        g.add_node(f"issue:{issue}", label=basis.labels.get(issue, issue), kind="issue", bipartite=1)
        g.add_edge(actor, f"issue:{issue}", stance=p.stance, net=float(p.net), weight=float(p.stories),
                   support=p.support, oppose=p.oppose)
    return g


def network(data: Basis | Sequence, *, kind: NetworkType = "congruence", normalization: Normalization = "none",
            actors: Sequence[str] | None = None) -> nx.Graph:
    """Any of the four networks (see the module's docstring)."""
    if kind == "affiliation":
        return affiliation_network(data, actors=actors)
    return actor_network(data, kind=kind, normalization=normalization, actors=actors)

"""Glue between the store and the pure analyses: count in SQL, then analyse the counts.

The faces (CLI, web) call these functions; each reads what it needs with the aggregation
queries of :mod:`stancemap.report.queries` and hands a :class:`~stancemap.analyze.cells.Basis`
to a pure function of :mod:`stancemap.analyze`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from stancemap.analyze.cells import Basis
from stancemap.analyze.coalitions import Coalitions, coalitions
from stancemap.analyze.compare import Comparison, compare
from stancemap.analyze.networks import NetworkType, Normalization, network
from stancemap.analyze.positions import matrix
from stancemap.analyze.timeline import Timeline, attach_claims, change_window, spans_of, timeline, timeline_of_cells
from stancemap.analyze.window_cells import span_bounds
from stancemap.analyze.windows import windows
from stancemap.errors import StoreError, UnknownActor
from stancemap.model import Codebook
from stancemap.report.brief import Brief, build_brief
from stancemap.report import queries as q
from stancemap.store.db import Store


@dataclass(frozen=True)
class Scope:
    """What an analysis reads: a codebook (fingerprint), and a period."""

    codebook: str
    book: Codebook | None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def labels(self) -> dict[str, str]:
        return {i.id: i.label for i in self.book.issues} if self.book else {}

    def actor_name(self, actor: str) -> str:
        found = self.book.actor(actor) if self.book else None
        return found.name if found else actor


def scope(store: Store, codebook_id: str | None = None, *, since: dt.date | None = None,
          until: dt.date | None = None) -> Scope:
    """The codebook given, or the one last extracted with; an error when there is none."""
    fp = codebook_id or store.latest_codebook()
    if not fp:
        raise StoreError("no claims to analyse yet: run `stancemap extract` first")
    return Scope(fp, store.codebook(fp), since, until)


def check_actors(store: Store, sc: Scope, actors: Sequence[str]) -> None:
    """Raise :class:`UnknownActor`, listing the known actors, for an actor with no claims and no entry."""
    known_ids = {a.id for a in sc.book.actors} if sc.book else set()
    for actor in actors:
        if actor not in known_ids and not q.has_actor(store, actor, codebook=sc.codebook):
            known = sorted(known_ids | set(q.actors_with_claims(store, codebook=sc.codebook)))
            raise UnknownActor(f"unknown actor {actor!r}; known actors: {', '.join(known) or '(none)'}")


def load_basis(store: Store, sc: Scope, *, actors: Sequence[str] | None = None,
               issues: Sequence[str] | None = None, bucket: q.Bucket = None, per_cell: int = 0,
               articles: bool = False) -> Basis:
    """Counted cells (and, with ``per_cell``, the strongest quotes) for the scope."""
    f = dict(codebook=sc.codebook, actors=actors, issues=issues, since=sc.since, until=sc.until)
    cells = q.stance_counts(store, bucket=bucket, **f)
    evidence = q.top_evidence(store, per_cell=per_cell, **f) if per_cell else []
    n_articles = q.count_articles(store, **f) if articles else None
    return Basis(cells=tuple(cells), evidence=tuple(evidence), n_articles=n_articles, labels=sc.labels)


def compare_from_store(store: Store, a: str, b: str, *, codebook_id: str | None = None,
                       since: dt.date | None = None, until: dt.date | None = None, per_actor: int = 3) -> Comparison:
    """``compare`` over the store: counts and the top quotes of the two actors, read in SQL."""
    sc = scope(store, codebook_id, since=since, until=until)
    check_actors(store, sc, [a, b])
    basis = load_basis(store, sc, actors=[a, b], per_cell=per_actor)
    return compare(basis, a, b, since=since, until=until, per_actor=per_actor)


def matrix_from_store(store: Store, *, codebook_id: str | None = None, actors: Sequence[str] | None = None,
                      issues: Sequence[str] | None = None, since: dt.date | None = None,
                      until: dt.date | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Actors by issues net positions, and the issues' labels."""
    sc = scope(store, codebook_id, since=since, until=until)
    if actors:
        check_actors(store, sc, actors)
    basis = load_basis(store, sc, actors=actors, issues=issues)
    return matrix(basis, actors=actors, issues=issues), sc.labels


def timeline_from_store(store: Store, a: str, b: str, *, codebook_id: str | None = None,
                        window: str = "month", step: str | None = None, since: dt.date | None = None,
                        until: dt.date | None = None, penalty: float | None = None) -> Timeline:
    """Divergence per window, from day counts summed per span of days in SQL (a few hundred rows);
    change points get their quotes in a second, small query.

    The same answer as :func:`timeline` over the day cells (:func:`timeline_by_day`): the
    windows' positions add up the same per-day figures, only in SQL.
    """
    length, stride = spans_of(window, step)
    sc = scope(store, codebook_id, since=since, until=until)
    check_actors(store, sc, [a, b])
    f = dict(codebook=sc.codebook, actors=[a, b], issues=None, since=since, until=until)
    days = q.day_range(store, **f)
    wins = list(windows(since or days[0], until or days[1], length=length, step=stride)) if days else []
    spans = q.span_counts(store, bounds=span_bounds(wins), **f)
    tl = timeline_of_cells(spans, wins, a, b, window=length, step=stride, penalty=penalty)
    return _with_quotes(store, sc, tl)


def timeline_by_day(store: Store, a: str, b: str, *, codebook_id: str | None = None,
                    window: str = "month", step: str | None = None, since: dt.date | None = None,
                    until: dt.date | None = None, penalty: float | None = None) -> Timeline:
    """:func:`timeline_from_store` the slow way: every day's cells read, then folded in Python (the reference)."""
    sc = scope(store, codebook_id, since=since, until=until)
    check_actors(store, sc, [a, b])
    basis = load_basis(store, sc, actors=[a, b], bucket="day")
    tl = timeline(basis, a, b, window=window, step=step, since=since, until=until, penalty=penalty)
    return _with_quotes(store, sc, tl)


def _with_quotes(store: Store, sc: Scope, tl: Timeline) -> Timeline:
    """The change points' quotes: A's and B's on the driving issues, in the window just after each."""
    evidence = []
    for cp in tl.change_points:
        start, end = change_window(tl, cp)
        if cp.issues:
            evidence += q.top_evidence(store, codebook=sc.codebook, actors=[tl.a, tl.b], issues=cp.issues,
                                       since=start, until=end, per_cell=2)
    return attach_claims(tl, evidence)


def network_from_store(store: Store, *, codebook_id: str | None = None, kind: NetworkType = "congruence",
                       normalization: Normalization = "none", actors: Sequence[str] | None = None,
                       since: dt.date | None = None, until: dt.date | None = None) -> nx.Graph:
    """A DNA-style network of the period (see :mod:`stancemap.analyze.networks`)."""
    sc = scope(store, codebook_id, since=since, until=until)
    basis = load_basis(store, sc, actors=actors)
    g = network(basis, kind=kind, normalization=normalization, actors=actors)
    g.graph.update(codebook=sc.codebook, since=str(since or ""), until=str(until or ""))
    return g


def coalitions_from_store(store: Store, *, codebook_id: str | None = None, window: str | None = None,
                          since: dt.date | None = None, until: dt.date | None = None, seed: int = 0) -> Coalitions:
    """Coalitions of the period, or per window (counted by day in SQL)."""
    sc = scope(store, codebook_id, since=since, until=until)
    basis = load_basis(store, sc, bucket="day" if window else None)
    return coalitions(basis, window=window, since=since, until=until, seed=seed)


def brief_from_store(store: Store, a: str, b: str, *, codebook_id: str | None = None, window: str = "month",
                     since: dt.date | None = None, until: dt.date | None = None) -> Brief:
    """The briefing's content: comparison, timeline and basis of two actors."""
    sc = scope(store, codebook_id, since=since, until=until)
    check_actors(store, sc, [a, b])
    basis = load_basis(store, sc, actors=[a, b], per_cell=3, articles=True)
    c = compare(basis, a, b, since=since, until=until)
    tl = timeline_from_store(store, a, b, codebook_id=sc.codebook, window=window, since=since, until=until)
    return build_brief(c, tl, a_name=sc.actor_name(a), b_name=sc.actor_name(b), n_articles=basis.n_articles,
                       n_issues_codebook=len(sc.book.issues) if sc.book else None)

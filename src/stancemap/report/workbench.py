"""What the workbench's overview reads: the matrix's net positions *and* the stories behind each.

Without a source filter the counts are the day counts (:func:`stancemap.report.queries.stance_counts`);
with one they are counted from the claims of that source, in SQL, as the same cells. Either
way :func:`stancemap.analyze.positions.matrix` computes the figures, as for ``stancemap matrix``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, distinct, func, select

from stancemap.analyze.cells import Basis, Cell
from stancemap.analyze.positions import matrix
from stancemap.report import queries as q
from stancemap.report.data import Scope, check_actors, scope
from stancemap.store.db import Store
from stancemap.store.schema import claims
from stancemap.store.workbench import ClaimFilter

THIN = 3
"""A cell backed by fewer distinct stories than this is *thin*: drawn faint, on the page and in the charts."""


@dataclass(frozen=True)
class Overview:
    """Actors by issues: net position and distinct stories per cell, the issues' labels."""

    scope: Scope
    net: pd.DataFrame
    stories: pd.DataFrame
    labels: dict[str, str]

    def cells(self):
        """(actor, [(issue, net or None, stories)]) rows, in the matrix's order."""
        net = self.net.to_numpy(dtype=float, na_value=float("nan"))
        stories = self.stories.to_numpy(dtype=float, na_value=0.0)
        issues = list(self.net.columns)
        for r, actor in enumerate(self.net.index):
            yield actor, [(issue, None if net[r, k] != net[r, k] else float(net[r, k]),
                           0 if stories[r, k] != stories[r, k] else int(stories[r, k]))
                          for k, issue in enumerate(issues)]


def _source_cells(store: Store, f: ClaimFilter) -> list[Cell]:
    c = claims.c
    keys = [c.actor, c.issue, c.stance]
    sql = (select(*keys, func.count(), func.count(distinct(c.evidence_hash)), func.sum(c.confidence))
           .where(and_(c.issue.is_not(None), *f.conditions(include_rejected=False))).group_by(*keys))
    with store.engine.connect() as conn:
        return [Cell(a, i, s, int(n), int(nd), float(w or 0.0)) for a, i, s, n, nd, w in conn.execute(sql)]


def overview_from_store(store: Store, *, codebook_id: str | None = None, actors: list[str] | None = None,
                        issues: list[str] | None = None, since: dt.date | None = None, until: dt.date | None = None,
                        source: str | None = None) -> Overview:
    """The matrix of the period (and source): net positions and their stories."""
    sc = scope(store, codebook_id, since=since, until=until)
    if actors:
        check_actors(store, sc, actors)
    if source:
        cells = _source_cells(store, ClaimFilter(codebook=sc.codebook, source=source, since=since, until=until))
        cells = [x for x in cells if (not actors or x.actor in actors) and (not issues or x.issue in issues)]
    else:
        cells = q.stance_counts(store, codebook=sc.codebook, actors=actors, issues=issues, since=since, until=until)
    basis = Basis(cells=tuple(cells), labels=sc.labels)
    net = matrix(basis, actors=actors, issues=issues)
    stories = matrix(basis, actors=actors, issues=issues, value="stories")
    return Overview(sc, net, stories.reindex(index=net.index, columns=net.columns), sc.labels)

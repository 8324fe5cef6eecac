"""Aggregation queries for the analyses: counting in SQL, so that answers stay fast at scale.

Every function takes a :class:`~stancemap.store.db.Store` and the same filters (codebook,
actors, issues, since, until). Rejected claims and claims whose object maps to no issue are
left out, as in every analysis. SQLAlchemy Core only; portable between SQLite and PostgreSQL
(date bucketing is the one dialect-specific expression).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Date, and_, cast, distinct, exists, func, literal, select

from stancemap.analyze.cells import Cell, Evidence, top_quotes
from stancemap.store.db import Store
from stancemap.store.schema import claims

Bucket = Literal[None, "day", "week", "month"]
_c = claims.c


def _filters(*, codebook: str | None, actors: Sequence[str] | None, issues: Sequence[str] | None,
             since: dt.date | None, until: dt.date | None) -> list:
    conds = [_c.status != "rejected", _c.issue.is_not(None)]
    if codebook:
        conds.append(_c.codebook == codebook)
    if actors:
        conds.append(_c.actor.in_(list(actors)))
    if issues:
        conds.append(_c.issue.in_(list(issues)))
    if since:
        conds.append(_c.date >= since)
    if until:
        conds.append(_c.date <= until)
    return conds


def bucket_expr(store: Store, bucket: Bucket):
    """The SQL expression of a claim's time bucket: its day, the Monday of its week, the 1st of its month."""
    if bucket is None:
        return literal(None)
    if bucket == "day":
        return _c.date
    if store.engine.dialect.name == "postgresql":
        return cast(func.date_trunc(bucket, _c.date), Date)
    if bucket == "week":
        return func.date(_c.date, "-6 days", "weekday 1")
    return func.strftime("%Y-%m-01", _c.date)


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def stance_counts(store: Store, *, codebook: str | None = None, actors: Sequence[str] | None = None,
                  issues: Sequence[str] | None = None, since: dt.date | None = None,
                  until: dt.date | None = None, bucket: Bucket = None) -> list[Cell]:
    """Claims counted per (actor, issue, stance[, bucket]): n_claims, n_distinct stories, w.

    ``n_distinct`` counts distinct evidence texts (a reprinted story once); ``w`` sums confidence.
    """
    b = bucket_expr(store, bucket).label("bucket")
    keys = [_c.actor, _c.issue, _c.stance] + ([b] if bucket else [])
    q = (select(*keys, func.count().label("n"), func.count(distinct(_c.evidence)).label("nd"),
                func.sum(_c.confidence).label("w"))
         .where(and_(*_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until)))
         .group_by(*keys))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Cell(r.actor, r.issue, r.stance, int(r.n), int(r.nd), float(r.w or 0.0),
                 _as_date(r.bucket) if bucket else None) for r in rows]


def top_evidence(store: Store, *, codebook: str | None = None, actors: Sequence[str] | None = None,
                 issues: Sequence[str] | None = None, since: dt.date | None = None,
                 until: dt.date | None = None, per_cell: int = 3) -> list[Evidence]:
    """The strongest distinct quotes per (actor, issue, stance): most confident, then newest.

    A window function ranks the claims of each cell; a few spare rows per cell let reprints of
    the same text be dropped in Python.
    """
    rank = func.row_number().over(partition_by=(_c.actor, _c.issue, _c.stance),
                                  order_by=(_c.confidence.desc(), _c.date.desc(), _c.id)).label("rank")
    inner = (select(_c.article_id, _c.actor, _c.issue, _c.stance, _c.evidence, _c.date, _c.source,
                    _c.confidence, rank)
             .where(and_(*_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until)))
             .subquery())
    q = select(inner).where(inner.c.rank <= per_cell * 3).order_by(inner.c.actor, inner.c.issue, inner.c.rank)
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    ev = [Evidence(article_id=r["article_id"], actor=r["actor"], quote=r["evidence"], date=_as_date(r["date"]),
                   issue=r["issue"], stance=r["stance"], source=r["source"] or "",
                   confidence=float(r["confidence"])) for r in rows]
    return top_quotes(ev, per_cell=per_cell)


def count_articles(store: Store, *, codebook: str | None = None, actors: Sequence[str] | None = None,
                   issues: Sequence[str] | None = None, since: dt.date | None = None,
                   until: dt.date | None = None) -> int:
    """How many distinct articles the matching claims come from."""
    q = select(func.count(distinct(_c.article_id))).where(
        and_(*_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until)))
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def has_actor(store: Store, actor: str, *, codebook: str | None = None) -> bool:
    """Whether any claim (of this codebook) is by ``actor``: one index probe."""
    cond = [_c.actor == actor] + ([_c.codebook == codebook] if codebook else [])
    with store.engine.connect() as conn:
        return bool(conn.execute(select(exists().where(and_(*cond)))).scalar())


def actors_with_claims(store: Store, *, codebook: str | None = None) -> list[str]:
    """Every actor with at least one claim (of this codebook)."""
    q = select(distinct(_c.actor)).order_by(_c.actor)
    if codebook:
        q = q.where(_c.codebook == codebook)
    with store.engine.connect() as conn:
        return list(conn.execute(q).scalars())

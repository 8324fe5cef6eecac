"""What the review queue, the claim view and the codebook page read: small indexed queries.

The queue is the machine's unreviewed claims, least confident first (``ix_claims_queue``),
narrowed by actor, issue, source and date; a reviewer walks it with :func:`queue_next` and
:func:`queue_previous`, which seek from the current claim's (confidence, id) instead of
counting an offset, so every step is one index probe however long the queue. Decisions go
through :meth:`Store.set_status <stancemap.store.db.Store.set_status>`, as the CLI's do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select, text, true

from stancemap.store.db import Store, claim_filters
from stancemap.store.schema import articles, claims

_c = claims.c


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims a queue or list shows. Empty fields do not filter."""

    codebook: str | None = None
    actor: str | None = None
    issue: str | None = None
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    max_confidence: float | None = None

    def conditions(self, *, include_rejected: bool = True) -> list:
        conds = claim_filters(codebook=self.codebook, actors=[self.actor] if self.actor else None,
                              issues=[self.issue] if self.issue else None, since=self.since, until=self.until,
                              include_rejected=include_rejected)
        if self.source:
            conds.append(_c.source == self.source)
        if self.max_confidence is not None:
            conds.append(_c.confidence <= self.max_confidence)
        return conds


def claim(store: Store, claim_id: int) -> dict | None:
    """One claim (the columns of ``claims``), or ``None``."""
    with store.engine.connect() as conn:
        row = conn.execute(select(claims).where(_c.id == claim_id)).mappings().first()
    return dict(row) if row else None


def _queue(f: ClaimFilter):
    return select(claims).where(and_(_c.status == "machine", *f.conditions()))


def queue_next(store: Store, f: ClaimFilter, *, after: tuple[float, int] | None = None) -> dict | None:
    """The least confident unreviewed claim (after ``(confidence, id)`` when given)."""
    q = _queue(f)
    if after is not None:
        conf, cid = after
        q = q.where(or_(_c.confidence > conf, and_(_c.confidence == conf, _c.id > cid)))
    with store.engine.connect() as conn:
        row = conn.execute(q.order_by(_c.confidence, _c.id).limit(1)).mappings().first()
    return dict(row) if row else None


def queue_previous(store: Store, f: ClaimFilter, *, before: tuple[float, int]) -> dict | None:
    """The unreviewed claim just before ``(confidence, id)`` in the queue's order."""
    conf, cid = before
    q = _queue(f).where(or_(_c.confidence < conf, and_(_c.confidence == conf, _c.id < cid)))
    with store.engine.connect() as conn:
        row = conn.execute(q.order_by(_c.confidence.desc(), _c.id.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def queue_page(store: Store, f: ClaimFilter, *, after: tuple[float, int] | None = None, limit: int = 20) -> list[dict]:
    """The next ``limit`` claims of the queue, from ``after`` (exclusive) or its start."""
    q = _queue(f)
    if after is not None:
        conf, cid = after
        q = q.where(or_(_c.confidence > conf, and_(_c.confidence == conf, _c.id > cid)))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q.order_by(_c.confidence, _c.id).limit(limit)).mappings()]


def queue_size(store: Store, f: ClaimFilter, *, cap: int = 10_000) -> int:
    """How many claims wait in the queue, counted up to ``cap`` (a page says "10,000+")."""
    inner = select(_c.id).where(and_(_c.status == "machine", *f.conditions())).limit(cap + 1).subquery()
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


def cell_claims(store: Store, f: ClaimFilter, *, limit: int = 50) -> list[dict]:
    """The claims behind a matrix cell (actor and issue set in ``f``), rejected ones left out,
    most confident first."""
    q = (select(claims).where(and_(true(), *f.conditions(include_rejected=False)))
         .order_by(_c.confidence.desc(), _c.date.desc(), _c.id).limit(limit))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def article_claims(store: Store, article_id: str) -> list[dict]:
    """Every claim of one article, in text order."""
    q = select(claims).where(_c.article_id == article_id).order_by(_c.ev_start, _c.id)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


@dataclass(frozen=True)
class Unmapped:
    """Stance objects no issue of the codebook took, grouped by their words."""

    object: str
    n_claims: int
    n_actors: int
    example_id: int


def unmapped_objects(store: Store, *, codebook: str | None = None, limit: int = 50) -> list[Unmapped]:
    """The most frequent stance objects of claims without an issue: what the codebook misses."""
    obj = func.lower(_c.object)
    conds = [_c.issue.is_(None), _c.status != "rejected", _c.object != ""]
    if codebook:
        conds.append(_c.codebook == codebook)
    q = (select(obj.label("o"), func.count().label("n"), func.count(distinct(_c.actor)).label("na"),
                func.min(_c.id).label("ex"))
         .where(and_(*conds)).group_by(obj).order_by(func.count().desc(), obj).limit(limit))
    with store.engine.connect() as conn:
        return [Unmapped(r.o, int(r.n), int(r.na), int(r.ex)) for r in conn.execute(q)]


def counted_actors(store: Store, codebook: str) -> list[str]:
    """The actors with counted claims in a codebook, by a loose index scan of ``claim_counts``
    (one probe per actor, however many claims: a recursive CTE, on SQLite and PostgreSQL)."""
    sql = text(
        "WITH RECURSIVE t(actor) AS (SELECT min(actor) FROM claim_counts WHERE codebook = :cb "
        "UNION ALL SELECT (SELECT min(k.actor) FROM claim_counts k WHERE k.codebook = :cb AND k.actor > t.actor) "
        "FROM t WHERE t.actor IS NOT NULL) SELECT actor FROM t WHERE actor IS NOT NULL")
    with store.engine.connect() as conn:
        return list(conn.execute(sql, {"cb": codebook}).scalars())


def sources(store: Store, *, limit: int = 500) -> list[str]:
    """The distinct sources of the stored articles (for a filter's choices)."""
    q = select(distinct(articles.c.source)).where(articles.c.source != "").order_by(articles.c.source).limit(limit)
    with store.engine.connect() as conn:
        return list(conn.execute(q).scalars())


def codebooks(store: Store) -> list[dict]:
    """Every stored codebook: fingerprint, name, when it was stored, newest first."""
    from stancemap.store.schema import codebooks as table

    q = select(table.c.fingerprint, table.c.name, table.c.created_at).order_by(table.c.created_at.desc())
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def find_claim(store: Store, article_id: str, actor: str, issue: str | None = None,
               stance: str | None = None) -> int | None:
    """The id of an article's claim by actor (and issue, stance): the most confident, not rejected first."""
    conds = [_c.article_id == article_id, _c.actor == actor]
    if issue:
        conds.append(_c.issue == issue)
    if stance:
        conds.append(_c.stance == stance)
    q = (select(_c.id).where(and_(*conds))
         .order_by((_c.status == "rejected").asc(), _c.confidence.desc(), _c.id).limit(1))
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one_or_none()

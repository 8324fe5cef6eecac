"""Aggregation queries for the analyses: counting in SQL, so that answers stay fast at scale.

They live in ``report`` because they join the two layers below it: they read the ``store``
and hand the pure ``analyze`` functions their input types (cells, evidence).

Every function takes a :class:`~stancemap.store.db.Store` and the same filters (codebook,
actors, issues, since, until). Rejected claims and claims whose object maps to no issue are
left out, as in every analysis. Counts come from the day counts (``claim_counts``, with
``story_repeats`` for periods with a start date; both kept exact on write by
:mod:`stancemap.store.counts`) wherever they hold the answer, quotes from ``claims`` by
index. SQLAlchemy Core only; portable between SQLite and PostgreSQL (date bucketing is the
one dialect-specific expression).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Literal

from sqlalchemy import (
    Date,
    String,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    select,
    true,
    type_coerce,
)

from stancemap.analyze.cells import Cell, Evidence, top_quotes
from stancemap.analyze.window_cells import SpanCell
from stancemap.store.db import Store, claim_filters
from stancemap.store.schema import claim_counts, claims, story_repeats

Bucket = Literal[None, "day", "week", "month"]
_c = claims.c


def _filters(*, codebook: str | None, actors: Sequence[str] | None, issues: Sequence[str] | None,
             since: dt.date | None, until: dt.date | None) -> list:
    return claim_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until,
                         mapped_only=True)


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

    ``n_distinct`` counts distinct stories (a reprinted story once); ``w`` sums confidence.
    By day, and over a whole period up to ``until``, the day counts (``claim_counts``) hold the
    answer; over a period with a start date in one codebook, the day counts and the repeats of
    stories first told before it (``story_repeats``) do. A week or month bucket, or a start
    date over every codebook, needs the claims themselves (a story first told before the
    bucket may be reprinted inside it; one story in two codebooks is one story).
    """
    f = dict(codebook=codebook, actors=actors, issues=issues, since=since, until=until)
    if bucket == "day" or (bucket is None and since is None):
        return _counts_from_days(store, bucket=bucket, **f)
    if bucket is None and codebook:
        return _counts_of_period(store, **f)
    return _counts_from_claims(store, bucket=bucket, **f)


def _day_filters(*, codebook, actors, issues, since, until, table=claim_counts) -> list:
    """Conditions on a table keyed by (codebook, actor, issue, stance, day): ``claim_counts`` or ``story_repeats``."""
    k = table.c
    conds = []
    if codebook:
        conds.append(k.codebook == codebook)
    if actors:
        conds.append(k.actor.in_(list(actors)))
    if issues:
        conds.append(k.issue.in_(list(issues)))
    if since:
        conds.append(k.day >= since)
    if until:
        conds.append(k.day <= until)
    return conds


def _counts_from_days(store: Store, *, bucket: Bucket, **f) -> list[Cell]:
    """Sum the day counts: over the period (first-day stories) or per day (that day's stories).

    Per day with one codebook, each row is a cell already: no GROUP BY. The day is read as
    text and parsed once per distinct day (SQLAlchemy's per-row date parsing on SQLite costs
    more than the query).
    """
    k = claim_counts.c
    where = and_(true(), *_day_filters(**f))
    if bucket is None:
        keys = [k.actor, k.issue, k.stance]
        q = (select(*keys, func.sum(k.n_claims), func.sum(k.n_new_stories), func.sum(k.w_sum))
             .where(where).group_by(*keys).order_by(*keys))
    elif f.get("codebook"):
        q = (select(k.actor, k.issue, k.stance, k.n_claims, k.n_stories, k.w_sum, type_coerce(k.day, String))
             .where(where))
    else:
        keys = [k.actor, k.issue, k.stance, k.day]
        q = (select(*keys[:3], func.sum(k.n_claims), func.sum(k.n_stories), func.sum(k.w_sum),
                    type_coerce(k.day, String)).where(where).group_by(*keys))
    with _no_gc(), store.engine.connect() as conn:
        rows = conn.execute(q).all()
        if bucket is None:
            return [Cell(a, i, s, int(n), int(nd), float(w or 0.0)) for a, i, s, n, nd, w in rows]
        day = _day_parser()
        return [Cell(a, i, s, int(n), int(nd), float(w or 0.0), day(d)) for a, i, s, n, nd, w, d in rows]


def _counts_of_period(store: Store, *, since: dt.date, **f) -> list[Cell]:
    """One codebook's cells over [since, until]: the day counts summed, plus earlier stories told again.

    A story first told inside the period is new on its first day (``n_new_stories``); one
    first told before ``since`` and told again inside the period counts once, by its
    ``story_repeats`` rows there. Two indexed queries, no claim read.
    """
    k, r = claim_counts.c, story_repeats.c
    keys = [k.actor, k.issue, k.stance]
    days = (select(*keys, func.sum(k.n_claims), func.sum(k.n_new_stories), func.sum(k.w_sum))
            .where(and_(*_day_filters(since=since, **f))).group_by(*keys).order_by(*keys))
    rkeys = [r.actor, r.issue, r.stance]
    earlier = (select(*rkeys, func.count(distinct(r.evidence_hash)))
               .where(and_(*_day_filters(since=since, table=story_repeats, **f), r.first_day < since))
               .group_by(*rkeys))
    with _no_gc(), store.engine.connect() as conn:
        told_again = {(a, i, s): int(n) for a, i, s, n in conn.execute(earlier)}
        rows = conn.execute(days).all()
    return [Cell(a, i, s, int(n), int(nd) + told_again.get((a, i, s), 0), float(w or 0.0))
            for a, i, s, n, nd, w in rows]


@contextmanager
def _no_gc():
    """Pause the cyclic garbage collector while tens of thousands of rows and cells are made.

    None of them form cycles, yet their allocation alone sets off collections of the whole
    heap, which doubled the time of a timeline's 36,000 day cells. The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _day_parser():
    """A date from a date or its ISO text, memoised (a store has a few thousand distinct days)."""
    seen: dict = {}

    def parse(value) -> dt.date:
        d = seen.get(value)
        if d is None:
            d = seen[value] = _as_date(value)
        return d
    return parse


def day_range(store: Store, *, codebook: str | None = None, actors: Sequence[str] | None = None,
              issues: Sequence[str] | None = None, since: dt.date | None = None,
              until: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last day with counted claims in the filters' scope; ``None`` when there is none."""
    k = claim_counts.c
    q = select(func.min(type_coerce(k.day, String)), func.max(type_coerce(k.day, String))).where(
        and_(true(), *_day_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until)))
    with store.engine.connect() as conn:
        first, last = conn.execute(q).one()
    return None if first is None else (_as_date(first), _as_date(last))


def span_counts(store: Store, *, bounds: Sequence[dt.date], codebook: str, actors: Sequence[str] | None = None,
                issues: Sequence[str] | None = None, since: dt.date | None = None,
                until: dt.date | None = None) -> list[SpanCell]:
    """The day counts summed per (actor, issue, stance, span), the spans cut by ``bounds``.

    Span ``j`` is the days ``bounds[j]`` .. ``bounds[j + 1] - 1`` (see
    :func:`~stancemap.analyze.window_cells.span_bounds`); days outside every span are left
    out. Per span: the sums of n_claims, of the days' distinct stories (story-days) and of
    confidence, and the sum of the days' weights, each computed per day as
    :attr:`Cell.weight <stancemap.analyze.cells.Cell.weight>` does. One codebook: a day's
    weight is that codebook's (summing codebooks per day first would weigh differently).
    A few hundred rows come back where per-day counts are tens of thousands.
    """
    bounds = sorted(bounds)
    if len(bounds) < 2:
        return []
    k = claim_counts.c
    f = dict(codebook=codebook, actors=actors, issues=issues, since=since, until=until)
    days = (select(k.actor, k.issue, k.stance, _span_of(k.day, bounds).label("span"), k.n_claims, k.n_stories,
                   k.w_sum, (k.n_stories * (k.w_sum / k.n_claims)).label("weight"))
            .where(and_(*_day_filters(**f), k.day >= bounds[0], k.day < bounds[-1])).subquery())
    d = days.c
    keys = [d.actor, d.issue, d.stance, d.span]
    q = select(*keys, func.sum(d.n_claims), func.sum(d.n_stories), func.sum(d.w_sum), func.sum(d.weight)
               ).group_by(*keys).order_by(*keys)
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    one_day = dt.timedelta(days=1)
    return [SpanCell(a, i, s, int(n), int(nd), float(w), bounds[j], end=bounds[j + 1] - one_day,
                     weight_sum=float(ws)) for a, i, s, j, n, nd, w, ws in rows]


def _span_of(day, bounds: Sequence[dt.date]):
    """The index ``j`` of the span ``bounds[j] <= day < bounds[j + 1]``, by a binary search written as nested CASEs.

    Every row is placed in about log2(len(bounds)) comparisons, on any database. Only for days
    inside ``bounds[0]`` .. ``bounds[-1] - 1``.
    """
    def search(lo: int, hi: int):  # the answer is in lo..hi
        if lo == hi:
            return literal_column(str(lo))
        mid = (lo + hi + 1) // 2
        return case((day < bounds[mid], search(lo, mid - 1)), else_=search(mid, hi))
    return search(0, len(bounds) - 2)


def _counts_from_claims(store: Store, *, bucket: Bucket, **f) -> list[Cell]:
    b = bucket_expr(store, bucket).label("bucket")
    keys = [_c.actor, _c.issue, _c.stance] + ([b] if bucket else [])
    q = (select(*keys, func.count().label("n"), func.count(distinct(_c.evidence_hash)).label("nd"),
                func.sum(_c.confidence).label("w"))
         .where(and_(*_filters(**f)))
         .group_by(*keys).order_by(*keys))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Cell(r.actor, r.issue, r.stance, int(r.n), int(r.nd), float(r.w or 0.0),
                 _as_date(r.bucket) if bucket else None) for r in rows]


def _cells(store: Store, **f) -> list[tuple[str, str, str, str]]:
    """The (codebook, actor, issue, stance) cells with claims in the filters' scope, from the day counts."""
    k = claim_counts.c
    q = select(k.codebook, k.actor, k.issue, k.stance).where(and_(true(), *_day_filters(**f))).distinct()
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q)]


def top_evidence(store: Store, *, codebook: str | None = None, actors: Sequence[str] | None = None,
                 issues: Sequence[str] | None = None, since: dt.date | None = None,
                 until: dt.date | None = None, per_cell: int = 3) -> list[Evidence]:
    """The strongest distinct quotes per (actor, issue, stance): most confident, then newest.

    Each cell's most confident claims are read off the ``ix_claims_cell`` index; a few spare
    rows per cell let reprints of the same text be dropped in Python.
    """
    f = dict(codebook=codebook, actors=actors, issues=issues, since=since, until=until)
    spare = per_cell * 3
    by_cell: dict[tuple[str, str, str], list] = defaultdict(list)
    for r in _strongest_claims(store, sorted(_cells(store, **f)), spare, **f):
        by_cell[(r["actor"], r["issue"], r["stance"])].append(r)
    ranked = []  # the best ``spare`` per cell over all codebooks, in (actor, issue, rank) order
    for rows in by_cell.values():
        rows.sort(key=lambda r: (-r["confidence"], -r["date"].toordinal(), r["id"]))
        ranked += [(r["actor"], r["issue"], rank, r) for rank, r in enumerate(rows[:spare])]
    ranked.sort(key=lambda x: x[:3])
    ev = [Evidence(article_id=r["article_id"], actor=r["actor"], quote=r["evidence"], date=_as_date(r["date"]),
                   issue=r["issue"], stance=r["stance"], source=r["source"] or "",
                   confidence=float(r["confidence"])) for *_, r in ranked]
    return top_quotes(ev, per_cell=per_cell)


_EV_COLS = [_c.id, _c.article_id, _c.actor, _c.issue, _c.stance, _c.evidence, _c.date, _c.source, _c.confidence]


def _strongest_claims(store: Store, cells: list[tuple], n: int, **f) -> list:
    """The ``n`` most confident claims (then newest) of each (codebook, actor, issue, stance) cell.

    One small ordered query per cell, the same statement each time: compiled once, prepared
    by the driver, answered from the index (PostgreSQL plans a UNION of 80 such queries for
    longer than it runs them).
    """
    q = (select(*_EV_COLS)
         .where(and_(*_filters(**f), _c.codebook == bindparam("k_codebook"), _c.actor == bindparam("k_actor"),
                     _c.issue == bindparam("k_issue"), _c.stance == bindparam("k_stance")))
         .order_by(_c.confidence.desc(), _c.date.desc(), _c.id).limit(n))
    out = []
    with store.engine.connect() as conn:
        for cb, a, i, s in cells:
            out += conn.execute(q, {"k_codebook": cb, "k_actor": a, "k_issue": i, "k_stance": s}).mappings().all()
    return out


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

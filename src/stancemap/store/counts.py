"""Claims counted per day, kept exact on every write: what compare, matrix and timeline read.

``claim_counts`` has one row per (codebook, actor, issue, stance, day) over the claims an
analysis counts (status other than ``rejected``, issue set):

- ``n_claims``: how many claims;
- ``n_stories``: how many distinct stories (a reprint of the same evidence counts once);
- ``n_new_stories``: how many of those stories appear that day for the first time in the cell.
  Summed over the days up to D, the distinct stories up to D: a story reprinted on a later
  day still counts once over a whole period;
- ``w_sum``: the claims' summed confidence (:attr:`stancemap.analyze.cells.Cell.w`).

A story is the claim's evidence, normalised as :mod:`stancemap.analyze.cells` does (spaces
collapsed, case folded), hashed to 64 bits in ``claims.evidence_hash`` so that it can be
indexed whatever its length.

``story_repeats`` has one row per (codebook, actor, issue, stance, story, day) for each day
after the story's first day in the cell on which it is told again, with that ``first_day``.
The distinct stories of a period [since, until] are then the sum of ``n_new_stories`` over
its days plus the distinct stories of its ``story_repeats`` rows whose ``first_day`` is
before ``since``: a story first told inside the period is new on its first day, one first
told before it is counted once by its repeats inside it. Reprints across days are few next
to claims, so the table stays small.

Writers keep both tables exact by calling :func:`refresh_counts` in the transaction that
changed the claims, with the touched claims' keys (:func:`touched_keys`); it recomputes
only the affected rows from ``claims``, so it is idempotent. :func:`rebuild_claim_counts`
recomputes everything, after a bulk load; migrations call the part of their revision
(:func:`rebuild_day_counts`, :func:`rebuild_story_repeats`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    case,
    delete,
    distinct,
    exists,
    func,
    insert,
    select,
    text,
    update,
)

from stancemap.store.schema import claim_counts, claims, story_repeats

_c = claims.c


class Touched(NamedTuple):
    """A written, changed or deleted claim, as far as the counts care."""

    codebook: str
    actor: str
    issue: str | None
    stance: str
    date: object
    evidence_hash: int | None


def normalise(evidence: str) -> str:
    """The text that identifies a story: spaces collapsed, case folded (as ``cells._norm_quote``)."""
    return " ".join(evidence.split()).casefold()


def story_hash(evidence: str) -> int:
    """A signed 64-bit hash of the normalised evidence (fits a BIGINT on every database)."""
    digest = hashlib.blake2b(normalise(evidence).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _count_select(where):
    """Counts per (codebook, actor, issue, stance, day) of the countable claims matching ``where``."""
    e = claims.alias("e")
    earlier = exists().where(and_(
        e.c.codebook == _c.codebook, e.c.actor == _c.actor, e.c.issue == _c.issue, e.c.stance == _c.stance,
        e.c.evidence_hash == _c.evidence_hash, e.c.date < _c.date, e.c.status != "rejected"))
    keys = [_c.codebook, _c.actor, _c.issue, _c.stance, _c.date]
    return (select(*keys, func.count(), func.count(distinct(_c.evidence_hash)),
                   func.count(distinct(case((~earlier, _c.evidence_hash)))), func.sum(_c.confidence))
            .where(and_(_c.status != "rejected", _c.issue.is_not(None), where))
            .group_by(*keys))


_COLUMNS = ["codebook", "actor", "issue", "stance", "day", "n_claims", "n_stories", "n_new_stories", "w_sum"]
_PARAMS = ("k_codebook", "k_actor", "k_issue", "k_stance", "k_day")


def _is_cell(table, day=None):
    """``table``'s rows of the cell (and day) given as parameters k_codebook .. k_stance (k_day)."""
    conds = [table.c.codebook == bindparam("k_codebook"), table.c.actor == bindparam("k_actor"),
             table.c.issue == bindparam("k_issue"), table.c.stance == bindparam("k_stance")]
    return and_(*conds, *([day == bindparam("k_day")] if day is not None else []))


# the (story, day) pairs of the given stories in a cell, over its countable claims
_STORY_DAYS = (select(_c.evidence_hash, _c.date).distinct()
               .where(and_(_is_cell(claims), _c.evidence_hash.in_(bindparam("k_hashes", expanding=True)),
                           _c.status != "rejected")))
# one (cell, day) row of claim_counts, removed and counted anew (executemany over the affected ones)
_DELETE_DAYS = delete(claim_counts).where(_is_cell(claim_counts, claim_counts.c.day))
_INSERT_DAYS = insert(claim_counts).from_select(_COLUMNS, _count_select(_is_cell(claims, _c.date)))
# the given stories' repeats in a cell, removed and written anew from their (story, day) pairs
_DELETE_REPEATS = delete(story_repeats).where(and_(
    _is_cell(story_repeats), story_repeats.c.evidence_hash.in_(bindparam("k_hashes", expanding=True))))
_REPEAT_COLUMNS = ["codebook", "actor", "issue", "stance", "evidence_hash", "day", "first_day"]


def touched_keys(conn: Connection, where) -> list[Touched]:
    """The keys of the claims matching ``where`` (read before deleting or changing them)."""
    rows = conn.execute(select(_c.codebook, _c.actor, _c.issue, _c.stance, _c.date, _c.evidence_hash)
                        .where(where)).all()
    return [Touched(*r) for r in rows]


def refresh_counts(conn: Connection, touched: Iterable[Touched]) -> None:
    """Recompute the ``claim_counts`` and ``story_repeats`` rows the touched claims affect, from ``claims``.

    Affected: the touched claims' days, and every day on which one of their stories appears in
    the same cell (its first day, and so ``n_new_stories``, may have moved); and every repeat
    of their stories in the cell (the same look-up gives their days).
    """
    touched = [t for t in set(touched) if t.issue is not None]
    if not touched:
        return
    _lock_cells(conn, {(t.codebook, t.actor, t.issue, t.stance) for t in touched})
    days = {(t.codebook, t.actor, t.issue, t.stance, t.date) for t in touched}
    hashes: dict[tuple, set[int]] = defaultdict(set)
    for t in touched:
        if t.evidence_hash is not None:
            hashes[(t.codebook, t.actor, t.issue, t.stance)].add(t.evidence_hash)
    repeats: list[dict] = []
    for key, hs in hashes.items():  # one index lookup per cell, for all its touched stories
        hs = sorted(hs)
        for k in range(0, len(hs), 5000):
            params = dict(zip(_PARAMS, key), k_hashes=hs[k:k + 5000])
            pairs = conn.execute(_STORY_DAYS, params).all()
            days.update((*key, d) for _, d in pairs)
            conn.execute(_DELETE_REPEATS, params)
            repeats += _repeat_rows(key, pairs)
    params = [dict(zip(_PARAMS, d)) for d in days]
    conn.execute(_DELETE_DAYS, params)
    conn.execute(_INSERT_DAYS, params)
    if repeats:
        conn.execute(insert(story_repeats), repeats)


def _repeat_rows(cell: tuple, pairs: Iterable[tuple[int, object]]) -> list[dict]:
    """``story_repeats`` rows of one cell from its (story, day) pairs: every day after each story's first."""
    by_story: dict[int, list] = defaultdict(list)
    for h, day in pairs:
        by_story[h].append(day)
    rows = []
    for h, story_days in by_story.items():
        first = min(story_days)
        rows += [dict(zip(_REPEAT_COLUMNS, (*cell, h, day, first))) for day in story_days if day != first]
    return rows


def _lock_cells(conn: Connection, cells: set[tuple]) -> None:
    """On PostgreSQL, take a transaction lock per cell (in one order: no deadlocks) before counting.

    Two transactions recounting the same cell then take turns, and the second, counting after
    the first's commit, sees its claims: without the lock each would count without the other's
    (a story told on two days by two writers would be new on both days). SQLite needs none:
    it runs one writing transaction at a time.
    """
    if conn.dialect.name != "postgresql":
        return
    keys = sorted({int.from_bytes(hashlib.blake2b("\x1f".join(cell).encode(), digest_size=8).digest(), "big",
                                  signed=True) for cell in cells})
    conn.execute(text("SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k "
                      "ORDER BY k) AS cells"), {"keys": keys})


def fill_story_hashes(conn: Connection, *, batch: int = 20_000) -> int:
    """Set ``evidence_hash`` where it is NULL (claims bulk-loaded around the Store). Returns rows set."""
    done, last = 0, None
    while True:
        q = select(_c.id, _c.evidence).where(_c.evidence_hash.is_(None)).order_by(_c.id).limit(batch)
        if last is not None:
            q = q.where(_c.id > last)
        rows = conn.execute(q).all()
        if not rows:
            return done
        _set_hashes(conn, [r[0] for r in rows], [story_hash(r[1]) for r in rows])
        done += len(rows)
        last = rows[-1][0]


def _set_hashes(conn: Connection, ids: list[int], hashes: list[int]) -> None:
    if conn.dialect.name == "postgresql":  # one statement per batch: executemany is 100x slower here
        conn.execute(text("UPDATE claims SET evidence_hash = v.h FROM (SELECT unnest(CAST(:ids AS bigint[])) AS id, "
                          "unnest(CAST(:hs AS bigint[])) AS h) AS v WHERE claims.id = v.id"),
                     {"ids": ids, "hs": hashes})
        return
    conn.execute(update(claims).where(_c.id == bindparam("k_id")).values(evidence_hash=bindparam("k_h")),
                 [{"k_id": i, "k_h": h} for i, h in zip(ids, hashes)])


def rebuild_claim_counts(bind: Engine | Connection) -> int:
    """Recompute all of ``claim_counts`` and ``story_repeats`` from ``claims`` (filling missing story hashes first).

    Takes an engine (one transaction of its own) or a connection (the caller's transaction).
    Returns the number of ``claim_counts`` rows written.
    """
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            return rebuild_claim_counts(conn)
    rows = rebuild_day_counts(bind)
    rebuild_story_repeats(bind)
    return rows


def rebuild_day_counts(conn: Connection) -> int:
    """Fill missing story hashes and recompute ``claim_counts`` alone (what migration 0002 made). Returns its rows."""
    fill_story_hashes(conn)
    conn.execute(delete(claim_counts))
    conn.execute(insert(claim_counts).from_select(_COLUMNS, _count_select(_c.codebook.is_not(None))))
    return conn.execute(select(func.count()).select_from(claim_counts)).scalar_one()


def rebuild_story_repeats(conn: Connection) -> int:
    """Recompute ``story_repeats`` from ``claims`` (story hashes set), in one statement. Returns its rows.

    Each story's distinct days in its cell, with the first of them (a window over the
    grouped days); every day but the first is a row.
    """
    story = [_c.codebook, _c.actor, _c.issue, _c.stance, _c.evidence_hash]
    first_day = func.min(func.min(_c.date)).over(partition_by=story)
    days = (select(*story, _c.date.label("day"), first_day.label("first_day"))
            .where(and_(_c.status != "rejected", _c.issue.is_not(None), _c.evidence_hash.is_not(None)))
            .group_by(*story, _c.date).subquery())
    conn.execute(delete(story_repeats))
    conn.execute(insert(story_repeats).from_select(
        _REPEAT_COLUMNS, select(*(days.c[k] for k in _REPEAT_COLUMNS)).where(days.c.day > days.c.first_day)))
    return conn.execute(select(func.count()).select_from(story_repeats)).scalar_one()

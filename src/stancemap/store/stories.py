"""Reprint groups: each article's ``story`` is the first article of its near-duplicates.

The signatures and LSH band keys are computed by :mod:`stancemap.ingest.reprints` (the store
only keeps and compares them). An article joins the story of the most similar earlier
article whose estimated similarity reaches the threshold, else starts its own story
(``story`` = its id). Articles are grouped in date order, so a story is named after its
earliest run.

How analyses can use it: a claim's story is today a hash of its evidence sentence
(:mod:`stancemap.store.counts`); ``articles.story`` gives the same for whole articles, so a
count of distinct stories per cell can count ``(story, evidence_hash)`` or ``story`` alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from sqlalchemy import Connection, and_, func, select, update

from stancemap.store.schema import article_bands, article_sigs, articles


def unsigned(conn: Connection, limit: int) -> list[tuple[str, str]]:
    """Up to ``limit`` (id, text) of articles without a signature, oldest first."""
    q = (select(articles.c.id, articles.c.text)
         .outerjoin(article_sigs, article_sigs.c.article_id == articles.c.id)
         .where(article_sigs.c.article_id.is_(None))
         .order_by(articles.c.date, articles.c.id).limit(limit))
    return [(r[0], r[1]) for r in conn.execute(q)]


def assign(conn: Connection, items: Sequence[tuple[str, bytes, list[int]]], threshold: float) -> int:
    """Store each (article id, signature bytes, band keys) and set its story. Returns how
    many joined an earlier story."""
    joined = 0
    for article_id, sig, keys in items:
        pairs = set(enumerate(keys))
        rows = conn.execute(select(article_bands.c.band, article_bands.c.key, article_bands.c.article_id)
                            .where(article_bands.c.key.in_(keys)))
        cands = sorted({r.article_id for r in rows if (r.band, r.key) in pairs} - {article_id})
        best, best_sim = None, -1.0
        if cands:
            mine = np.frombuffer(sig, dtype="<u8")
            for cid, csig in conn.execute(select(article_sigs.c.article_id, article_sigs.c.sig)
                                          .where(article_sigs.c.article_id.in_(cands))):
                sim = float(np.mean(np.frombuffer(csig, dtype="<u8") == mine))
                if sim > best_sim or (sim == best_sim and cid < best):
                    best, best_sim = cid, sim
        story = article_id
        if best is not None and best_sim >= threshold:
            story = conn.execute(select(articles.c.story).where(articles.c.id == best)).scalar_one() or best
            joined += 1
        conn.execute(update(articles).where(articles.c.id == article_id).values(story=story))
        conn.execute(article_sigs.insert(), [{"article_id": article_id, "sig": sig}])
        conn.execute(article_bands.insert(), [{"band": b, "key": k, "article_id": article_id} for b, k in sorted(pairs)])
    return joined


def groups(conn: Connection, *, min_size: int = 2, limit: int = 50, article_id: str | None = None) -> Iterator[list[dict]]:
    """Stories with at least ``min_size`` articles, largest first: each a list of its articles."""
    if article_id is not None:
        story = conn.execute(select(articles.c.story).where(articles.c.id == article_id)).scalar_one_or_none()
        stories = [story] if story else []
    else:
        q = (select(articles.c.story).where(articles.c.story.is_not(None)).group_by(articles.c.story)
             .having(func.count() >= min_size).order_by(func.count().desc(), articles.c.story).limit(limit))
        stories = list(conn.execute(q).scalars())
    for s in stories:
        rows = conn.execute(select(articles.c.id, articles.c.date, articles.c.source, articles.c.title, articles.c.url)
                            .where(and_(articles.c.story == s)).order_by(articles.c.date, articles.c.id)).mappings()
        yield [dict(r, story=s) for r in rows]

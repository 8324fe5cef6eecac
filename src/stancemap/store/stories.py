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
from sqlalchemy import Connection, and_, bindparam, func, select, update

from stancemap.store.schema import article_bands, article_sigs, articles


def unsigned(conn: Connection, limit: int) -> list[tuple[str, str]]:
    """Up to ``limit`` (id, text) of articles without a signature, oldest first."""
    q = (select(articles.c.id, articles.c.text)
         .outerjoin(article_sigs, article_sigs.c.article_id == articles.c.id)
         .where(article_sigs.c.article_id.is_(None))
         .order_by(articles.c.date, articles.c.id).limit(limit))
    return [(r[0], r[1]) for r in conn.execute(q)]


def assign(conn: Connection, items: Sequence[tuple[str, bytes, list[int]]], threshold: float) -> int:
    """Store each (article id, signature bytes, band keys) and set its story, in order: an
    item may join the story of an earlier one of the same batch. Returns how many joined an
    earlier story. A few statements per batch, whatever its size."""
    if not items:
        return 0
    mine_ids = {i for i, _, _ in items}
    all_keys = sorted({k for _, _, keys in items for k in keys})
    index: dict[tuple[int, int], set[str]] = {}
    for k in range(0, len(all_keys), 5000):
        for r in conn.execute(select(article_bands.c.band, article_bands.c.key, article_bands.c.article_id)
                              .where(article_bands.c.key.in_(all_keys[k:k + 5000]))):
            if r.article_id not in mine_ids:
                index.setdefault((r.band, r.key), set()).add(r.article_id)
    stored = sorted(set().union(*index.values())) if index else []
    sigs: dict[str, np.ndarray] = {}
    story_of: dict[str, str] = {}
    for k in range(0, len(stored), 5000):
        chunk = stored[k:k + 5000]
        for cid, csig in conn.execute(select(article_sigs.c.article_id, article_sigs.c.sig)
                                      .where(article_sigs.c.article_id.in_(chunk))):
            sigs[cid] = np.frombuffer(csig, dtype="<u8")
        for cid, st in conn.execute(select(articles.c.id, articles.c.story).where(articles.c.id.in_(chunk))):
            story_of[cid] = st or cid
    joined, updates, sig_rows, band_rows = 0, [], [], []
    for article_id, sig, keys in items:
        mine = np.frombuffer(sig, dtype="<u8")
        pairs = list(enumerate(keys))
        found: set[str] = set()
        for p in pairs:
            hit = index.get(p)
            if hit:
                found |= hit
        cands = sorted(found - {article_id})
        best, best_sim = None, -1.0
        for cid in cands:
            sim = float(np.mean(sigs[cid] == mine))
            if sim > best_sim:
                best, best_sim = cid, sim
        story = article_id
        if best is not None and best_sim >= threshold:
            story = story_of[best]
            joined += 1
        story_of[article_id], sigs[article_id] = story, mine
        for p in pairs:  # later items of this batch see this one
            index.setdefault(p, set()).add(article_id)
        updates.append({"k_id": article_id, "k_story": story})
        sig_rows.append({"article_id": article_id, "sig": sig})
        band_rows += [{"band": b, "key": k, "article_id": article_id} for b, k in pairs]
    conn.execute(update(articles).where(articles.c.id == bindparam("k_id")).values(story=bindparam("k_story")), updates)
    conn.execute(article_sigs.insert(), sig_rows)
    conn.execute(article_bands.insert(), band_rows)
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

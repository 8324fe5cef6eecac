"""Storing articles: one row per distinct text; ids unique per source and origin.

An article whose text (fingerprint) is stored is a duplicate and is skipped. An article whose
id is taken by a *different* text:

- from another source or origin (two feeds numbering their items 1, 2, 3...) is stored under
  a qualified id, ``ID@xxxxxxxx`` (a hash of its source and origin), the same on every run;
- from the same source and origin is a true conflict: it is not stored, and is reported as
  ``FILE:LINE: field 'id': ...`` like any bad record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from stancemap.errors import InputError
from stancemap.model import Article
from stancemap.store.schema import articles


@dataclass(frozen=True, slots=True)
class Incoming:
    article: Article
    where: str = ""
    origin: str = ""


def qualified_id(article_id: str, source: str, origin: str) -> str:
    tag = hashlib.blake2b(f"{source}\x1f{origin}".encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{article_id}@{tag}"


def insert_articles(conn: Connection, items: Sequence[Incoming], insert_ignore) -> tuple[int, int, list[InputError]]:
    """Insert ``items``; returns (added, renamed, conflicts)."""
    fresh, seen = [], set()
    for it in items:
        fp = it.article.fingerprint
        if fp not in seen:
            seen.add(fp)
            fresh.append((it, fp))
    stored_fps = set(conn.execute(select(articles.c.fingerprint).where(
        articles.c.fingerprint.in_([fp for _, fp in fresh]))).scalars()) if fresh else set()
    fresh = [(it, fp) for it, fp in fresh if fp not in stored_fps]
    if not fresh:
        return 0, 0, []
    wanted = set()
    for it, _ in fresh:
        wanted |= {it.article.id, qualified_id(it.article.id, it.article.source, it.origin)}
    taken = {r.id: (r.source, r.origin) for r in conn.execute(
        select(articles.c.id, articles.c.source, articles.c.origin).where(articles.c.id.in_(sorted(wanted))))}
    rows, conflicts, renamed = [], [], 0
    for it, fp in fresh:
        a, key = it.article, (it.article.source, it.origin)
        new_id = a.id
        if a.id in taken:
            q = qualified_id(a.id, a.source, it.origin)
            if taken[a.id] == key or q in taken:
                holder = taken[q] if q in taken else taken[a.id]
                conflicts.append(InputError(
                    it.where or it.origin or a.id,
                    f"field 'id': {a.id!r} is already stored with a different text (from "
                    f"{holder[1] or 'an earlier ingest'}); not stored: give the record its own id", "id"))
                continue
            new_id, renamed = q, renamed + 1
        taken[new_id] = key
        rows.append({"id": new_id, "date": a.date, "source": a.source, "title": a.title, "url": a.url,
                     "text": a.text, "fingerprint": fp, "origin": it.origin})
    if not rows:
        return 0, 0, conflicts
    before = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    conn.execute(insert_ignore(articles), rows)
    after = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    return after - before, renamed, conflicts

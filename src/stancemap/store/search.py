"""Full-text search over the stored articles: SQLite FTS5, PostgreSQL full-text (migration 0004).

The query is what a user types: words (all must occur) and "quoted phrases". On SQLite it is
rewritten into FTS5 syntax with every word quoted, so no input is an FTS5 syntax error; on
PostgreSQL ``websearch_to_tsquery`` reads it (the English configuration: stemmed, stop
words dropped). Both rank best first (BM25 on SQLite, ``ts_rank`` on PostgreSQL) and return
a snippet whose matches are marked: :attr:`Hit.snippet` is a list of (text, matched) pieces,
so a page can escape the text and mark the matches without trusting any HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import text

from stancemap.store.db import Store

START, STOP = "\x02", "\x03"
_TERM = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


@dataclass(frozen=True)
class Hit:
    id: str
    date: dt.date
    source: str
    title: str
    snippet: list[tuple[str, bool]]


def fts5_query(query: str) -> str:
    """The user's words and "phrases" as an FTS5 query, every term quoted (implicit AND)."""
    terms = []
    for m in _TERM.finditer(query):
        words = re.findall(r"\w+", m.group(1)) if m.group(1) is not None else [m.group(2)]
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


def _pieces(snippet: str) -> list[tuple[str, bool]]:
    out, pos = [], 0
    for m in re.finditer(f"{START}(.*?){STOP}", snippet, re.S):
        if m.start() > pos:
            out.append((snippet[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(snippet):
        out.append((snippet[pos:], False))
    return [(t.replace(START, "").replace(STOP, ""), hit) for t, hit in out]


def _filters(source: str | None, since: dt.date | None, until: dt.date | None, alias: str) -> tuple[str, dict]:
    sql, params = "", {}
    if source:
        sql += f" AND {alias}.source = :source"
        params["source"] = source
    if since:
        sql += f" AND {alias}.date >= :since"
        params["since"] = since
    if until:
        sql += f" AND {alias}.date <= :until"
        params["until"] = until
    return sql, params


def search_articles(store: Store, query: str, *, source: str | None = None, since: dt.date | None = None,
                    until: dt.date | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
    """The articles matching ``query`` (and the filters), best first."""
    if not query.strip():
        return []
    where, params = _filters(source, since, until, "a")
    params.update(limit=limit, offset=offset)
    if store.engine.dialect.name == "postgresql":
        params["q"] = query
        sql = text(
            "SELECT h.id, h.date, h.source, h.title, ts_headline('english', h.text, q.query, "
            "'StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"') "
            "FROM (SELECT a.id, a.date, a.source, a.title, a.text, ts_rank(a.search_tsv, q.query) AS rank "
            "FROM articles a, websearch_to_tsquery('english', :q) AS q(query) "
            f"WHERE a.search_tsv @@ q.query{where} ORDER BY rank DESC, a.id LIMIT :limit OFFSET :offset) AS h, "
            "websearch_to_tsquery('english', :q) AS q(query) ORDER BY h.rank DESC, h.id")
    else:
        params["q"] = fts5_query(query)
        if not params["q"]:
            return []
        sql = text(
            "SELECT a.id, a.date, a.source, a.title, snippet(articles_fts, 1, '\x02', '\x03', ' … ', 24) "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            f"WHERE articles_fts MATCH :q{where} ORDER BY articles_fts.rank, a.id LIMIT :limit OFFSET :offset")
    with store.engine.connect() as conn:
        rows = conn.execute(sql, params).all()
    return [Hit(r[0], r[1] if isinstance(r[1], dt.date) else dt.date.fromisoformat(str(r[1])[:10]),
                r[2] or "", r[3] or "", _pieces(r[4] or "")) for r in rows]

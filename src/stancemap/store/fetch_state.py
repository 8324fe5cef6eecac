"""The last fetch of each URL: its status, ETag and Last-Modified (conditional GET), and the
article it gave; what ``fetch`` and ``watch`` read to skip pages already stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, insert, select

from stancemap.store.schema import fetched


def get(conn: Connection, url: str) -> dict | None:
    row = conn.execute(select(fetched).where(fetched.c.url == url[:2000])).mappings().first()
    return dict(row) if row else None


def put(conn: Connection, url: str, *, kind: str, status: int, etag: str = "", last_modified: str = "",
        article_id: str | None = None, note: str = "") -> None:
    conn.execute(delete(fetched).where(fetched.c.url == url[:2000]))
    conn.execute(insert(fetched).values(url=url[:2000], kind=kind, status=status, etag=etag or "",
                                        last_modified=last_modified or "", article_id=article_id, note=note[:2000],
                                        fetched_at=dt.datetime.now(dt.timezone.utc)))

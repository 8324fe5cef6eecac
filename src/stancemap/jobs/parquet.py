"""Export stored claims (and articles' metadata) to Parquet, a batch at a time.

For bulk analysis outside stancemap: ``pandas.read_parquet``, ``arrow::read_parquet``
in R, DuckDB, Spark. Rows are read with a streaming cursor and written one row group
per batch, so memory stays flat whatever the store holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import and_, select

from stancemap.errors import StoreError
from stancemap.store import Store
from stancemap.store.db import claim_filters
from stancemap.store.schema import articles, claims

CLAIM_SCHEMA = pa.schema([
    ("id", pa.int64()), ("article_id", pa.string()), ("codebook", pa.string()), ("date", pa.date32()),
    ("actor", pa.string()), ("issue", pa.string()), ("stance", pa.string()), ("evidence", pa.string()),
    ("ev_start", pa.int32()), ("ev_end", pa.int32()), ("speaker", pa.string()), ("cue", pa.string()),
    ("object", pa.string()), ("confidence", pa.float32()), ("extractor", pa.string()),
    ("extractor_version", pa.string()), ("status", pa.string()), ("note", pa.string()),
    ("source", pa.string()),
])
ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("date", pa.date32()), ("source", pa.string()), ("title", pa.string()),
    ("url", pa.string()), ("fingerprint", pa.string()), ("n_chars", pa.int32()),
])
ARTICLE_TEXT_FIELD = pa.field("text", pa.string())


def _batches(store: Store, query, size: int) -> Iterator[list[dict]]:
    """Rows of ``query`` in lists of ``size``, through a server-side cursor where there is one."""
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
        for part in result.mappings().partitions(size):
            yield [dict(r) for r in part]


def _write(path: Path, schema: pa.Schema, batches: Iterator[list[dict]], row, *,
           compression: str, progress: Callable[[int], None] | None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with pq.ParquetWriter(str(path), schema, compression=compression) as writer:
        for rows in batches:
            writer.write_batch(pa.RecordBatch.from_pylist([row(r) for r in rows], schema=schema))
            n += len(rows)
            if progress:
                progress(len(rows))
    return n


def export_claims_parquet(
    store: Store,
    path: str | Path,
    *,
    codebook: str | None = None,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_rejected: bool = False,
    batch_size: int = 50_000,
    compression: str = "zstd",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the matching claims (all columns of the ``claims`` table) to ``path``. Returns rows."""
    conds = claim_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until,
                          include_rejected=include_rejected)
    query = select(*[claims.c[name] for name in CLAIM_SCHEMA.names])
    if conds:
        query = query.where(and_(*conds))
    query = query.order_by(claims.c.id)
    try:
        return _write(Path(path), CLAIM_SCHEMA, _batches(store, query, batch_size), lambda r: r,
                      compression=compression, progress=progress)
    except (OSError, pa.ArrowException) as e:
        raise StoreError(f"cannot write Parquet file {path}: {e}") from None


def export_articles_parquet(
    store: Store,
    path: str | Path,
    *,
    text: bool = False,
    batch_size: int = 10_000,
    compression: str = "zstd",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write every stored article's metadata (and its text if ``text``) to ``path``. Returns rows."""
    schema = ARTICLE_SCHEMA.append(ARTICLE_TEXT_FIELD) if text else ARTICLE_SCHEMA
    query = select(articles.c.id, articles.c.date, articles.c.source, articles.c.title, articles.c.url,
                   articles.c.fingerprint, articles.c.text).order_by(articles.c.id)

    def row(r: dict) -> dict:
        r["n_chars"] = len(r["text"])
        if not text:
            del r["text"]
        return r

    try:
        return _write(Path(path), schema, _batches(store, query, batch_size), row,
                      compression=compression, progress=progress)
    except (OSError, pa.ArrowException) as e:
        raise StoreError(f"cannot write Parquet file {path}: {e}") from None

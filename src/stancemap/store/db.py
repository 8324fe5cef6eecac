"""The Store: one object over one database, with the few operations the product needs.

Writes are idempotent: an article whose text (``fingerprint``) is stored is not stored
again, and an article's claims are written with its ``extractions`` mark in one
transaction, so re-running or resuming a job neither loses nor duplicates claims.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, and_, create_engine, delete, event, func, insert, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from stancemap.errors import InputError, StoreError
from stancemap.model import Article, Claim, Codebook, Stance
from stancemap.store import counts, fetch_state, stories
from stancemap.store.articles import Incoming, insert_articles
from stancemap.store.dna import DnaStoreMixin
from stancemap.store.schema import articles, claim_reviews, claims, codebooks, extractions

DEFAULT_URL = "sqlite:///stancemap.db"
STATUSES = ("machine", "accepted", "rejected", "edited", "human")
"""``machine``: as extracted; ``accepted``/``rejected``/``edited``: reviewed; ``human``: coded by a
person (imported), never replaced by extraction."""


def resolve_url(url: str | None) -> str:
    """``--db`` wins, then ``STANCEMAP_DB``, then ``./stancemap.db``. A bare path means SQLite."""
    url = url or os.environ.get("STANCEMAP_DB") or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@dataclass
class IngestReport:
    """What an ingest did: counts, and every rejected record with its reason."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: list[InputError] = field(default_factory=list)
    renamed: int = 0      # stored under a qualified id (their id was another source's)
    conflicts: int = 0    # not stored: same id, same source and origin, another text (in ``rejected``)
    reprints: int = 0     # joined the story of an earlier article (near-duplicates)


def _insert_ignore(engine: Engine, table):
    """An INSERT that skips rows conflicting with a unique key, in the engine's dialect."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("IGNORE")


class Store(DnaStoreMixin):
    """A stancemap database. ``Store.open(url)`` connects and migrates to the latest schema.

    DNA projects' methods (``save_dna_project``, ``save_dna_documents``...) come from
    :class:`~stancemap.store.dna.DnaStoreMixin`.
    """

    def __init__(self, engine: Engine):
        self.engine = engine

    # ------------------------------------------------------------------ setup
    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> "Store":
        url = resolve_url(url)
        try:
            engine = create_engine(url, future=True, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError, ValueError) as e:
            raise StoreError(f"cannot open database {url!r}: {e}") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            db_path = engine.url.database
            if db_path and db_path != ":memory:":
                Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with Alembic (a no-op when it is already there)."""
        cfg = Config(str(resources.files("stancemap.store") / "alembic.ini"))
        cfg.set_main_option("script_location", str(resources.files("stancemap.store") / "migrations"))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except OperationalError as e:
            raise StoreError(f"cannot migrate {self.engine.url!r}: {e.orig}") from None

    def close(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------- ingest
    def add_articles(self, records: Iterable, *, batch: int = 500, progress=None) -> IngestReport:
        """Store articles from ``ingest`` records; bad records and id conflicts go to ``report.rejected``."""
        report = IngestReport()
        chunk: list[Incoming] = []
        for rec in records:
            if rec.error is not None:
                report.rejected.append(rec.error)
            else:
                report.read += 1
                chunk.append(Incoming(rec.article, getattr(rec, "where", ""), getattr(rec, "origin", "")))
            if len(chunk) >= batch:
                self._insert_articles(chunk, report)
                chunk = []
            if progress:
                progress()
        if chunk:
            self._insert_articles(chunk, report)
        report.duplicates = report.read - report.added - report.conflicts
        return report

    def _insert_articles(self, items: Sequence[Incoming], report: IngestReport) -> None:
        with self.engine.begin() as conn:
            added, renamed, conflicts = insert_articles(conn, items, lambda t: _insert_ignore(self.engine, t))
        report.added += added
        report.renamed += renamed
        report.conflicts += len(conflicts)
        report.rejected.extend(conflicts)

    # ---------------------------------------------------------------- reprints
    def unsigned_articles(self, *, batch: int = 500) -> list[tuple[str, str]]:
        """(id, text) of up to ``batch`` articles not yet in the reprint index, oldest first."""
        with self.engine.connect() as conn:
            return stories.unsigned(conn, batch)

    def add_signatures(self, items, *, threshold: float) -> int:
        """Index (article id, MinHash bytes, band keys) and group each with its reprints; see store.stories."""
        with self.engine.begin() as conn:
            return stories.assign(conn, items, threshold)

    def story_groups(self, *, min_size: int = 2, limit: int = 50, article_id: str | None = None) -> list[list[dict]]:
        with self.engine.connect() as conn:
            return list(stories.groups(conn, min_size=min_size, limit=limit, article_id=article_id))

    # ------------------------------------------------------------ fetch state
    def fetch_state(self, url: str) -> dict | None:
        with self.engine.connect() as conn:
            return fetch_state.get(conn, url)

    def save_fetch_state(self, url: str, **values) -> None:
        with self.engine.begin() as conn:
            fetch_state.put(conn, url, **values)

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    def article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return _article(row) if row else None

    def iter_articles(self, *, batch: int = 200) -> Iterator[Article]:
        """Every stored article, in id order, a batch at a time (constant memory)."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(articles).where(articles.c.id > last).order_by(articles.c.id).limit(batch)
                ).mappings().all()
            if not rows:
                return
            for r in rows:
                yield _article(r)
            last = rows[-1]["id"]

    # ------------------------------------------------------------- extraction
    def save_codebook(self, codebook: Codebook) -> str:
        fp = codebook.fingerprint
        with self.engine.begin() as conn:
            conn.execute(_insert_ignore(self.engine, codebooks),
                         [{"fingerprint": fp, "name": codebook.name, "body": codebook.model_dump_json()}])
        return fp

    def latest_codebook(self) -> str | None:
        """The fingerprint of the codebook most recently extracted with."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(extractions.c.codebook).order_by(extractions.c.done_at.desc()).limit(1)
            ).scalar_one_or_none()

    def codebook(self, fingerprint: str) -> Codebook | None:
        with self.engine.connect() as conn:
            body = conn.execute(select(codebooks.c.body).where(codebooks.c.fingerprint == fingerprint)).scalar_one_or_none()
        return Codebook.model_validate_json(body) if body else None

    def count_pending(self, codebook: str, version: str) -> int:
        done = select(extractions.c.article_id).where(
            and_(extractions.c.codebook == codebook, extractions.c.extractor_version == version))
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(articles).where(articles.c.id.not_in(done))).scalar_one()

    def pending_articles(self, codebook: str, version: str, *, batch: int = 200) -> Iterator[list[Article]]:
        """Batches of articles not yet extracted with this codebook and extractor version."""
        last = ""
        while True:
            done = select(extractions.c.article_id).where(
                and_(extractions.c.codebook == codebook, extractions.c.extractor_version == version))
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(articles).where(and_(articles.c.id > last, articles.c.id.not_in(done)))
                    .order_by(articles.c.id).limit(batch)
                ).mappings().all()
            if not rows:
                return
            yield [_article(r) for r in rows]
            last = rows[-1]["id"]

    def save_extractions(self, codebook: str, version: str, results: Iterable[tuple[Article, list[Claim]]]) -> int:
        """Write each article's claims and its done-mark in one transaction. Returns claims written.

        An article already marked done for (codebook, version) is skipped, so a result computed
        twice (a retried worker) is written once. Older machine claims of the same article and
        codebook (an earlier extractor version) are replaced; reviewed claims are kept. The
        day counts (``claim_counts``) of every claim written or replaced are recomputed in the
        same transaction.
        """
        written = 0
        results = list(results)
        if not results:
            return 0
        ids = [a.id for a, _ in results]
        with self.engine.begin() as conn:
            done = set(conn.execute(select(extractions.c.article_id).where(and_(
                extractions.c.codebook == codebook, extractions.c.extractor_version == version,
                extractions.c.article_id.in_(ids)))).scalars())
            todo = [(a, cs) for a, cs in results if a.id not in done]
            if not todo:
                return 0
            todo_ids = [a.id for a, _ in todo]
            replaced = and_(claims.c.article_id.in_(todo_ids), claims.c.codebook == codebook,
                            claims.c.extractor_version != version, claims.c.status == "machine")
            touched = counts.touched_keys(conn, replaced)
            conn.execute(delete(claims).where(replaced))
            conn.execute(delete(extractions).where(and_(
                extractions.c.article_id.in_(todo_ids), extractions.c.codebook == codebook)))
            rows = [_claim_row(c, codebook, a.source) for a, cs in todo for c in cs]
            if rows:
                for r in rows:
                    r["evidence_hash"] = counts.story_hash(r["evidence"])
                conn.execute(_insert_ignore(self.engine, claims), rows)
                written = len(rows)
                touched += [counts.Touched(codebook, r["actor"], r["issue"], r["stance"], r["date"],
                                           r["evidence_hash"]) for r in rows]
            conn.execute(insert(extractions), [
                {"article_id": a.id, "codebook": codebook, "extractor_version": version, "n_claims": len(cs)}
                for a, cs in todo])
            counts.refresh_counts(conn, touched)
        return written

    # ----------------------------------------------------------------- queries
    def claims(
        self,
        *,
        codebook: str | None = None,
        actors: Sequence[str] | None = None,
        issues: Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        include_rejected: bool = False,
        mapped_only: bool = True,
        limit: int | None = None,
    ) -> list[dict]:
        """Stored claims as dicts (the columns of ``claims``), oldest first."""
        q = select(claims)
        conds = claim_filters(codebook=codebook, actors=actors, issues=issues, since=since, until=until,
                              include_rejected=include_rejected, mapped_only=mapped_only)
        if conds:
            q = q.where(and_(*conds))
        q = q.order_by(claims.c.date, claims.c.article_id, claims.c.ev_start, claims.c.id)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def count_claims(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(claims)).scalar_one()

    def review_queue(self, *, limit: int = 20, max_confidence: float = 1.0) -> list[dict]:
        """Unreviewed machine claims, least confident first."""
        q = (select(claims).where(and_(claims.c.status == "machine", claims.c.confidence <= max_confidence))
             .order_by(claims.c.confidence, claims.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def set_status(self, claim_id: int, status: str, *, note: str = "", reviewer: str = "",
                   at: dt.datetime | None = None, **changes) -> bool:
        """Review a claim: accept, reject, or edit (``actor``/``issue``/``stance`` changes).

        The claim keeps the latest decision (``status``, ``reviewer``, ``reviewed_at``); every
        decision is also appended to ``claim_reviews`` with the values before and after it.
        """
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        at = at or dt.datetime.now(dt.timezone.utc)
        values = {"status": status, "note": note, "reviewer": reviewer, "reviewed_at": at}
        for k in ("actor", "issue", "stance"):
            if changes.get(k):
                values[k] = Stance(changes[k]).value if k == "stance" else changes[k]
        with self.engine.begin() as conn:
            prev = conn.execute(select(claims.c.status, claims.c.actor, claims.c.issue, claims.c.stance)
                                .where(claims.c.id == claim_id)).mappings().first()
            if prev is None:
                return False
            before = counts.touched_keys(conn, claims.c.id == claim_id)
            conn.execute(update(claims).where(claims.c.id == claim_id).values(**values))
            counts.refresh_counts(conn, before + counts.touched_keys(conn, claims.c.id == claim_id))
            conn.execute(insert(claim_reviews).values(
                claim_id=claim_id, at=at, reviewer=reviewer, status=status,
                actor=values.get("actor", prev["actor"]), issue=values.get("issue", prev["issue"]),
                stance=values.get("stance", prev["stance"]), prev_status=prev["status"],
                prev_actor=prev["actor"], prev_issue=prev["issue"], prev_stance=prev["stance"], note=note))
        return True

    def reviewed(self) -> list[tuple[str, Article, list[dict]]]:
        """(codebook fingerprint, article, all its claims of that codebook) for every article with at
        least one reviewed or human claim: what ``stancemap train --db`` learns from."""
        decided = ("accepted", "edited", "rejected", "human")
        with self.engine.connect() as conn:
            keys = conn.execute(select(claims.c.codebook, claims.c.article_id).where(claims.c.status.in_(decided))
                                .distinct().order_by(claims.c.codebook, claims.c.article_id)).all()
            out = []
            for cb, aid in keys:
                row = conn.execute(select(articles).where(articles.c.id == aid)).mappings().first()
                rows = conn.execute(select(claims).where(and_(claims.c.article_id == aid, claims.c.codebook == cb))
                                    .order_by(claims.c.id)).mappings().all()
                out.append((cb, _article(row), [dict(r) for r in rows]))
        return out

    def review_history(self, claim_id: int) -> list[dict]:
        """Every decision on a claim, oldest first."""
        q = select(claim_reviews).where(claim_reviews.c.claim_id == claim_id).order_by(
            claim_reviews.c.at, claim_reviews.c.id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]


def claim_filters(
    *,
    codebook: str | None = None,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_rejected: bool = False,
    mapped_only: bool = False,
) -> list:
    """The WHERE conditions every claim query shares (rejected claims leave by default)."""
    conds = []
    if codebook:
        conds.append(claims.c.codebook == codebook)
    if actors:
        conds.append(claims.c.actor.in_(list(actors)))
    if issues:
        conds.append(claims.c.issue.in_(list(issues)))
    if since:
        conds.append(claims.c.date >= since)
    if until:
        conds.append(claims.c.date <= until)
    if not include_rejected:
        conds.append(claims.c.status != "rejected")
    if mapped_only:
        conds.append(claims.c.issue.is_not(None))
    return conds


def _article(row) -> Article:
    return Article(id=row["id"], date=row["date"], source=row["source"], title=row["title"],
                   url=row["url"], text=row["text"])


def _claim_row(c: Claim, codebook: str, source: str) -> dict:
    return {
        "article_id": c.article_id, "codebook": codebook, "date": c.date, "actor": c.actor,
        "issue": c.issue, "stance": c.stance.value, "evidence": c.evidence, "ev_start": c.start,
        "ev_end": c.end, "speaker": c.speaker, "cue": c.cue, "object": c.object,
        "confidence": c.confidence, "extractor": c.extractor, "extractor_version": c.extractor_version,
        "status": "machine", "note": "", "source": source,
    }

"""The store's side of DNA interop: keep what a Discourse Network Analyzer file holds.

An imported ``.dna`` file becomes articles and claims (status ``human``, never replaced by
extraction), and also rows of ``dna_projects`` / ``dna_documents`` / ``dna_statements``
(migration 0005) with everything claims have no place for, so that exporting gives the
file back. :class:`DnaStoreMixin` is part of :class:`~stancemap.store.db.Store`.

Writes are idempotent: a document or statement already stored for the project (same DNA id)
is skipped, and a claim identical to a stored one (a span coded twice alike) is linked, not
duplicated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, func, insert, select, update

from stancemap.model import Article, Claim, Codebook
from stancemap.store import counts
from stancemap.store.schema import articles, claims, dna_documents, dna_projects, dna_statements, extractions

DNA_EXTRACTOR = "dna"
"""``claims.extractor`` and ``extractor_version`` of claims imported from DNA."""


@dataclass(frozen=True)
class KeptDocument:
    """A DNA document: its fields, and the article it becomes (``None``: no text to keep)."""

    dna_id: int
    article: Article | None
    title: str
    coder: int | None
    author: str
    source: str
    section: str
    notes: str
    type: str
    date: int
    lead: int = 0
    text: str | None = None  # DNA's text where it differs from the article's


@dataclass(frozen=True)
class KeptStatement:
    """A DNA statement as DNA had it, and the claim it becomes (``None``: none)."""

    dna_id: int
    type: int
    document: int
    start: int
    stop: int
    coder: int | None
    data: tuple[tuple[str, int, int, int | str], ...]
    claim: Claim | None = None
    status: str = "human"
    reviewer: str = ""


@dataclass
class DnaSaved:
    """What one save added."""

    documents: int = 0
    statements: int = 0
    claims: int = 0
    linked: int = 0  # statements whose claim was already stored (the same span coded alike)
    kept: int = 0    # statements without a claim (other types, no organization)
    articles: list[str] = field(default_factory=list)


def _chunks(items: Sequence, n: int = 500):
    for i in range(0, len(items), n):
        yield items[i:i + n]


class DnaStoreMixin:
    """Store methods for DNA projects (see the module's docstring)."""

    engine: object

    # ---------------------------------------------------------------- projects
    def save_dna_project(self, name: str, codebook: Codebook, *, statement_type: int, body: dict) -> str:
        """Store (or update) a project's set-up and its codebook; returns the codebook's fingerprint."""
        fp = self.save_codebook(codebook)
        values = {"codebook": fp, "statement_type": statement_type, "body": json.dumps(body, ensure_ascii=False),
                  "imported_at": dt.datetime.now(dt.timezone.utc)}
        with self.engine.begin() as conn:
            old = conn.execute(select(dna_projects.c.codebook).where(dna_projects.c.name == name)).scalar_one_or_none()
            if old is None:
                conn.execute(insert(dna_projects).values(name=name, **values))
            else:
                conn.execute(update(dna_projects).where(dna_projects.c.name == name).values(**values))
                if old != fp:
                    self._move_to_codebook(conn, name, old, fp)
        return fp

    @staticmethod
    def _move_to_codebook(conn, project: str, old: str, new: str) -> None:
        """The project's codebook changed (new concepts or organizations in DNA): its claims and
        their extraction marks move to the new one, so that they stay one body of coding."""
        ids = select(dna_statements.c.claim_id).where(and_(
            dna_statements.c.project == project, dna_statements.c.claim_id.is_not(None)))
        before = counts.touched_keys(conn, and_(claims.c.id.in_(ids), claims.c.codebook == old))
        conn.execute(update(claims).where(and_(claims.c.id.in_(ids), claims.c.codebook == old)).values(codebook=new))
        after = counts.touched_keys(conn, and_(claims.c.id.in_(ids), claims.c.codebook == new))
        counts.refresh_counts(conn, before + after)
        arts = select(dna_documents.c.article_id).where(and_(
            dna_documents.c.project == project, dna_documents.c.article_id.is_not(None)))
        conn.execute(update(extractions).where(and_(
            extractions.c.codebook == old, extractions.c.extractor_version == DNA_EXTRACTOR,
            extractions.c.article_id.in_(arts))).values(codebook=new, done_at=func.now()))

    def dna_projects(self) -> list[dict]:
        """Every imported project (name, codebook, statement_type, imported_at), latest first."""
        q = select(dna_projects.c.name, dna_projects.c.codebook, dna_projects.c.statement_type,
                   dna_projects.c.imported_at).order_by(dna_projects.c.imported_at.desc(), dna_projects.c.name)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def dna_project(self, name: str) -> dict | None:
        """A project with its ``body`` (the file's small tables) decoded."""
        with self.engine.connect() as conn:
            row = conn.execute(select(dna_projects).where(dna_projects.c.name == name)).mappings().first()
        if row is None:
            return None
        return {**dict(row), "body": json.loads(row["body"])}

    def article_by_fingerprint(self, fingerprint: str) -> Article | None:
        from stancemap.store.db import _article

        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.fingerprint == fingerprint)).mappings().first()
        return _article(row) if row else None

    # ------------------------------------------------------------------ saving
    def save_dna_documents(self, project: str, codebook: str,
                           items: Sequence[tuple[KeptDocument, Sequence[KeptStatement]]]) -> DnaSaved:
        """Store documents with their statements, in one transaction (see the module's docstring)."""
        saved = DnaSaved()
        if not items:
            return saved
        with self.engine.begin() as conn:
            have_docs = self._have(conn, dna_documents, project, [d.dna_id for d, _ in items])
            have_stmts = self._have(conn, dna_statements, project, [s.dna_id for _, ss in items for s in ss])
            new_docs = [d for d, _ in items if d.dna_id not in have_docs]
            self._insert_articles_of(conn, new_docs)
            if new_docs:
                conn.execute(insert(dna_documents), [_document_row(project, d) for d in new_docs])
            new = [s for _, ss in items for s in ss if s.dna_id not in have_stmts]
            ids = self._insert_claims(conn, codebook, [s for s in new if s.claim is not None], saved)
            if new:
                conn.execute(insert(dna_statements), [_statement_row(project, s, ids) for s in new])
            self._mark_extracted(conn, codebook, new)
        saved.documents, saved.statements = len(new_docs), len(new)
        saved.linked = sum(1 for s in new if s.claim is not None) - saved.claims
        saved.kept = sum(1 for s in new if s.claim is None)
        return saved

    @staticmethod
    def _have(conn, table, project: str, ids: list[int]) -> set[int]:
        out: set[int] = set()
        for chunk in _chunks(ids):
            out |= set(conn.execute(select(table.c.dna_id).where(and_(
                table.c.project == project, table.c.dna_id.in_(chunk)))).scalars())
        return out

    def _insert_articles_of(self, conn, docs: Sequence[KeptDocument]) -> None:
        from stancemap.store.db import _insert_ignore

        rows = {d.article.fingerprint: d.article for d in docs if d.article is not None}
        if rows:
            conn.execute(_insert_ignore(self.engine, articles), [
                {"id": a.id, "date": a.date, "source": a.source, "title": a.title, "url": a.url, "text": a.text,
                 "fingerprint": fp} for fp, a in rows.items()])

    def _insert_claims(self, conn, codebook: str, stmts: Sequence[KeptStatement], saved: DnaSaved) -> dict:
        """Insert the statements' claims (identical ones once); the claim id of each statement."""
        from stancemap.store.db import _claim_row, _insert_ignore

        if not stmts:
            return {}
        rows = []
        for s in stmts:
            r = _claim_row(s.claim, codebook, "")
            r.update(status=s.status, reviewer=s.reviewer, evidence_hash=counts.story_hash(s.claim.evidence))
            rows.append(r)
        art_ids = sorted({r["article_id"] for r in rows})
        sources = dict(conn.execute(select(articles.c.id, articles.c.source).where(articles.c.id.in_(art_ids))).all())
        for r in rows:
            r["source"] = sources.get(r["article_id"], "")
        before = self._dna_claim_ids(conn, codebook, art_ids)
        conn.execute(_insert_ignore(self.engine, claims), rows)
        after = self._dna_claim_ids(conn, codebook, art_ids)
        saved.claims += len(after) - len(before)
        counts.refresh_counts(conn, [counts.Touched(codebook, r["actor"], r["issue"], r["stance"], r["date"],
                                                    r["evidence_hash"]) for r in rows])
        return {s.dna_id: after.get(_identity(r)) for s, r in zip(stmts, rows)}

    @staticmethod
    def _dna_claim_ids(conn, codebook: str, art_ids: list[str]) -> dict[tuple, int]:
        c = claims.c
        out = {}
        for chunk in _chunks(art_ids):
            q = select(c.id, c.article_id, c.actor, c.issue, c.stance, c.ev_start).where(and_(
                c.article_id.in_(chunk), c.codebook == codebook, c.extractor_version == DNA_EXTRACTOR))
            for r in conn.execute(q).mappings():
                out[_identity(r)] = r["id"]
        return out

    def _mark_extracted(self, conn, codebook: str, stmts: Sequence[KeptStatement]) -> None:
        """An ``extractions`` mark per article coded in DNA: analyses then read the DNA codebook."""
        from stancemap.store.db import _insert_ignore

        per: dict[str, int] = {}
        for s in stmts:
            if s.claim is not None:
                per[s.claim.article_id] = per.get(s.claim.article_id, 0) + 1
        if per:
            conn.execute(_insert_ignore(self.engine, extractions), [
                {"article_id": a, "codebook": codebook, "extractor_version": DNA_EXTRACTOR, "n_claims": n}
                for a, n in per.items()])

    # ----------------------------------------------------------------- reading
    def iter_dna_documents(self, project: str, *, batch: int = 200) -> Iterator[dict]:
        """A project's documents in DNA id order, each with its article's ``article_text`` etc."""
        d, a = dna_documents.c, articles.c
        last = -1
        while True:
            q = (select(dna_documents, a.text.label("article_text"), a.url.label("article_url"))
                 .select_from(dna_documents.outerjoin(articles, a.id == d.article_id))
                 .where(and_(d.project == project, d.dna_id > last)).order_by(d.dna_id).limit(batch))
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(q).mappings()]
            if not rows:
                return
            yield from rows
            last = rows[-1]["dna_id"]

    def iter_dna_statements(self, project: str, *, batch: int = 1000) -> Iterator[dict]:
        """A project's statements in DNA id order, with their claim's current values (``c_*``)."""
        s, c = dna_statements.c, claims.c
        cols = [c.status.label("c_status"), c.actor.label("c_actor"), c.issue.label("c_issue"),
                c.stance.label("c_stance"), c.reviewer.label("c_reviewer"), c.speaker.label("c_speaker")]
        last = -1
        while True:
            q = (select(dna_statements, *cols).select_from(dna_statements.outerjoin(claims, c.id == s.claim_id))
                 .where(and_(s.project == project, s.dna_id > last)).order_by(s.dna_id).limit(batch))
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(q).mappings()]
            if not rows:
                return
            for r in rows:
                r["data"] = json.loads(r["data"])
            yield from rows
            last = rows[-1]["dna_id"]

    def unlinked_claims(self, codebook: str, project: str | None, *, batch: int = 1000, **filters) -> Iterator[dict]:
        """Claims of ``codebook`` that no statement of ``project`` came from, in id order.

        ``filters`` are :func:`~stancemap.store.db.claim_filters`' (rejected claims leave).
        """
        from stancemap.store.db import claim_filters

        conds = claim_filters(codebook=codebook, mapped_only=True, **filters)
        if project is not None:
            linked = select(dna_statements.c.claim_id).where(and_(
                dna_statements.c.project == project, dna_statements.c.claim_id.is_not(None)))
            conds.append(claims.c.id.not_in(linked))
        last = 0
        while True:
            q = select(claims).where(and_(claims.c.id > last, *conds)).order_by(claims.c.id).limit(batch)
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(q).mappings()]
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def count_dna(self, project: str) -> dict[str, int]:
        """How many documents and statements a project has (and how many became claims)."""
        with self.engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(dna_documents)
                                .where(dna_documents.c.project == project)).scalar_one()
            st, linked = conn.execute(select(func.count(), func.count(dna_statements.c.claim_id))
                                      .where(dna_statements.c.project == project)).one()
        return {"documents": docs, "statements": st, "with_claim": linked}


def _identity(r) -> tuple:
    return (r["article_id"], r["actor"], r["issue"], r["stance"], r["ev_start"])


def _document_row(project: str, d: KeptDocument) -> dict:
    return {"project": project, "dna_id": d.dna_id, "article_id": d.article.id if d.article else None,
            "title": d.title, "coder": d.coder, "author": d.author, "source": d.source, "section": d.section,
            "notes": d.notes, "type": d.type, "date": d.date, "lead": d.lead, "text": d.text}


def _statement_row(project: str, s: KeptStatement, ids: dict) -> dict:
    claim_id = ids.get(s.dna_id)
    c = s.claim
    return {"project": project, "dna_id": s.dna_id, "type": s.type, "document": s.document, "start": s.start,
            "stop": s.stop, "coder": s.coder, "data": json.dumps([list(v) for v in s.data], ensure_ascii=False),
            "claim_id": claim_id, "claim_actor": c.actor if c and claim_id else None,
            "claim_issue": c.issue if c and claim_id else None,
            "claim_stance": c.stance.value if c and claim_id else None}

"""Import a Discourse Network Analyzer file into a store: documents -> articles, statements -> claims.

The driver reads the file (:class:`~stancemap.ingest.dna.DnaFile`), builds the codebook from
its concepts and organizations (:mod:`stancemap.jobs.dna_mapping`), and stores, a few
documents per transaction:

- each document as an article (id ``dna-PROJECT-ID``, dated by DNA's date; a document whose
  text is already stored is linked to that article);
- each statement of the mapped type ("DNA Statement") with an organization as a claim: actor
  = the organization's actor, issue = the concept's issue (none for an empty concept), stance
  = agreement (1 support, 0 oppose; an integer agreement: above 0 support), speaker = person,
  evidence = the statement's span (without the whitespace around it). Its status is
  ``human`` with the DNA coder as reviewer; statements of a coder named "stancemap" (written
  by ``stancemap export --format dna``) come back as ``machine``;
- everything else as DNA had it (see :mod:`stancemap.store.dna`), for a lossless export.

Importing the same file again adds only what is new (documents and statements by DNA id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from stancemap.errors import InputError
from stancemap.ingest.dna import CodedDocument, DnaFile, DnaStatement
from stancemap.ingest.dna_schema import Offsets
from stancemap.jobs.dna_mapping import DnaCodebook, DnaMapping, build_codebook
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model import Article, Claim, Stance
from stancemap.store import Store
from stancemap.store.dna import DNA_EXTRACTOR, KeptDocument, KeptStatement

MACHINE_CODER = "stancemap"
"""The DNA coder stancemap's own (machine) claims are exported as."""
MACHINE_CONFIDENCE = 0.5
"""The confidence of machine claims coming back from DNA (DNA does not keep it)."""


@dataclass
class DnaImportReport:
    project: str
    codebook: str
    documents: int = 0
    statements: int = 0
    claims: int = 0
    linked: int = 0       # statements whose identical claim was stored already
    kept: int = 0         # statements kept for the round trip without a claim (other types, no organization)
    skipped: int = 0      # documents already imported
    rejected: list[InputError] = field(default_factory=list)
    from_kb: dict[str, str] = field(default_factory=dict)
    new_actors: list[str] = field(default_factory=list)


def _variables(tables: dict, mapping: DnaMapping, path: Path) -> tuple[int, dict[str, int | None]]:
    types = [t for t in tables["STATEMENTTYPES"] if t["Label"] == mapping.statement_type]
    if not types:
        have = ", ".join(repr(t["Label"]) for t in tables["STATEMENTTYPES"])
        raise InputError(str(path), f"no statement type {mapping.statement_type!r} (it has {have}); "
                                    "name yours with statement_type in a mapping file", field="STATEMENTTYPES.Label")
    tid = types[0]["ID"]
    own = {v["Variable"]: v for v in tables["VARIABLES"] if v["StatementTypeId"] == tid}
    out: dict[str, int | None] = {}
    for role, name in mapping.variables.items():
        v = own.get(name)
        if v is None and role in ("organization", "concept"):
            raise InputError(str(path), f"statement type {mapping.statement_type!r} has no variable {name!r} "
                                        f"(the {role}); name it with variables in a mapping file", field="VARIABLES.Variable")
        out[role] = v["ID"] if v else None
    return tid, out


@dataclass(frozen=True)
class _Doc:
    """A document being imported: its article, DNA's text, and how offsets map between them."""

    article: Article | None
    raw: str
    lead: int
    offsets: Offsets
    same: bool  # the article's text is DNA's without the whitespace around it


class _Importer:
    """One import: the file's codebook and the per-statement mapping onto claims."""

    def __init__(self, dna: DnaFile, store: Store, project: str, mapping: DnaMapping, kb: KnowledgeBase | None):
        self.dna, self.store, self.project = dna, store, project
        tables = dna.tables()
        self.type_id, self.vars = _variables(tables, mapping, dna.path)
        self.book: DnaCodebook = build_codebook(tables, self.vars, mapping, kb, f"dna:{project}")
        self.entities = {e["ID"]: str(e["Value"]) for e in tables["ENTITIES"]}
        self.coders = {c["ID"]: c["Name"] for c in tables["CODERS"]}
        agreement = next((v for v in tables["VARIABLES"] if v["ID"] == self.vars.get("agreement")), None)
        self.agreement_type = agreement["DataType"] if agreement else None
        body = {"tables": tables, "version": dna.version(), "file": dna.path.name, "roles": self.vars,
                "next_ids": {t: dna.max_id(t) + 1 for t in ("DOCUMENTS", "STATEMENTS", "DATABOOLEAN", "DATAINTEGER",
                                                            "DATASHORTTEXT", "DATALONGTEXT")}}
        self.unsaved: dict[str, Article] = {}  # articles of documents not saved yet, by fingerprint
        self.fp = store.save_dna_project(project, self.book.codebook, statement_type=self.type_id, body=body)

    def document(self, coded: CodedDocument) -> tuple[KeptDocument, list[KeptStatement]]:
        d = coded.document
        article, lead, raw = self._article(coded)
        kept = KeptDocument(dna_id=d.id, article=article, title=d.title, coder=d.coder, author=d.author,
                            source=d.source, section=d.section, notes=d.notes, type=d.type, date=d.date, lead=lead,
                            text=None if article is not None and article.text == d.text else raw)
        ctx = _Doc(article, d.text, lead, Offsets(d.text), article is not None and article.text == d.text.strip())
        return kept, [self.statement(s, ctx) for s in coded.statements]

    def _article(self, coded: CodedDocument) -> tuple[Article | None, int, str]:
        d = coded.document
        stripped = d.text.strip()
        if not stripped:
            return None, 0, d.text
        lead = len(d.text) - len(d.text.lstrip())
        try:
            mine = Article(id=f"dna-{self.project}-{d.id}", date=d.day, source=d.source, title=d.title, text=d.text)
        except ValidationError as e:
            coded.rejected.append(InputError(f"{self.dna.path}: DOCUMENTS ID={d.id}", e.errors()[0]["msg"], "Text"))
            return None, 0, d.text
        fp = mine.fingerprint
        stored = self.unsaved.get(fp) or self.store.article_by_fingerprint(fp)
        self.unsaved.setdefault(fp, stored or mine)
        return (stored or mine), lead, d.text

    def statement(self, s: DnaStatement, doc: "_Doc") -> KeptStatement:
        data = tuple((v.table, v.id, v.variable, v.value) for v in s.values)
        coder = self.coders.get(s.coder, "")
        machine = coder == MACHINE_CODER
        claim = self._claim(s, doc, machine) if s.type == self.type_id and doc.article else None
        return KeptStatement(dna_id=s.id, type=s.type, document=s.document, start=s.start, stop=s.stop, coder=s.coder,
                             data=data, claim=claim, status="machine" if machine else "human",
                             reviewer="" if machine else coder)

    def _claim(self, s: DnaStatement, doc: "_Doc", machine: bool) -> Claim | None:
        """The statement's claim; where the article stored is another copy of the text (other
        spacing or case), the evidence is found in it by its words."""
        org = s.value(self.vars["organization"])
        actor = self.book.actor_of.get(org) if org is not None else None
        if actor is None:
            return None
        concept = s.value(self.vars["concept"])
        issue = self.book.issue_of.get(concept) if concept is not None else None
        agree = s.value(self.vars["agreement"]) if self.vars.get("agreement") else None
        stance = Stance.SUPPORT if agree is None or int(agree) > 0 else Stance.OPPOSE
        start, end = doc.offsets.from_utf16(s.start), doc.offsets.from_utf16(s.stop)
        span = doc.raw[start:end]
        if not span.strip():
            return None
        article = doc.article
        text = article.text
        if doc.same:
            start, end = max(0, start - doc.lead), min(len(text), end - doc.lead)
            span = text[start:end]
            start += len(span) - len(span.lstrip())
            end -= len(span) - len(span.rstrip())
        else:
            found = text.find(span.strip())
            if found < 0:
                return None
            start, end = found, found + len(span.strip())
        person = s.value(self.vars["person"]) if self.vars.get("person") else None
        return Claim(article_id=article.id, date=article.date, actor=actor, issue=issue, stance=stance,
                     evidence=text[start:end], start=start, end=end, speaker=self.entities.get(person, "").strip(),
                     object=self.entities.get(concept, "").strip(),
                     confidence=MACHINE_CONFIDENCE if machine else 1.0, extractor=DNA_EXTRACTOR,
                     extractor_version=DNA_EXTRACTOR)


def project_name(path: str | Path) -> str:
    return Path(path).stem


def import_dna(store: Store, path: str | Path, *, project: str | None = None, mapping: DnaMapping | None = None,
               kb: KnowledgeBase | None = None, batch: int = 20,
               progress: Callable[[], None] | None = None) -> DnaImportReport:
    """Import a ``.dna`` file (see the module's docstring); bad statements go to ``rejected``."""
    project = project or project_name(path)
    with DnaFile(path) as dna:
        imp = _Importer(dna, store, project, mapping or DnaMapping(), kb)
        report = DnaImportReport(project, imp.fp, from_kb=imp.book.from_kb, new_actors=imp.book.new_actors)
        chunk = []
        for coded in dna.coded_documents():
            chunk.append(imp.document(coded))
            report.rejected += coded.rejected
            if len(chunk) >= batch:
                _save(store, imp, chunk, report)
                chunk = []
            if progress:
                progress()
        _save(store, imp, chunk, report)
        report.rejected += dna.orphans
    return report


def _save(store: Store, imp: _Importer, chunk: list, report: DnaImportReport) -> None:
    if not chunk:
        return
    saved = store.save_dna_documents(imp.project, imp.fp, chunk)
    imp.unsaved.clear()
    report.documents += saved.documents
    report.skipped += len(chunk) - saved.documents
    report.statements += saved.statements
    report.claims += saved.claims
    report.linked += saved.linked
    report.kept += saved.kept

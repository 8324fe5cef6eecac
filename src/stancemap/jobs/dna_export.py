"""Export a store's claims as a Discourse Network Analyzer file (DNA 3.0), which DNA opens.

One codebook's claims (the one last extracted or imported with, or ``codebook_id``) become
"DNA Statement"s: the actor as organization (the codebook's name for it), the speaker as
person, the issue's label as concept, the stance as agreement (1 support, 0 oppose), the
evidence as the statement's span of its document (the article, with its text). Machine
claims are coded by the coder "stancemap"; reviewed and human claims by their reviewer.
Rejected claims are left out.

When the codebook came from an imported DNA project, the file starts from that project: its
coders (colours, passwords, permissions), statement types, variables, entities with their
attributes, regexes, documents and statements, all with their DNA ids. A statement whose
claim was not changed since is written exactly as it was (a "stancemap" statement accepted
in review gets its reviewer as coder); one whose claim was edited gets
the new organization, concept and agreement and its reviewer as coder (its span and other
values stay); one whose claim was rejected, or replaced by a newer extraction (a "stancemap"
statement that came back from DNA unreviewed), is left out; claims added since (extracted
or coded in stancemap) are added. Importing the
sample file and exporting it gives the same file, table for table and row for row.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from stancemap.errors import StoreError
from stancemap.ingest.dna import date_to_epoch
from stancemap.ingest.dna_schema import Offsets
from stancemap.jobs.dna_import import MACHINE_CODER
from stancemap.jobs.dna_writer import DnaWriter
from stancemap.model import Codebook
from stancemap.store import Store

DEFAULT_PASSWORD = "stancemap"


@dataclass
class DnaExportReport:
    path: Path
    project: str | None
    codebook: str
    documents: int = 0
    statements: int = 0
    kept: int = 0       # statements written as DNA had them
    edited: int = 0     # statements whose claim was edited in stancemap
    added: int = 0      # claims that had no statement
    dropped: int = 0    # statements whose claim was rejected or replaced
    coders: list[str] = field(default_factory=list)
    truncated: int = 0  # values cut to DNA's 190 characters
    unplaced: int = 0   # claims whose evidence is not in DNA's copy of their document


@dataclass(frozen=True)
class _DocRef:
    dna_id: int
    lead: int
    raw: str | None       # DNA's text where it is not the article's
    aligned: bool = True  # DNA's text is the article's with white space around it


class _Exporter:
    def __init__(self, store: Store, writer: DnaWriter, book: Codebook | None, roles: dict[str, int | None],
                 type_id: int, agreement_type: str):
        self.store, self.w, self.book = store, writer, book
        self.roles, self.type_id, self.agreement_type = roles, type_id, agreement_type
        self.docs: dict[str, _DocRef] = {}
        self.coder_names = {c["ID"]: c["Name"] for c in writer.tables["CODERS"]}
        self._offsets: OrderedDict[str, tuple[Offsets, str]] = OrderedDict()

    # -------------------------------------------------------------- values
    def _org(self, actor: str) -> str:
        a = self.book.actor(actor) if self.book else None
        return a.name if a else actor

    def _concept(self, issue: str | None) -> str:
        i = self.book.issue(issue) if self.book and issue else None
        return i.label if i else (issue or "")

    def _agreement(self, stance: str) -> int:
        if stance == "support":
            return 1
        return -1 if self.agreement_type == "integer" else 0

    def values(self, *, person: str | None, actor: str, issue: str | None, stance: str, keep: dict | None = None):
        """The statement's values; ``keep`` (variable -> (table, row id)) reuses rows being replaced."""
        keep = keep or {}
        out = []
        r = self.roles
        pairs = [("organization", self._org(actor)), ("concept", self._concept(issue))]
        if person is not None:
            pairs.insert(0, ("person", person))
        for role, text in pairs:
            if r.get(role):
                out.append(("DATASHORTTEXT", keep.get(r[role], (None, None))[1], r[role], self.w.entity(r[role], text)))
        if r.get("agreement"):
            table = "DATAINTEGER" if self.agreement_type == "integer" else "DATABOOLEAN"
            out.append((table, keep.get(r["agreement"], (None, None))[1], r["agreement"], self._agreement(stance)))
        return out

    # ---------------------------------------------------------- documents
    def project_documents(self, project: str, report: DnaExportReport) -> None:
        for d in self.store.iter_dna_documents(project):
            text = d["text"] if d["text"] is not None else (d["article_text"] or "")
            self.w.document(id=d["dna_id"], title=d["title"], text=text, coder=d["coder"], date=d["date"],
                            author=d["author"], source=d["source"], section=d["section"], notes=d["notes"],
                            type=d["type"])
            if d["article_id"]:
                aligned = d["text"] is None or d["text"].strip() == d["article_text"]
                self.docs.setdefault(d["article_id"], _DocRef(d["dna_id"], d["lead"], d["text"], aligned))
            report.documents += 1

    def document_of(self, article_id: str, report: DnaExportReport) -> _DocRef:
        ref = self.docs.get(article_id)
        if ref is None:
            a = self.store.article(article_id)
            if a is None:
                raise StoreError(f"claim of article {article_id!r}, which is not stored")
            ref = self.docs[article_id] = _DocRef(self.w.take_id("DOCUMENTS"), 0, None)
            self.w.document(id=ref.dna_id, title=a.title or a.id, text=a.text, coder=self.w.coder(MACHINE_CODER),
                            date=date_to_epoch(a.date), source=a.source, notes=a.url)
            report.documents += 1
        return ref

    def span(self, article_id: str, ref: _DocRef, start: int, end: int, evidence: str) -> tuple[int, int]:
        """A claim's evidence offsets as DNA's offsets into the document's text (found by its
        words where DNA's copy of the text is spaced otherwise; (0, 0) if not there)."""
        if article_id not in self._offsets:
            text = ref.raw
            if text is None:
                a = self.store.article(article_id)
                text = a.text if a else ""
            self._offsets[article_id] = (Offsets(text), text)
            if len(self._offsets) > 64:
                self._offsets.popitem(last=False)
        offsets, text = self._offsets[article_id]
        if not ref.aligned:
            start = text.find(evidence)
            if start < 0:
                return 0, 0
            return offsets.to_utf16(start), offsets.to_utf16(start + len(evidence))
        return offsets.to_utf16(ref.lead + start), offsets.to_utf16(ref.lead + end)

    # --------------------------------------------------------- statements
    def project_statements(self, project: str, report: DnaExportReport) -> None:
        for s in self.store.iter_dna_statements(project):
            data = [tuple(v) for v in s["data"]]
            gone = s["claim_id"] is None and s["claim_actor"] is not None  # replaced by a newer extraction
            if gone or (s["claim_id"] is not None and s["c_status"] == "rejected"):
                report.dropped += 1
                continue
            unchanged = s["claim_id"] is None or (
                s["c_actor"] == s["claim_actor"] and s["c_issue"] == s["claim_issue"]
                and s["c_stance"] == s["claim_stance"])
            coder = s["coder"]
            if unchanged and s["c_status"] == "accepted" and self.coder_names.get(coder) == MACHINE_CODER:
                coder = self.w.coder(s["c_reviewer"] or "reviewer")  # stancemap's statement, now reviewed
            if not unchanged:
                keep = {v[2]: (v[0], v[1]) for v in data}
                mine = {self.roles.get(k) for k in ("organization", "concept", "agreement")}
                data = [v for v in data if v[2] not in mine] + self.values(
                    person=None, actor=s["c_actor"], issue=s["c_issue"], stance=s["c_stance"], keep=keep)
                coder = self.w.coder(s["c_reviewer"] or "reviewer")
                report.edited += 1
            else:
                report.kept += 1
            self.w.statement(id=s["dna_id"], type=s["type"], document=s["document"], start=s["start"], stop=s["stop"],
                             coder=coder, values=sorted(data, key=lambda v: v[2]))
            report.statements += 1

    def claims(self, codebook: str, project: str | None, report: DnaExportReport, filters: dict) -> None:
        for c in self.store.unlinked_claims(codebook, project, **filters):
            ref = self.document_of(c["article_id"], report)
            start, stop = self.span(c["article_id"], ref, c["ev_start"], c["ev_end"], c["evidence"])
            if start >= stop:
                report.unplaced += 1
                continue
            coder = MACHINE_CODER if c["status"] == "machine" else (c["reviewer"] or c["status"])
            self.w.statement(id=self.w.take_id("STATEMENTS"), type=self.type_id, document=ref.dna_id, start=start,
                             stop=stop, coder=self.w.coder(coder),
                             values=self.values(person=c["speaker"], actor=c["actor"], issue=c["issue"],
                                                stance=c["stance"]))
            report.added += 1
            report.statements += 1


def _base_project(store: Store, codebook: str, project: str | None) -> dict | None:
    if project:
        base = store.dna_project(project)
        if base is None:
            names = ", ".join(p["name"] for p in store.dna_projects()) or "none"
            raise StoreError(f"no DNA project {project!r} in this database (imported: {names})")
        return base
    for p in store.dna_projects():
        if p["codebook"] == codebook:
            return store.dna_project(p["name"])
    return None


def export_dna(store: Store, path: str | Path, *, codebook_id: str | None = None, project: str | None = None,
               password: str = DEFAULT_PASSWORD, actors=None, issues=None, since: dt.date | None = None,
               until: dt.date | None = None) -> DnaExportReport:
    """Write ``path`` as a DNA 3.0 file (see the module's docstring). ``password``: new coders'."""
    base = _base_project(store, codebook_id, project) if project else None
    projects = store.dna_projects()
    fp = codebook_id or (base["codebook"] if base else store.latest_codebook()) or (
        projects[0]["codebook"] if projects else None)  # an imported project without claims
    if not fp:
        raise StoreError("no claims to export yet: run `stancemap extract` or `stancemap import` first")
    base = base or _base_project(store, fp, None)
    if base is not None and base["codebook"] != fp:
        raise StoreError(f"DNA project {base['name']!r} has codebook {base['codebook']}, not {fp}")
    body = base["body"] if base else {}
    writer = DnaWriter(path, body.get("tables"), password=password, next_ids=body.get("next_ids"))
    report = DnaExportReport(Path(path), base["name"] if base else None, fp)
    try:
        roles = body.get("roles") or {"person": 1, "organization": 2, "concept": 3, "agreement": 4}
        variables = {v["ID"]: v for v in writer.tables["VARIABLES"]}
        agreement = variables.get(roles.get("agreement"), {}).get("DataType", "boolean")
        ex = _Exporter(store, writer, store.codebook(fp), roles, base["statement_type"] if base else 1, agreement)
        if base:
            ex.project_documents(base["name"], report)
            ex.project_statements(base["name"], report)
        ex.claims(fp, base["name"] if base else None, report,
                  {"actors": actors, "issues": issues, "since": since, "until": until})
        writer.finish()
    except BaseException:
        writer.abandon()
        raise
    report.coders = [c["Name"] for c in writer.tables["CODERS"]]
    report.truncated = writer.truncated
    return report

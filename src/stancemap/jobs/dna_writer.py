"""Writing a DNA 3.0 file: the schema, a project's set-up, documents and statements.

:class:`DnaWriter` creates the file with DNA's DDL (:mod:`stancemap.ingest.dna_schema`), starts
from a project's small tables (an imported project's, or a new project's as DNA creates it:
the Admin coder, the "DNA Statement" type with person, organization, concept and agreement,
the "Annotation" type) and streams documents and statements into it. Coders and entities are
added on first use, as DNA adds them: a coder with a colour, a password and every permission,
and relations to every other coder; an entity with an empty value for each attribute of its
variable. Everything is written in one transaction, foreign keys checked at commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from stancemap.errors import StancemapError
from stancemap.ingest.dna_schema import (
    CODER_PERMISSIONS,
    DDL,
    DNA_DATE,
    DNA_VERSION,
    MAX_SHORT,
    TABLES,
    columns_of,
    password_hash,
)

PALETTE = ((51, 153, 255), (255, 102, 102), (102, 255, 0), (255, 153, 0), (153, 102, 255), (0, 204, 204),
           (255, 51, 153), (153, 153, 0))


def coder_row(cid: int, name: str, rgb: tuple[int, int, int], password: str) -> dict:
    """A ``CODERS`` row with DNA's defaults and every permission."""
    row = {"ID": cid, "Name": name[:MAX_SHORT], "Red": rgb[0], "Green": rgb[1], "Blue": rgb[2], "Refresh": 0,
           "FontSize": 14, "Password": password_hash(password), "PopupWidth": 300, "ColorByCoder": 0,
           "PopupDecoration": 0, "PopupAutoComplete": 1}
    return {**row, **{f"Permission{p}": 1 for p in CODER_PERMISSIONS}}


def new_project_tables(password: str) -> dict[str, list[dict]]:
    """The small tables of a new DNA database, as DNA's ``createTables`` fills them."""
    short = [(1, "person"), (2, "organization"), (3, "concept")]
    return {
        "SETTINGS": [{"Property": "date", "Value": DNA_DATE}, {"Property": "version", "Value": DNA_VERSION}],
        "CODERS": [coder_row(1, "Admin", (255, 255, 0), password)],
        "STATEMENTTYPES": [{"ID": 1, "Label": "DNA Statement", "Red": 239, "Green": 208, "Blue": 51},
                           {"ID": 2, "Label": "Annotation", "Red": 211, "Green": 211, "Blue": 211}],
        "VARIABLES": [*({"ID": i, "Variable": v, "DataType": "short text", "StatementTypeId": 1} for i, v in short),
                      {"ID": 4, "Variable": "agreement", "DataType": "boolean", "StatementTypeId": 1},
                      {"ID": 5, "Variable": "note", "DataType": "long text", "StatementTypeId": 2}],
        "ATTRIBUTEVARIABLES": [{"ID": n, "VariableId": v, "AttributeVariable": a}
                               for n, (a, v) in enumerate(((a, v) for a in ("Type", "Alias", "Notes")
                                                           for v, _ in short), 1)],
        **{t: [] for t in ("VARIABLELINKS", "REGEXES", "CODERRELATIONS", "ENTITIES", "ATTRIBUTEVALUES")},
    }


class DnaWriter:
    """One ``.dna`` file being written (see the module's docstring)."""

    def __init__(self, path: str | Path, tables: dict[str, list[dict]] | None, *, password: str,
                 next_ids: dict[str, int] | None = None):
        self.path = Path(path)
        if self.path.exists():
            raise StancemapError(f"{self.path} exists: stancemap does not overwrite a DNA file; remove it or "
                                 "choose another name")
        self.password = password
        self.tables = {t: [dict(r) for r in rows] for t, rows in (tables or new_project_tables(password)).items()}
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            for t in TABLES:
                self.conn.execute(DDL[t])
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("BEGIN")
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
        except sqlite3.Error as e:
            self._abandon()
            raise StancemapError(f"{self.path}: cannot create a DNA file: {e}") from None
        self.coders = {}
        for c in self.tables["CODERS"]:
            self.coders.setdefault(c["Name"], c["ID"])
        self.entities = {(e["VariableId"], e["Value"]): e["ID"] for e in self.tables["ENTITIES"]}
        self.attribute_vars: dict[int, list[int]] = {}
        for a in self.tables["ATTRIBUTEVARIABLES"]:
            self.attribute_vars.setdefault(a["VariableId"], []).append(a["ID"])
        self.next = {"ENTITIES": _next(self.tables["ENTITIES"]), "ATTRIBUTEVALUES": _next(self.tables["ATTRIBUTEVALUES"]),
                     "CODERRELATIONS": _next(self.tables["CODERRELATIONS"]), **(next_ids or {})}
        self.counts = {"DOCUMENTS": 0, "STATEMENTS": 0}
        self.truncated = 0

    # ------------------------------------------------------------- set-up rows
    def coder(self, name: str) -> int:
        """The id of the coder called ``name``, added (with relations to every coder) if new."""
        name = (name or "stancemap")[:MAX_SHORT]
        if name in self.coders:
            return self.coders[name]
        cid = _next(self.tables["CODERS"])
        rgb = PALETTE[(cid - 2) % len(PALETTE)]
        self.tables["CODERS"].append(coder_row(cid, name, rgb, self.password))
        self.coders[name] = cid
        for other in self.tables["CODERS"]:
            if other["ID"] != cid:
                for a, b in ((cid, other["ID"]), (other["ID"], cid)):
                    self.tables["CODERRELATIONS"].append({"ID": self._take("CODERRELATIONS"), "Coder": a, "OtherCoder": b,
                                                          "viewStatements": 1, "editStatements": 1,
                                                          "viewDocuments": 1, "editDocuments": 1})
        return cid

    def entity(self, variable: int, value: str) -> int:
        """The id of ``value`` of a short-text ``variable``, added (with empty attributes) if new."""
        value = self._short(value.strip())
        key = (variable, value)
        if key not in self.entities:
            eid = self._take("ENTITIES")
            self.tables["ENTITIES"].append({"ID": eid, "VariableId": variable, "Value": value, "Red": 0, "Green": 0,
                                            "Blue": 0, "ChildOf": None})
            for av in self.attribute_vars.get(variable, []):
                self.tables["ATTRIBUTEVALUES"].append({"ID": self._take("ATTRIBUTEVALUES"), "EntityId": eid,
                                                       "AttributeVariableId": av, "AttributeValue": ""})
            self.entities[key] = eid
        return self.entities[key]

    def _short(self, value: str) -> str:
        if len(value) > MAX_SHORT:
            self.truncated += 1
            return value[:MAX_SHORT]
        return value

    def _take(self, table: str) -> int:
        n = self.next.get(table, 1)
        self.next[table] = n + 1
        return n

    def take_id(self, table: str) -> int:
        """A new id for a row of ``table`` (``DOCUMENTS``, ``STATEMENTS``...)."""
        return self._take(table)

    def saw_id(self, table: str, rid: int) -> None:
        """Keep new ids of ``table`` above ``rid`` (an id written as it was)."""
        self.next[table] = max(self.next.get(table, 1), rid + 1)

    # ------------------------------------------------------------ stream rows
    def document(self, *, id: int, title: str, text: str, coder: int | None, date: int, author: str = "",
                 source: str = "", section: str = "", notes: str = "", type: str = "") -> None:
        self.saw_id("DOCUMENTS", id)
        self.conn.execute("INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Author, Source, Section, Notes, Type, Date) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (id, self._short(title), text, coder, self._short(author), self._short(source),
                           self._short(section), notes, self._short(type), date))
        self.counts["DOCUMENTS"] += 1

    def statement(self, *, id: int, type: int, document: int, start: int, stop: int, coder: int | None,
                  values: Iterable[tuple[str, int | None, int, int | str]]) -> None:
        """A statement and its values: ``(table, row id or None for a new one, variable, value)``."""
        self.saw_id("STATEMENTS", id)
        self.conn.execute("INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) "
                          "VALUES (?, ?, ?, ?, ?, ?)", (id, type, document, start, stop, coder))
        for table, rid, var, value in values:
            if rid is None:
                rid = self._take(table)
            else:
                self.saw_id(table, rid)
            col = "Entity" if table == "DATASHORTTEXT" else "Value"
            self.conn.execute(f"INSERT INTO {table} (ID, StatementId, VariableId, {col}) VALUES (?, ?, ?, ?)",
                              (rid, id, var, value))
        self.counts["STATEMENTS"] += 1

    # ----------------------------------------------------------------- finish
    def finish(self) -> None:
        """Write the set-up tables and commit; a broken reference fails the whole file."""
        try:
            for t in TABLES:
                rows = self.tables.get(t)
                if not rows:
                    continue
                cols = columns_of(t)
                self.conn.executemany(f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                      [tuple(r.get(c) for c in cols) for r in rows])
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._abandon()
            raise StancemapError(f"{self.path}: writing the DNA file failed ({e}); nothing was written") from None
        self.conn.close()

    def abandon(self) -> None:
        self._abandon()

    def _abandon(self) -> None:
        try:
            self.conn.close()
        finally:
            self.path.unlink(missing_ok=True)


def _next(rows: list[dict]) -> int:
    return max((r["ID"] for r in rows), default=0) + 1

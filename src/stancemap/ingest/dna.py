"""Reading a Discourse Network Analyzer file (``.dna``, DNA 3.0): documents and coded statements.

:class:`DnaFile` opens the file read-only and checks that it has DNA 3.0's tables and
columns (:mod:`stancemap.ingest.dna_schema`). It gives the project's small tables whole
(:meth:`DnaFile.tables`: coders, statement types, variables, entities, attributes...) and
streams the rest a document at a time (:meth:`DnaFile.coded_documents`): each document with
its statements and their values, so that memory stays bounded by the largest document.

A statement that cannot be right (a span outside its document's text, an unknown statement
type, a value of a variable its type does not have) is not yielded: it is reported as an
:class:`~stancemap.errors.InputError` naming the file, the table and row, and the column.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stancemap.errors import InputError
from stancemap.ingest.dna_schema import DATA_TABLES, TABLES, Offsets, columns_of

SMALL_TABLES = ("SETTINGS", "CODERS", "STATEMENTTYPES", "VARIABLES", "VARIABLELINKS", "REGEXES", "CODERRELATIONS",
                "ENTITIES", "ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES")
"""The tables read whole: a project's set-up, not its coding."""


@dataclass(frozen=True)
class DnaDocument:
    """A row of ``DOCUMENTS``; ``date`` is DNA's seconds since 1970 (UTC)."""

    id: int
    title: str
    text: str
    coder: int | None
    author: str
    source: str
    section: str
    notes: str
    type: str
    date: int

    @property
    def day(self) -> dt.date:
        return epoch_to_datetime(self.date).date()


@dataclass(frozen=True)
class DnaValue:
    """One value of a statement: the row ``id`` of ``table`` (``DATASHORTTEXT``'s value is an
    ``ENTITIES`` id), for ``variable``."""

    table: str
    id: int
    variable: int
    value: int | str


@dataclass(frozen=True)
class DnaStatement:
    """A row of ``STATEMENTS`` with its values; ``start``/``stop`` in DNA's UTF-16 units."""

    id: int
    type: int
    document: int
    start: int
    stop: int
    coder: int | None
    values: tuple[DnaValue, ...] = ()

    def value(self, variable: int) -> int | str | None:
        return next((v.value for v in self.values if v.variable == variable), None)


@dataclass
class CodedDocument:
    """A document, its good statements (by id), and the errors of its bad ones."""

    document: DnaDocument
    statements: list[DnaStatement] = field(default_factory=list)
    rejected: list[InputError] = field(default_factory=list)


def epoch_to_datetime(seconds: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)


def date_to_epoch(day: dt.date | dt.datetime) -> int:
    """DNA's ``Date`` for a day (midnight) or a naive date-time, read as UTC."""
    if not isinstance(day, dt.datetime):
        day = dt.datetime(day.year, day.month, day.day)
    return int((day.replace(tzinfo=None) - dt.datetime(1970, 1, 1)).total_seconds())


class DnaFile:
    """An open ``.dna`` file (read-only). Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(str(self.path), "no such file")
        try:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as e:
            raise InputError(str(self.path), f"not an SQLite database (a .dna file is one): {e}") from None
        self._check_schema()
        self._tables = {t: self._rows(t) for t in SMALL_TABLES}
        self._variables = {v["ID"]: v for v in self._tables["VARIABLES"]}
        self._types = {t["ID"] for t in self._tables["STATEMENTTYPES"]}

    def __enter__(self) -> "DnaFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ schema
    def _check_schema(self) -> None:
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = self.version() if "SETTINGS" in have else "unknown"
        for t in TABLES:
            if t not in have:
                raise InputError(str(self.path), f"table {t} is missing: not a DNA 3.0 database "
                                                 f"(its SETTINGS say version {version})", field=t)
            cols = [r[1] for r in self.conn.execute(f"PRAGMA table_info({t})")]
            missing = [c for c in columns_of(t) if c not in cols]
            if missing:
                raise InputError(str(self.path), f"table {t} lacks column {missing[0]}: not a DNA 3.0 database "
                                                 f"(its SETTINGS say version {version})", field=f"{t}.{missing[0]}")

    def version(self) -> str:
        row = self.conn.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
        return row[0] if row else "unknown"

    def _rows(self, table: str) -> list[dict]:
        cols = columns_of(table)
        order = "Label" if table == "REGEXES" else "Property" if table == "SETTINGS" else "ID"
        cur = self.conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
        return [dict(zip(cols, r)) for r in cur]

    def tables(self) -> dict[str, list[dict]]:
        """The small tables (:data:`SMALL_TABLES`), each as rows of ``{column: value}``."""
        return {t: [dict(r) for r in rows] for t, rows in self._tables.items()}

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def max_id(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(ID), 0) FROM {table}").fetchone()[0]

    # --------------------------------------------------------------- streaming
    def documents(self) -> Iterator[DnaDocument]:
        cols = columns_of("DOCUMENTS")
        for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM DOCUMENTS ORDER BY ID"):
            d = dict(zip(cols, r))
            yield DnaDocument(id=d["ID"], title=d["Title"], text=d["Text"], coder=d["Coder"], author=d["Author"],
                              source=d["Source"], section=d["Section"], notes=d["Notes"], type=d["Type"],
                              date=int(d["Date"]))

    def coded_documents(self) -> Iterator[CodedDocument]:
        """Every document in id order with its statements (checked; see the module's docstring).

        Statements of no document are collected in :attr:`orphans`.
        """
        self.orphans: list[InputError] = []
        stmts = self.conn.cursor().execute(
            "SELECT ID, StatementTypeId, DocumentId, Start, Stop, Coder FROM STATEMENTS ORDER BY DocumentId, ID")
        pending = stmts.fetchone()
        for doc in self.documents():
            coded = CodedDocument(doc)
            while pending is not None and (pending[2] or 0) < doc.id:
                self.orphans.append(self._err(pending[0], "DocumentId", f"no document {pending[2]}"))
                pending = stmts.fetchone()
            rows = []
            while pending is not None and pending[2] == doc.id:
                rows.append(pending)
                pending = stmts.fetchone()
            self._fill(coded, rows)
            yield coded
        while pending is not None:
            self.orphans.append(self._err(pending[0], "DocumentId", f"no document {pending[2]}"))
            pending = stmts.fetchone()

    def _err(self, sid: int, column: str, reason: str, table: str = "STATEMENTS") -> InputError:
        return InputError(f"{self.path}: {table} ID={sid}", f"{column}: {reason}", field=column)

    def _fill(self, coded: CodedDocument, rows: list[tuple]) -> None:
        if not rows:
            return
        length = Offsets(coded.document.text).to_utf16(len(coded.document.text))
        values = self._values([r[0] for r in rows])
        for sid, stype, _doc, start, stop, coder in rows:
            if stype not in self._types:
                coded.rejected.append(self._err(sid, "StatementTypeId", f"no statement type {stype}"))
            elif not (0 <= start < stop <= length):
                coded.rejected.append(self._err(
                    sid, "Stop" if stop > length else "Start",
                    f"span {start}-{stop} is not inside document {coded.document.id} (length {length})"))
            else:
                vals = tuple(values.get(sid, ()))
                bad = next((v for v in vals if self._variables.get(v.variable, {}).get("StatementTypeId") != stype), None)
                if bad is not None:
                    coded.rejected.append(self._err(bad.id, "VariableId", f"variable {bad.variable} is not one of "
                                                    f"statement type {stype}'s (statement {sid})", table=bad.table))
                    continue
                coded.statements.append(DnaStatement(sid, stype, coded.document.id, start, stop, coder, vals))

    def _values(self, ids: list[int]) -> dict[int, list[DnaValue]]:
        out: dict[int, list[DnaValue]] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ", ".join("?" * len(chunk))
            for table in DATA_TABLES.values():
                value = "Entity" if table == "DATASHORTTEXT" else "Value"
                q = f"SELECT ID, StatementId, VariableId, {value} FROM {table} WHERE StatementId IN ({marks}) ORDER BY ID"
                for rid, sid, var, val in self.conn.execute(q, chunk):
                    out.setdefault(sid, []).append(DnaValue(table, rid, var, val))
        for vals in out.values():
            vals.sort(key=lambda v: (v.variable, v.id))
        return out

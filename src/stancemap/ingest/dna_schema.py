"""The Discourse Network Analyzer's file format: DNA 3.0's SQLite schema, and what goes with it.

A ``.dna`` file is an SQLite database. The tables below are the ones DNA 3.0 (3.0.7, the
release that wrote DNA's own ``sample.dna``) creates in ``sql.Sql.createTables`` of its public
source (github.com/leifeld/dna); the DDL is written out here so that a file stancemap writes
has exactly DNA's tables, columns, types, defaults, checks and keys. Three more things DNA
does are done the same way here:

- dates: ``DOCUMENTS.Date`` holds seconds since 1970-01-01 of the document's time *as UTC*
  (DNA stores ``LocalDateTime.toEpochSecond(ZoneOffset.UTC)``);
- spans: ``STATEMENTS.Start``/``Stop`` are offsets into the document's text counted in Java
  ``char`` units (UTF-16 code units), which differ from Python's code points after a
  character outside the Basic Multilingual Plane (:func:`to_utf16` / :func:`from_utf16`);
- passwords: ``CODERS.Password`` is a Jasypt ``StrongPasswordEncryptor`` digest, base64 of a
  16-byte salt followed by SHA-256 applied 100,000 times to salt + UTF-8 password
  (:func:`password_hash` / :func:`check_password`).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import os
import unicodedata

DNA_VERSION = "3.0.7"
DNA_DATE = "2022-06-10"
MAX_SHORT = 190
"""DNA 3.0 checks ``LENGTH(x) < 191`` on names, titles and entity values."""


def _rgb(null: bool = False) -> str:
    if null:
        return ", ".join(f"{c} INTEGER CHECK ({c} BETWEEN 0 AND 255)" for c in ("Red", "Green", "Blue"))
    return ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 255)" for c in ("Red", "Green", "Blue"))


def _short(col: str, default: bool = True) -> str:
    dflt = " DEFAULT ''" if default else ""
    return f"{col} TEXT NOT NULL{dflt} CHECK (LENGTH({col}) < 191)"


def _flag(col: str, default: int) -> str:
    return f"{col} INTEGER NOT NULL CHECK ({col} BETWEEN 0 AND 1) DEFAULT {default}"


def _cascade(col: str, table: str) -> str:
    return f"FOREIGN KEY({col}) REFERENCES {table}(ID) ON DELETE CASCADE"


CODER_PERMISSIONS = (
    "AddDocuments", "EditDocuments", "DeleteDocuments", "ImportDocuments", "AddStatements", "EditStatements",
    "DeleteStatements", "EditAttributes", "EditRegex", "EditStatementTypes", "EditCoders", "EditCoderRelations",
    "ViewOthersDocuments", "EditOthersDocuments", "ViewOthersStatements", "EditOthersStatements",
)


def _data_table(value: str) -> str:
    return (f"ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, {value}, "
            f"{_cascade('StatementId', 'STATEMENTS')}, {_cascade('VariableId', 'VARIABLES')}")


_BODIES = {
    "SETTINGS": "Property TEXT PRIMARY KEY, Value TEXT NOT NULL",
    "CODERS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short("Name", default=False), _rgb(),
        "Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0",
        "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14",
        _short("Password", default=False),
        "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300",
        _flag("ColorByCoder", 0), _flag("PopupDecoration", 0), _flag("PopupAutoComplete", 1),
        *(_flag(f"Permission{p}", 1) for p in CODER_PERMISSIONS),
    ]),
    "DOCUMENTS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short("Title", default=False), "Text TEXT NOT NULL", "Coder INTEGER",
        _short("Author"), _short("Source"), _short("Section"), "Notes TEXT NOT NULL DEFAULT ''", _short("Type"),
        "Date INTEGER NOT NULL", _cascade("Coder", "CODERS"),
    ]),
    "STATEMENTTYPES": f"ID INTEGER NOT NULL PRIMARY KEY, {_short('Label', default=False)}, {_rgb()}",
    "VARIABLES": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short("Variable", default=False),
        "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = 'long text' "
        "OR DataType = 'short text') DEFAULT 'short text'",
        "StatementTypeId INTEGER", _cascade("StatementTypeId", "STATEMENTTYPES"), "UNIQUE (Variable, StatementTypeId)",
    ]),
    "VARIABLELINKS": ("ID INTEGER NOT NULL PRIMARY KEY, SourceVariableId INTEGER, TargetVariableId INTEGER, "
                      f"CHECK (TargetVariableId != SourceVariableId), {_cascade('SourceVariableId', 'VARIABLES')}, "
                      f"{_cascade('TargetVariableId', 'VARIABLES')}"),
    "REGEXES": f"Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), {_rgb()}",
    "CODERRELATIONS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", "Coder INTEGER CHECK(Coder > 0)", "OtherCoder INTEGER CHECK(OtherCoder > 0)",
        *(f"{c} INTEGER NOT NULL DEFAULT 1 CHECK({c} BETWEEN 0 AND 1)"
          for c in ("viewStatements", "editStatements", "viewDocuments", "editDocuments")),
        "CHECK (Coder != OtherCoder)", _cascade("Coder", "CODERS"), _cascade("OtherCoder", "CODERS"),
    ]),
    "STATEMENTS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", "StatementTypeId INTEGER", "DocumentId INTEGER",
        "Start INTEGER NOT NULL CHECK(Start >= 0)", "Stop INTEGER NOT NULL CHECK(Stop >= 0)", "Coder INTEGER",
        "CHECK (Start < Stop)", _cascade("StatementTypeId", "STATEMENTTYPES"), _cascade("Coder", "CODERS"),
        _cascade("DocumentId", "DOCUMENTS"),
    ]),
    "DATABOOLEAN": _data_table("Value INTEGER NOT NULL DEFAULT 1") + ", UNIQUE (StatementId, VariableId)",
    "DATAINTEGER": _data_table("Value INTEGER NOT NULL DEFAULT 0") + ", UNIQUE (StatementId, VariableId)",
    "ENTITIES": ", ".join([
        "ID INTEGER PRIMARY KEY NOT NULL", "VariableId INTEGER NOT NULL",
        "Value TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Value) < 191)", _rgb(null=True),
        "ChildOf INTEGER CHECK(ChildOf > 0)", "UNIQUE (VariableId, Value)", _cascade("ChildOf", "ENTITIES"),
        _cascade("VariableId", "VARIABLES"),
    ]),
    "DATASHORTTEXT": _data_table("Entity INTEGER NOT NULL") + f", {_cascade('Entity', 'ENTITIES')}, "
                                                              "UNIQUE (StatementId, VariableId)",
    "DATALONGTEXT": _data_table("Value TEXT DEFAULT ''") + ", UNIQUE (StatementId, VariableId)",
    "ATTRIBUTEVARIABLES": ("ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, "
                           f"{_short('AttributeVariable', default=False)}, UNIQUE(VariableId, AttributeVariable), "
                           f"{_cascade('VariableId', 'VARIABLES')}"),
    "ATTRIBUTEVALUES": ("ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL, AttributeVariableId INTEGER NOT NULL, "
                        f"{_short('AttributeValue')}, UNIQUE (EntityId, AttributeVariableId), "
                        f"{_cascade('EntityId', 'ENTITIES')}, {_cascade('AttributeVariableId', 'ATTRIBUTEVARIABLES')}"),
}

TABLES: tuple[str, ...] = tuple(_BODIES)
"""DNA 3.0's tables, in the order DNA creates them (parents before children)."""

DDL: dict[str, str] = {t: f"CREATE TABLE {t}({body})" for t, body in _BODIES.items()}

DATA_TABLES = {"boolean": "DATABOOLEAN", "integer": "DATAINTEGER", "short text": "DATASHORTTEXT",
               "long text": "DATALONGTEXT"}
"""Where a statement's value of each variable data type lives (short text: an ENTITIES id)."""


def columns_of(table: str) -> list[str]:
    """The column names of a DNA table, in order (from the DDL above)."""
    cols = []
    for part in _split_top(_BODIES[table]):
        word = part.split()[0]
        if word not in ("FOREIGN", "UNIQUE", "UNIQUE(", "CHECK", "PRIMARY") and not word.startswith(("UNIQUE(", "CHECK(")):
            cols.append(word)
    return cols


def _split_top(body: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in body:
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


# ---------------------------------------------------------------------- passwords
_ITERATIONS = 100_000
_SALT = 16


def _digest(salt: bytes, password: str) -> bytes:
    d = hashlib.sha256(salt + unicodedata.normalize("NFC", password).encode("utf-8")).digest()
    for _ in range(_ITERATIONS - 1):
        d = hashlib.sha256(d).digest()
    return d


def password_hash(password: str, *, salt: bytes | None = None) -> str:
    """A ``CODERS.Password`` value DNA accepts for ``password`` (Jasypt's strong digest)."""
    salt = os.urandom(_SALT) if salt is None else salt
    return base64.b64encode(salt + _digest(salt, password)).decode("ascii")


def check_password(password: str, stored: str) -> bool:
    raw = base64.b64decode(stored)
    return hmac.compare_digest(raw[_SALT:], _digest(raw[:_SALT], password))


# -------------------------------------------------------------------------- spans
def _astral(text: str) -> list[int]:
    """Code-point indices of the characters that take two UTF-16 units (sorted)."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


class Offsets:
    """Convert offsets in one text between Python code points and DNA's UTF-16 units."""

    def __init__(self, text: str):
        self.astral = _astral(text) if any(ord(ch) > 0xFFFF for ch in text) else []
        # the UTF-16 offset at which each astral character starts
        self._u16 = [i + n for n, i in enumerate(self.astral)]

    def to_utf16(self, i: int) -> int:
        return i + bisect.bisect_left(self.astral, i)

    def from_utf16(self, u: int) -> int:
        """The code point at UTF-16 offset ``u`` (inside a surrogate pair: that character)."""
        return u - bisect.bisect_left(self._u16, u)

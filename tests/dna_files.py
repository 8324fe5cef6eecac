"""Building small DNA 3.0 files by hand for the tests (no DNA needed), and reading them back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stancemap.ingest.dna_schema import DDL, TABLES, columns_of, password_hash

# Two documents: one with a character outside the BMP before a statement (DNA counts it as two
# units), one with white space around its text; a third without statements.
DOC1 = ("Senate hearing.\nThe Sierra Club \U0001F333 supports a carbon tax. "
        "Acme Oil opposes a carbon tax. Acme Oil wants a carbon tax, said nobody.")
DOC2 = "\n  The Sierra Club backs a ban on coal. Acme Oil rejects a ban on coal.  \n"
DOC3 = "A note without statements."


def _u16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def span(text: str, phrase: str) -> tuple[int, int]:
    """DNA's offsets (UTF-16 units) of ``phrase`` in ``text``."""
    i = text.index(phrase)
    return _u16(text, i), _u16(text, i + len(phrase))


_PASSWORD = password_hash("pw")  # 100,000 rounds of SHA-256: once per session


def make_dna(path: Path, *, extra_statements: list[tuple] = ()) -> Path:
    """A DNA 3.0 file: 2 coders, 3 documents, 7 statements of 'DNA Statement', 1 of 'Annotation'."""
    conn = sqlite3.connect(path)
    for t in TABLES:
        conn.execute(DDL[t])
    ins = lambda t, *rows: conn.executemany(  # noqa: E731
        f"INSERT INTO {t} ({', '.join(columns_of(t)[:len(rows[0])])}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
    ins("SETTINGS", ("version", "3.0.7"), ("date", "2022-06-10"))
    perms = (1,) * 16
    ins("CODERS", (1, "Admin", 255, 255, 0, 0, 14, _PASSWORD, 300, 0, 0, 1, *perms),
        (2, "Ana", 51, 153, 255, 0, 14, _PASSWORD, 300, 0, 0, 1, *perms))
    ins("CODERRELATIONS", (1, 1, 2, 1, 1, 1, 1), (2, 2, 1, 1, 1, 1, 1))
    ins("DOCUMENTS", (1, "Hearing", DOC1, 2, "Clerk", "Senate", "EPW", "", "transcript", 1106697600),
        (2, "Second hearing", DOC2, 2, "", "Senate", "", "notes here", "", 1107302400 + 3600),
        (3, "Empty", DOC3, 1, "", "", "", "", "", 1107993600))
    ins("STATEMENTTYPES", (1, "DNA Statement", 239, 208, 51), (2, "Annotation", 211, 211, 211))
    ins("VARIABLES", (1, "person", "short text", 1), (2, "organization", "short text", 1),
        (3, "concept", "short text", 1), (4, "agreement", "boolean", 1), (5, "note", "long text", 2))
    ins("ATTRIBUTEVARIABLES", *[(n, v, a) for n, (a, v) in enumerate(
        ((a, v) for a in ("Type", "Alias", "Notes") for v in (1, 2, 3)), 1)])
    ins("REGEXES", ("carbon", 255, 0, 0))
    ents = [(1, 1, "", 0, 0, 0), (2, 2, "Sierra Club", 0, 204, 0), (3, 2, "Acme Oil", 255, 153, 0),
            (4, 3, "Carbon tax", 0, 0, 0), (5, 3, "Ban on coal", 0, 0, 0), (6, 2, "", 0, 0, 0),
            (7, 1, "Jane Roe", 0, 0, 0), (8, 2, "United Nations", 0, 0, 0), (9, 3, "", 0, 0, 0)]
    ins("ENTITIES", *ents)
    ins("ATTRIBUTEVALUES", *[(n, e[0], av, {(2, 2): "NGO", (3, 2): "Business", (4, 9): "a levy on CO2"}.get(
        (e[0], av), "")) for n, (e, av) in enumerate(((e, av) for e in ents for av in
                                                     {1: (1, 4, 7), 2: (2, 5, 8), 3: (3, 6, 9)}[e[1]]), 1)])
    s = [  # id, doc, phrase, person, org, concept, agreement, coder
        (1, 1, DOC1, "The Sierra Club \U0001F333 supports a carbon tax.", 7, 2, 4, 1, 2),
        (2, 1, DOC1, "Acme Oil opposes a carbon tax.", 1, 3, 4, 0, 2),
        (3, 1, DOC1, "Acme Oil wants a carbon tax, said nobody.", 1, 3, 4, 1, 1),
        (4, 2, DOC2, "The Sierra Club backs a ban on coal. ", 1, 2, 5, 1, 2),   # trailing space in the span
        (5, 2, DOC2, "Acme Oil rejects a ban on coal.", 1, 3, 5, 0, 2),
        (6, 2, DOC2, "Acme Oil rejects", 1, 6, 5, 0, 2),                         # no organization
        (7, 1, DOC1, "Senate hearing.", 1, 8, 9, 1, 2),                          # no concept
        *extra_statements,
    ]
    data_id = {"DATASHORTTEXT": 0, "DATABOOLEAN": 0}
    for sid, doc, text, phrase, person, org, concept, agree, coder in s:
        a, b = span(text, phrase)
        conn.execute("INSERT INTO STATEMENTS VALUES (?, 1, ?, ?, ?, ?)", (sid, doc, a, b, coder))
        for var, ent in ((1, person), (2, org), (3, concept)):
            data_id["DATASHORTTEXT"] += 1
            conn.execute("INSERT INTO DATASHORTTEXT VALUES (?, ?, ?, ?)", (data_id["DATASHORTTEXT"], sid, var, ent))
        data_id["DATABOOLEAN"] += 1
        conn.execute("INSERT INTO DATABOOLEAN VALUES (?, ?, 4, ?)", (data_id["DATABOOLEAN"], sid, agree))
    a, b = span(DOC2, "ban on coal")
    conn.execute("INSERT INTO STATEMENTS VALUES (100, 2, 2, ?, ?, 2)", (a, b))
    conn.execute("INSERT INTO DATALONGTEXT VALUES (1, 100, 5, 'check this')")
    conn.commit()
    conn.close()
    return path


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order."""
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        conn.close()


def dna_holdings(path: Path) -> dict[str, set[tuple[str, int]]]:
    """(concept, agreement) pairs each organization states, read straight from a DNA file
    (empty organizations and concepts left out), for DNA's network semantics."""
    conn = sqlite3.connect(path)
    q = """SELECT o.Value, c.Value, b.Value FROM STATEMENTS s
           JOIN STATEMENTTYPES t ON t.ID = s.StatementTypeId AND t.Label = 'DNA Statement'
           JOIN DATASHORTTEXT do ON do.StatementId = s.ID JOIN VARIABLES vo ON vo.ID = do.VariableId AND vo.Variable = 'organization'
           JOIN ENTITIES o ON o.ID = do.Entity
           JOIN DATASHORTTEXT dc ON dc.StatementId = s.ID JOIN VARIABLES vc ON vc.ID = dc.VariableId AND vc.Variable = 'concept'
           JOIN ENTITIES c ON c.ID = dc.Entity
           JOIN DATABOOLEAN b ON b.StatementId = s.ID"""
    out: dict[str, set] = {}
    for org, concept, agree in conn.execute(q):
        if org and concept:
            out.setdefault(org, set()).add((concept, agree))
    conn.close()
    return out


def make_dna_from(path: Path, docs: list[str], statements: list[tuple]) -> Path:
    """A DNA 3.0 file from texts and statements ``(doc index, start, end, person, organization,
    concept, agreement, coder id)``, with ``start``/``end`` in code points (written as DNA's units)."""
    conn = sqlite3.connect(path)
    for t in TABLES:
        conn.execute(DDL[t])
    conn.executemany("INSERT INTO SETTINGS VALUES (?, ?)", [("version", "3.0.7"), ("date", "2022-06-10")])
    for cid, name in ((1, "Admin"), (2, "Ana")):
        conn.execute(f"INSERT INTO CODERS VALUES ({cid}, ?, 1, 2, 3, 0, 14, ?, 300, 0, 0, 1{', 1' * 16})",
                     (name, _PASSWORD))
    conn.execute("INSERT INTO STATEMENTTYPES VALUES (1, 'DNA Statement', 239, 208, 51)")
    conn.executemany("INSERT INTO VARIABLES VALUES (?, ?, ?, 1)", [
        (1, "person", "short text"), (2, "organization", "short text"), (3, "concept", "short text"),
        (4, "agreement", "boolean")])
    for n, text in enumerate(docs, 1):
        conn.execute("INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Date) VALUES (?, ?, ?, 2, ?)",
                     (n, f"doc {n}", text, 1106697600 + n * 86400))
    entities: dict[tuple, int] = {}
    for sid, (d, start, end, *vals, agree, coder) in enumerate(statements, 1):
        text = docs[d]
        conn.execute("INSERT INTO STATEMENTS VALUES (?, 1, ?, ?, ?, ?)",
                     (sid, d + 1, _u16(text, start), _u16(text, end), coder))
        for var, value in zip((1, 2, 3), vals):
            if (var, value) not in entities:
                entities[(var, value)] = len(entities) + 1
                conn.execute("INSERT INTO ENTITIES (ID, VariableId, Value, Red, Green, Blue) VALUES (?, ?, ?, 0, 0, 0)",
                             (entities[(var, value)], var, value))
            conn.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)",
                         (sid, var, entities[(var, value)]))
        conn.execute("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (?, 4, ?)", (sid, agree))
    conn.commit()
    conn.close()
    return path

"""DNA 3.0's file format: the schema as DNA's source defines it, passwords, offsets, reading."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dna_files import DOC1, make_dna, span
from stancemap.errors import InputError
from stancemap.ingest.dna import DnaFile, date_to_epoch, epoch_to_datetime
from stancemap.ingest.dna_schema import DDL, TABLES, Offsets, check_password, password_hash

# DNA 3.0.7's tables and columns (sql/Sql.java, createTables, SQLite branch, in github.com/leifeld/dna):
# column: (type, not null, default, primary key)
_RGB = {c: ("INTEGER", 1, "0", 0) for c in ("Red", "Green", "Blue")}
_PERM = ("AddDocuments EditDocuments DeleteDocuments ImportDocuments AddStatements EditStatements DeleteStatements "
         "EditAttributes EditRegex EditStatementTypes EditCoders EditCoderRelations ViewOthersDocuments "
         "EditOthersDocuments ViewOthersStatements EditOthersStatements").split()
_DATA = {"ID": ("INTEGER", 1, None, 1), "StatementId": ("INTEGER", 1, None, 0), "VariableId": ("INTEGER", 1, None, 0)}
DNA_30_SCHEMA = {
    "SETTINGS": {"Property": ("TEXT", 0, None, 1), "Value": ("TEXT", 1, None, 0)},
    "CODERS": {"ID": ("INTEGER", 1, None, 1), "Name": ("TEXT", 1, None, 0), **_RGB,
               "Refresh": ("INTEGER", 1, "0", 0), "FontSize": ("INTEGER", 1, "14", 0), "Password": ("TEXT", 1, None, 0),
               "PopupWidth": ("INTEGER", 0, "300", 0), "ColorByCoder": ("INTEGER", 1, "0", 0),
               "PopupDecoration": ("INTEGER", 1, "0", 0), "PopupAutoComplete": ("INTEGER", 1, "1", 0),
               **{f"Permission{p}": ("INTEGER", 1, "1", 0) for p in _PERM}},
    "DOCUMENTS": {"ID": ("INTEGER", 1, None, 1), "Title": ("TEXT", 1, None, 0), "Text": ("TEXT", 1, None, 0),
                  "Coder": ("INTEGER", 0, None, 0), "Author": ("TEXT", 1, "''", 0), "Source": ("TEXT", 1, "''", 0),
                  "Section": ("TEXT", 1, "''", 0), "Notes": ("TEXT", 1, "''", 0), "Type": ("TEXT", 1, "''", 0),
                  "Date": ("INTEGER", 1, None, 0)},
    "STATEMENTTYPES": {"ID": ("INTEGER", 1, None, 1), "Label": ("TEXT", 1, None, 0), **_RGB},
    "VARIABLES": {"ID": ("INTEGER", 1, None, 1), "Variable": ("TEXT", 1, None, 0),
                  "DataType": ("TEXT", 1, "'short text'", 0), "StatementTypeId": ("INTEGER", 0, None, 0)},
    "VARIABLELINKS": {"ID": ("INTEGER", 1, None, 1), "SourceVariableId": ("INTEGER", 0, None, 0),
                      "TargetVariableId": ("INTEGER", 0, None, 0)},
    "REGEXES": {"Label": ("TEXT", 0, None, 1), **_RGB},
    "CODERRELATIONS": {"ID": ("INTEGER", 1, None, 1), "Coder": ("INTEGER", 0, None, 0),
                       "OtherCoder": ("INTEGER", 0, None, 0),
                       **{c: ("INTEGER", 1, "1", 0) for c in ("viewStatements", "editStatements", "viewDocuments",
                                                              "editDocuments")}},
    "STATEMENTS": {"ID": ("INTEGER", 1, None, 1), "StatementTypeId": ("INTEGER", 0, None, 0),
                   "DocumentId": ("INTEGER", 0, None, 0), "Start": ("INTEGER", 1, None, 0),
                   "Stop": ("INTEGER", 1, None, 0), "Coder": ("INTEGER", 0, None, 0)},
    "DATABOOLEAN": {**_DATA, "Value": ("INTEGER", 1, "1", 0)},
    "DATAINTEGER": {**_DATA, "Value": ("INTEGER", 1, "0", 0)},
    "ENTITIES": {"ID": ("INTEGER", 1, None, 1), "VariableId": ("INTEGER", 1, None, 0), "Value": ("TEXT", 1, "''", 0),
                 **{c: ("INTEGER", 0, None, 0) for c in ("Red", "Green", "Blue")}, "ChildOf": ("INTEGER", 0, None, 0)},
    "DATASHORTTEXT": {**_DATA, "Entity": ("INTEGER", 1, None, 0)},
    "DATALONGTEXT": {**_DATA, "Value": ("TEXT", 0, "''", 0)},
    "ATTRIBUTEVARIABLES": {"ID": ("INTEGER", 1, None, 1), "VariableId": ("INTEGER", 1, None, 0),
                           "AttributeVariable": ("TEXT", 1, None, 0)},
    "ATTRIBUTEVALUES": {"ID": ("INTEGER", 1, None, 1), "EntityId": ("INTEGER", 1, None, 0),
                        "AttributeVariableId": ("INTEGER", 1, None, 0), "AttributeValue": ("TEXT", 1, "''", 0)},
}
DNA_30_FOREIGN_KEYS = {  # table: {(column, parent table)}
    "DOCUMENTS": {("Coder", "CODERS")}, "VARIABLES": {("StatementTypeId", "STATEMENTTYPES")},
    "VARIABLELINKS": {("SourceVariableId", "VARIABLES"), ("TargetVariableId", "VARIABLES")},
    "CODERRELATIONS": {("Coder", "CODERS"), ("OtherCoder", "CODERS")},
    "STATEMENTS": {("StatementTypeId", "STATEMENTTYPES"), ("Coder", "CODERS"), ("DocumentId", "DOCUMENTS")},
    "DATABOOLEAN": {("StatementId", "STATEMENTS"), ("VariableId", "VARIABLES")},
    "DATAINTEGER": {("StatementId", "STATEMENTS"), ("VariableId", "VARIABLES")},
    "ENTITIES": {("ChildOf", "ENTITIES"), ("VariableId", "VARIABLES")},
    "DATASHORTTEXT": {("StatementId", "STATEMENTS"), ("VariableId", "VARIABLES"), ("Entity", "ENTITIES")},
    "DATALONGTEXT": {("StatementId", "STATEMENTS"), ("VariableId", "VARIABLES")},
    "ATTRIBUTEVARIABLES": {("VariableId", "VARIABLES")},
    "ATTRIBUTEVALUES": {("EntityId", "ENTITIES"), ("AttributeVariableId", "ATTRIBUTEVARIABLES")},
}


def assert_dna_30_schema(path) -> None:
    """The file has DNA 3.0's tables, columns (type, not null, default, key) and foreign keys, exactly."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        assert tables == list(DNA_30_SCHEMA)
        for t, cols in DNA_30_SCHEMA.items():
            got = {r[1]: (r[2], r[3], r[4], r[5]) for r in conn.execute(f"PRAGMA table_info({t})")}
            assert got == cols, t
            assert list(got) == list(cols), t
            fks = {(r[3], r[2]) for r in conn.execute(f"PRAGMA foreign_key_list({t})")}
            assert fks == DNA_30_FOREIGN_KEYS.get(t, set()), t
            assert all(r[6] == "CASCADE" for r in conn.execute(f"PRAGMA foreign_key_list({t})")), t
    finally:
        conn.close()


def test_the_ddl_is_dna_30s_schema(tmp_path):
    assert_dna_30_schema(make_dna(tmp_path / "hand.dna"))


def test_the_ddl_is_what_dna_wrote_in_its_sample(shared):
    conn = sqlite3.connect(shared / "dna" / "sample.dna")
    ref = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    conn.close()
    assert list(ref) == list(TABLES)
    assert ref == DDL
    assert_dna_30_schema(shared / "dna" / "sample.dna")


def test_dna_checks_hold(tmp_path):
    """DNA's CHECK constraints are there: a span must run forwards, a flag must be 0 or 1."""
    conn = sqlite3.connect(make_dna(tmp_path / "hand.dna"))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO STATEMENTS VALUES (500, 1, 1, 10, 5, 2)")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE CODERS SET ColorByCoder = 2 WHERE ID = 1")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO ENTITIES (ID, VariableId, Value) VALUES (99, 2, ?)", ("x" * 191,))


def test_passwords_are_jasypt_strong_digests(shared):
    conn = sqlite3.connect(shared / "dna" / "sample.dna")
    stored = [r[0] for r in conn.execute("SELECT Password FROM CODERS")]
    conn.close()
    assert all(check_password("sample", s) for s in stored)  # the sample's documented password
    assert not check_password("Sample", stored[0])


def test_password_hash_checks_and_salts():
    h = password_hash("geheim")
    assert check_password("geheim", h) and not check_password("geheim!", h)
    assert h != password_hash("geheim")  # a new salt each time
    assert len(h) == 64  # base64 of 16 salt + 32 digest bytes, as DNA stores it


@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\U0001F333", "中", "\U00010348"]), max_size=40))
def test_offsets_count_utf16_units(text):
    off = Offsets(text)
    for i in range(len(text) + 1):
        u = len(text[:i].encode("utf-16-le")) // 2
        assert off.to_utf16(i) == u
        assert off.from_utf16(u) == i


def test_dates_are_utc_seconds():
    assert date_to_epoch(epoch_to_datetime(1106697600)) == 1106697600
    assert epoch_to_datetime(1106697600).isoformat() == "2005-01-26T00:00:00"


def test_reader_streams_documents_with_their_statements(tmp_path):
    with DnaFile(make_dna(tmp_path / "hand.dna")) as f:
        coded = list(f.coded_documents())
        assert [c.document.id for c in coded] == [1, 2, 3]
        assert [s.id for s in coded[0].statements] == [1, 2, 3, 7]
        assert [s.id for s in coded[1].statements] == [4, 5, 6, 100]
        assert coded[2].statements == [] and f.orphans == []
        s1 = coded[0].statements[0]
        assert (s1.start, s1.stop) == span(DOC1, "The Sierra Club \U0001F333 supports a carbon tax.")
        assert s1.value(2) == 2 and s1.value(4) == 1


def test_a_bad_span_is_rejected_with_table_row_and_column(tmp_path):
    path = make_dna(tmp_path / "hand.dna")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE STATEMENTS SET Stop = 99999 WHERE ID = 2")
    conn.commit()
    conn.close()
    with DnaFile(path) as f:
        coded = list(f.coded_documents())
    assert [s.id for s in coded[0].statements] == [1, 3, 7]
    (err,) = coded[0].rejected
    assert err.where == f"{path}: STATEMENTS ID=2" and err.field == "Stop" and "not inside document 1" in str(err)


@pytest.mark.parametrize("damage, message", [
    ("DROP TABLE ENTITIES", "table ENTITIES is missing"),
    ("DROP TABLE DATALONGTEXT; CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER)",
     "table DATALONGTEXT lacks column VariableId"),
])
def test_a_file_without_dnas_schema_is_refused(tmp_path, damage, message):
    path = make_dna(tmp_path / "hand.dna")
    conn = sqlite3.connect(path)
    conn.executescript(damage)
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match=message):
        DnaFile(path)


def test_not_a_database_is_refused(tmp_path):
    p = tmp_path / "x.dna"
    p.write_text("hello " * 100)
    with pytest.raises(InputError, match="not an SQLite database"):
        DnaFile(p)

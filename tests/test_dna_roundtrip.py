"""DNA interop end to end: import a .dna file, analyse it, export it, import it again."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dna_files import DOC1, DOC2, dna_holdings, make_dna, make_dna_from, span, table_rows
from test_dna_format import assert_dna_30_schema
from stancemap.errors import InputError, StancemapError
from stancemap.ingest.dna_schema import check_password
from stancemap.jobs.dna_export import export_dna
from stancemap.jobs.dna_import import import_dna
from stancemap.jobs.dna_mapping import load_mapping
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model import Article, Claim
from stancemap.report.data import network_from_store
from stancemap.store import Store


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.builtin()


@pytest.fixture
def hand(tmp_path):
    return make_dna(tmp_path / "hearings.dna")


def _claims(store):
    return {(c["article_id"], c["actor"], c["issue"], c["stance"], c["evidence"], c["speaker"], c["status"],
             c["reviewer"], c["date"]) for c in store.claims(mapped_only=False, include_rejected=True)}


def test_statements_become_human_claims(store, hand, kb):
    r = import_dna(store, hand, kb=kb)
    assert (r.documents, r.statements, r.claims, r.kept, r.rejected) == (3, 8, 6, 2, [])
    assert r.from_kb == {"United Nations": "UN"} and r.new_actors == ["Sierra Club", "Acme Oil"]
    by_ev = {c["evidence"]: c for c in store.claims(mapped_only=False)}
    c = by_ev["The Sierra Club \U0001F333 supports a carbon tax."]  # after a two-unit character in DNA's count
    assert (c["actor"], c["issue"], c["stance"], c["speaker"], c["status"], c["reviewer"]) == (
        "SIERRA_CLUB", "carbon_tax", "support", "Jane Roe", "human", "Ana")
    assert c["date"] == dt.date(2005, 1, 26) and c["article_id"] == "dna-hearings-1"
    art = store.article("dna-hearings-2")
    c = by_ev["The Sierra Club backs a ban on coal."]  # DNA's span had a trailing space; the text leading blanks
    assert art.text[c["ev_start"]:c["ev_end"]] == c["evidence"] and art.date == dt.date(2005, 2, 2)
    assert by_ev["Acme Oil opposes a carbon tax."]["stance"] == "oppose"
    assert by_ev["Acme Oil wants a carbon tax, said nobody."]["reviewer"] == "Admin"
    assert by_ev["Senate hearing."]["issue"] is None and by_ev["Senate hearing."]["actor"] == "UN"
    assert "Acme Oil rejects" not in by_ev  # no organization: kept for DNA, no claim
    book = store.codebook(r.codebook)
    assert [(a.id, a.name, a.description) for a in book.actors] == [
        ("SIERRA_CLUB", "Sierra Club", "Type: NGO"), ("ACME_OIL", "Acme Oil", "Type: Business"),
        ("UN", "United Nations", "")]
    assert [(i.id, i.label, i.description) for i in book.issues] == [
        ("carbon_tax", "Carbon tax", "a levy on CO2"), ("ban_on_coal", "Ban on coal", "")]
    assert store.latest_codebook() == r.codebook


def test_import_twice_adds_nothing(store, hand, kb):
    import_dna(store, hand, kb=kb)
    before = (_claims(store), store.count_articles(), store.count_dna("hearings"))
    r = import_dna(store, hand, kb=kb)
    assert (r.documents, r.statements, r.claims, r.kept, r.skipped) == (0, 0, 0, 0, 3)
    assert (_claims(store), store.count_articles(), store.count_dna("hearings")) == before


def test_new_statements_in_dna_are_added_on_reimport(store, tmp_path, kb):
    path = make_dna(tmp_path / "p.dna")
    first = import_dna(store, path, kb=kb)
    path.unlink()
    make_dna(path, extra_statements=[(8, 2, DOC2, "Acme Oil rejects a ban", 1, 3, 5, 1, 1)])
    with sqlite3.connect(path) as conn:  # ... and a concept coded since
        conn.execute("INSERT INTO ENTITIES (ID, VariableId, Value) VALUES (10, 3, 'Subsidies')")
        conn.execute("INSERT INTO STATEMENTS VALUES (9, 1, 3, 0, 6, 2)")
        conn.executemany("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (9, ?, ?)",
                         [(1, 1), (2, 2), (3, 10)])
        conn.execute("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (9, 4, 1)")
    r = import_dna(store, path, kb=kb)
    assert (r.statements, r.claims) == (2, 2) and r.codebook != first.codebook
    assert store.count_dna("p") == {"documents": 3, "statements": 10, "with_claim": 8}
    # the whole project's coding is in the new codebook, which analyses now read
    assert {c["codebook"] for c in store.claims(mapped_only=False)} == {r.codebook}
    assert store.latest_codebook() == r.codebook
    assert "subsidies" in {i.id for i in store.codebook(r.codebook).issues}
    g = network_from_store(store, kind="congruence")
    assert g["SIERRA_CLUB"]["ACME_OIL"]["weight"] == 2.0  # Acme Oil now also supports a ban on coal
    export_dna(store, tmp_path / "out.dna")
    assert table_rows(tmp_path / "out.dna") == table_rows(path)


def test_extraction_never_replaces_imported_claims(store, hand, kb, articles):
    r = import_dna(store, hand, kb=kb)
    before = _claims(store)
    art = store.article("dna-hearings-1")
    i = art.text.index("Acme Oil opposes")
    mc = Claim(article_id=art.id, date=art.date, actor="ACME_OIL", issue="carbon_tax", stance="oppose",
               evidence=art.text[i:i + 16], start=i, end=i + 16, confidence=0.7, extractor="x", extractor_version="9")
    store.save_extractions(r.codebook, "9", [(art, [mc])])
    assert before <= _claims(store) and len(_claims(store)) == len(before) + 1


def test_import_export_import_is_lossless(store, hand, kb, tmp_path):
    r1 = import_dna(store, hand, kb=kb)
    out = tmp_path / "out.dna"
    rep = export_dna(store, out)
    assert (rep.project, rep.kept, rep.edited, rep.added, rep.dropped) == ("hearings", 8, 0, 0, 0)
    assert_dna_30_schema(out)
    assert table_rows(out) == table_rows(hand)  # every table, row for row
    again = Store.open(f"sqlite:///{tmp_path / 'again.db'}")
    r2 = import_dna(again, out, project="hearings", kb=kb)
    assert r2.codebook == r1.codebook and again.codebook(r2.codebook) == store.codebook(r1.codebook)
    assert _claims(again) == _claims(store)
    assert [store.article(f"dna-hearings-{i}") for i in (1, 2, 3)] == [again.article(f"dna-hearings-{i}") for i in (1, 2, 3)]


def test_the_sample_round_trips_row_for_row(shared, tmp_path, kb):
    sample = shared / "dna" / "sample.dna"
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    r = import_dna(store, sample, kb=kb)
    assert (r.documents, r.statements, r.claims, r.kept, r.rejected) == (7, 41, 40, 1, [])
    export_dna(store, tmp_path / "out.dna")
    got, want = table_rows(tmp_path / "out.dna"), table_rows(sample)
    assert got == want  # coders with colours and passwords, NPF and Annotation types, entities, attributes...
    with sqlite3.connect(tmp_path / "out.dna") as conn:
        assert check_password("sample", conn.execute("SELECT Password FROM CODERS WHERE ID = 2").fetchone()[0])


def _edges(g) -> dict[frozenset, float]:
    return {frozenset((u, v)): d["weight"] for u, v, d in g.edges(data=True)}


def _dna_network(holdings: dict[str, set], kind: str) -> dict[frozenset, float]:
    """DNA's one-mode network (Exporter.computeOneModeMatrix) with duplicates ignored across the
    date range ("acrossrange": each organization-concept-agreement counted once) and no
    normalization: w(i, j) = sum over concepts c and agreement levels q1, q2 of
    a[i][c][q1] * a[j][c][q2] * (1 - |q1 - q2| / range) for congruence, * |q1 - q2| / range for
    conflict; the agreement is boolean, so range = 1."""
    out = {}
    levels = (0, 1)
    for a, b in itertools.combinations(sorted(holdings), 2):
        concepts = {c for c, _ in holdings[a] | holdings[b]}
        w = 0.0
        for c in concepts:
            for q1 in levels:
                for q2 in levels:
                    joint = ((c, q1) in holdings[a]) * ((c, q2) in holdings[b])
                    w += joint * ((1 - abs(q1 - q2)) if kind == "congruence" else abs(q1 - q2))
        if w:
            out[frozenset((a, b))] = w
    return out


@pytest.mark.parametrize("kind", ["congruence", "conflict"])
def test_networks_are_dnas(store, hand, kb, kind):
    r = import_dna(store, hand, kb=kb)
    names = {a.id: a.name for a in store.codebook(r.codebook).actors}
    g = network_from_store(store, kind=kind)
    got = {frozenset(names[n] for n in e): w for e, w in _edges(g).items()}
    assert got == _dna_network(dna_holdings(hand), kind)
    # by hand: Sierra Club supports both; Acme Oil opposes both and also once supports the tax
    want = {"congruence": {frozenset(("Sierra Club", "Acme Oil")): 1.0},
            "conflict": {frozenset(("Sierra Club", "Acme Oil")): 2.0}}[kind]
    assert got == want


@pytest.mark.parametrize("kind", ["congruence", "conflict"])
def test_networks_over_the_sample_are_dnas(shared, tmp_path, kb, kind):
    sample = shared / "dna" / "sample.dna"
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    r = import_dna(store, sample, kb=kb)
    names = {a.id: a.name for a in store.codebook(r.codebook).actors}
    got = {frozenset(names[n] for n in e): w for e, w in _edges(network_from_store(store, kind=kind)).items()}
    assert got == _dna_network(dna_holdings(sample), kind)
    if kind == "congruence":  # counted by hand from the sample's statements 26-37
        assert got[frozenset(("Sierra Club", "U.S. Public Interest Research Group"))] == 4.0


def test_edits_in_stancemap_reach_dna(store, hand, kb, tmp_path):
    import_dna(store, hand, kb=kb)
    by_ev = {c["evidence"]: c for c in store.claims(mapped_only=False)}
    store.set_status(by_ev["Acme Oil opposes a carbon tax."]["id"], "edited", reviewer="Bo", stance="support")
    store.set_status(by_ev["Acme Oil rejects a ban on coal."]["id"], "rejected", reviewer="Bo")
    store.set_status(by_ev["The Sierra Club backs a ban on coal."]["id"], "accepted", reviewer="Bo")
    rep = export_dna(store, tmp_path / "out.dna", password="pw2")
    assert (rep.kept, rep.edited, rep.dropped) == (6, 1, 1) and rep.coders == ["Admin", "Ana", "Bo"]
    got, was = table_rows(tmp_path / "out.dna"), table_rows(hand)
    assert [s[0] for s in got["STATEMENTS"]] == [1, 2, 3, 4, 6, 7, 100]  # 5 was rejected
    s2 = next(s for s in got["STATEMENTS"] if s[0] == 2)
    assert s2[5] == 3 and s2[1:5] == next(s for s in was["STATEMENTS"] if s[0] == 2)[1:5]  # Bo's now, same span
    assert next(b[3] for b in got["DATABOOLEAN"] if b[1] == 2) == 1  # agreement flipped
    assert {(c[1], c[2]) for c in got["CODERRELATIONS"]} == {(a, b) for a in (1, 2, 3) for b in (1, 2, 3) if a != b}
    with sqlite3.connect(tmp_path / "out.dna") as conn:
        assert check_password("pw2", conn.execute("SELECT Password FROM CODERS WHERE Name = 'Bo'").fetchone()[0])
    # accepted is a decision, not a change: the statement stays Ana's as DNA had it
    assert next(s for s in got["STATEMENTS"] if s[0] == 4)[5] == 2


def _machine_store(tmp_path, codebook):
    store = Store.open(f"sqlite:///{tmp_path / 'm.db'}")
    text = "Israel rejected a ceasefire in Gaza. \U0001F54A The United States backed a humanitarian pause."
    art = Article(id="a1", date=dt.date(2023, 11, 3), source="AP", title="Gaza", url="https://example.org/a1", text=text)
    store.add_articles([type("R", (), {"article": art, "error": None})()])
    mk = lambda actor, issue, stance, phrase: Claim(  # noqa: E731
        article_id="a1", date=art.date, actor=actor, issue=issue, stance=stance, evidence=phrase,
        start=text.index(phrase), end=text.index(phrase) + len(phrase), speaker=actor.lower(), confidence=0.8,
        extractor="rules", extractor_version="1")
    store.save_codebook(codebook)
    store.save_extractions(codebook.fingerprint, "1", [(art, [
        mk("ISR", "ceasefire", "oppose", "Israel rejected a ceasefire in Gaza."),
        mk("USA", "humanitarian_pause", "support", "The United States backed a humanitarian pause.")])])
    return store, art


def test_machine_claims_export_as_the_stancemap_coder(tmp_path, codebook, kb):
    store, art = _machine_store(tmp_path, codebook)
    rep = export_dna(store, tmp_path / "m.dna")
    assert rep.project is None and rep.added == 2 and rep.coders == ["Admin", "stancemap"]
    out = tmp_path / "m.dna"
    assert_dna_30_schema(out)
    rows = table_rows(out)
    (doc,) = rows["DOCUMENTS"]
    assert doc[1:4] == ("Gaza", art.text, 2) and doc[5] == "AP" and doc[9] == 1698969600  # 2023-11-03 UTC
    spans = sorted((s[3], s[4]) for s in rows["STATEMENTS"])
    assert spans == sorted([span(art.text, "Israel rejected a ceasefire in Gaza."),
                            span(art.text, "The United States backed a humanitarian pause.")])
    assert {s[5] for s in rows["STATEMENTS"]} == {2}
    labels = {e[2] for e in rows["ENTITIES"]}
    assert {codebook.actor("ISR").name, codebook.issue("ceasefire").label, "isr"} <= labels
    with sqlite3.connect(out) as conn:
        assert check_password("stancemap", conn.execute("SELECT Password FROM CODERS WHERE ID = 1").fetchone()[0])
    # ... and come back as machine claims, actors found again through the knowledge base
    again = Store.open(f"sqlite:///{tmp_path / 'again.db'}")
    import_dna(again, out, kb=kb)
    got = {(c["actor"], c["stance"], c["evidence"], c["status"]) for c in again.claims()}
    assert got == {("ISR", "oppose", "Israel rejected a ceasefire in Gaza.", "machine"),
                   ("USA", "support", "The United States backed a humanitarian pause.", "machine")}
    # accepted in review, a "stancemap" statement becomes its reviewer's
    isr = next(c for c in again.claims() if c["actor"] == "ISR")
    again.set_status(isr["id"], "accepted", reviewer="ana")
    rep = export_dna(again, tmp_path / "m1.dna")
    assert (rep.kept, rep.edited) == (2, 0) and rep.coders == ["Admin", "stancemap", "ana"]
    coders = {s[4]: s[5] for s in table_rows(tmp_path / "m1.dna")["STATEMENTS"]}
    assert coders == {span(art.text, isr["evidence"])[1]: 3,
                      span(art.text, "The United States backed a humanitarian pause.")[1]: 2}
    # a newer extraction replaces the unreviewed machine claim: its statement leaves the next export
    fp = again.latest_codebook()
    again.save_extractions(fp, "2", [(again.article(again.claims()[0]["article_id"]), [])])
    assert [c["id"] for c in again.claims()] == [isr["id"]]  # reviewed claims stay
    rep = export_dna(again, tmp_path / "m2.dna")
    assert (rep.statements, rep.kept, rep.dropped, rep.documents) == (1, 1, 1, 1)


def test_export_never_overwrites_a_file(tmp_path, codebook):
    store, _ = _machine_store(tmp_path, codebook)
    (tmp_path / "x.dna").write_bytes(b"precious")
    with pytest.raises(StancemapError, match="does not overwrite"):
        export_dna(store, tmp_path / "x.dna")
    assert (tmp_path / "x.dna").read_bytes() == b"precious"


def test_a_mapping_file_names_actors_and_issues(tmp_path, hand, kb):
    m = tmp_path / "map.yaml"
    m.write_text("organizations:\n  Sierra Club: SC\n  Acme Oil: OIL\nconcepts:\n  Carbon tax: tax\n", encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    r = import_dna(store, hand, mapping=load_mapping(m), kb=kb)
    assert {(c["actor"], c["issue"]) for c in store.claims()} == {("SC", "tax"), ("OIL", "tax"), ("SC", "ban_on_coal"),
                                                                  ("OIL", "ban_on_coal")}
    assert r.new_actors == []


@pytest.mark.parametrize("body, where, message", [
    ("organizations:\n  Sierra Club: SC\ncolours: 3\n", ":3", "unknown field 'colours'"),
    ("organizations:\n  Sierra Club: [SC]\n", ":2", "each entry is"),
    ("variables:\n  actor: org\n", ":2", "'actor' is not one of"),
    ("organizations: [\n", ":2", "not a YAML file"),
])
def test_a_bad_mapping_file_names_file_line_and_field(tmp_path, body, where, message):
    m = tmp_path / "map.yaml"
    m.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as e:
        load_mapping(m)
    assert e.value.where == f"{m}{where}"


def test_a_renamed_statement_type_needs_the_mapping(tmp_path, kb):
    path = make_dna(tmp_path / "p.dna")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE STATEMENTTYPES SET Label = 'Claim' WHERE ID = 1")
        conn.execute("UPDATE VARIABLES SET Variable = 'actor' WHERE ID = 2")
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    with pytest.raises(InputError, match="no statement type 'DNA Statement'"):
        import_dna(store, path, kb=kb)
    m = tmp_path / "map.yaml"
    m.write_text("statement_type: Claim\nvariables:\n  organization: actor\n", encoding="utf-8")
    r = import_dna(store, path, mapping=load_mapping(m), kb=kb)
    assert r.claims == 6


def test_claims_extracted_on_dna_documents_are_added_with_dnas_offsets(store, hand, kb, tmp_path):
    """A machine claim on a DNA document (whose text DNA keeps with white space around it)
    becomes a statement of that document, coded by "stancemap", spanning its evidence."""
    r = import_dna(store, hand, kb=kb)
    art = store.article("dna-hearings-2")
    phrase = "Acme Oil rejects a ban on coal."
    i = art.text.index(phrase)
    mc = Claim(article_id=art.id, date=art.date, actor="ACME_OIL", issue="ban_on_coal", stance="oppose",
               evidence=phrase, start=i, end=i + len(phrase), speaker="Acme", confidence=0.7, extractor="rules",
               extractor_version="9")
    store.save_extractions(r.codebook, "9", [(art, [mc])])
    rep = export_dna(store, tmp_path / "out.dna")
    assert (rep.kept, rep.added, rep.coders) == (8, 1, ["Admin", "Ana", "stancemap"])
    got = table_rows(tmp_path / "out.dna")
    new = next(s for s in got["STATEMENTS"] if s[0] == 101)  # after DNA's highest id
    assert new[1:3] == (1, 2) and new[5] == 3 and (new[3], new[4]) == span(DOC2, phrase)
    ents = {e[0]: e[2] for e in got["ENTITIES"]}
    assert sorted(ents[d[3]] for d in got["DATASHORTTEXT"] if d[1] == 101) == ["Acme", "Acme Oil", "Ban on coal"]
    assert len(got["ENTITIES"]) == len(table_rows(hand)["ENTITIES"]) + 1  # only the person is new


def test_a_document_already_ingested_is_linked(tmp_path, hand, kb):
    """DNA's document is an article stancemap has (other spacing): the claims go to that article."""
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    text = DOC1.replace(". ", ".  ")
    art = Article(id="reuters-1", date=dt.date(2005, 1, 26), source="Reuters", title="t", text=text)
    store.add_articles([type("R", (), {"article": art, "error": None})()])
    import_dna(store, hand, kb=kb)
    mine = [c for c in store.claims(mapped_only=False) if c["article_id"] == "reuters-1"]
    assert sorted(c["evidence"] for c in mine) == sorted([
        "The Sierra Club \U0001F333 supports a carbon tax.", "Acme Oil opposes a carbon tax.",
        "Acme Oil wants a carbon tax, said nobody.", "Senate hearing."])
    assert all(text[c["ev_start"]:c["ev_end"]] == c["evidence"] for c in mine)
    assert store.article("dna-hearings-1") is None
    export_dna(store, tmp_path / "out.dna")
    assert table_rows(tmp_path / "out.dna") == table_rows(hand)  # DNA's own text and spans come back
    # a claim extracted on that article goes to DNA's document, found in DNA's spacing
    i = text.index("Acme Oil opposes")
    mc = Claim(article_id="reuters-1", date=art.date, actor="ACME_OIL", issue="ban_on_coal", stance="oppose",
               evidence=text[i:i + 16], start=i, end=i + 16, confidence=0.7, extractor="x", extractor_version="9")
    store.save_extractions(store.latest_codebook(), "9", [(art, [mc])])
    rep = export_dna(store, tmp_path / "out2.dna")
    assert (rep.added, rep.unplaced) == (1, 0)
    new = next(s for s in table_rows(tmp_path / "out2.dna")["STATEMENTS"] if s[0] == 101)
    assert new[2] == 1 and (new[3], new[4]) == span(DOC1, "Acme Oil opposes")


_TEXT = st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "\U0001F333", "é", "."]), min_size=3, max_size=30)


@st.composite
def _projects(draw):
    docs = draw(st.lists(_TEXT, min_size=1, max_size=3))
    stmts = []
    for d, text in enumerate(docs):
        for _ in range(draw(st.integers(0, 4))):
            a = draw(st.integers(0, len(text) - 1))
            b = draw(st.integers(a + 1, len(text)))
            stmts.append((d, a, b, draw(st.sampled_from(["", "P"])), draw(st.sampled_from(["", "Org A", "Org B"])),
                          draw(st.sampled_from(["", "x", "y"])), draw(st.integers(0, 1)), draw(st.integers(1, 2))))
    return docs, stmts


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(project=_projects())
def test_any_project_round_trips(tmp_path_factory, project):
    """Whatever the texts (white space around them, characters DNA counts twice) and spans
    (white space only, overlapping, the same span coded twice), export gives the file back."""
    docs, stmts = project
    tmp = tmp_path_factory.mktemp("rt")
    src = make_dna_from(tmp / "p.dna", docs, stmts)
    store = Store.open(f"sqlite:///{tmp / 's.db'}")
    r = import_dna(store, src)
    assert r.rejected == [] and r.statements == len(stmts)
    for c in store.claims(mapped_only=False):
        art = store.article(c["article_id"])
        assert art.text[c["ev_start"]:c["ev_end"]] == c["evidence"] == c["evidence"].strip()
    export_dna(store, tmp / "out.dna")
    assert table_rows(tmp / "out.dna") == table_rows(src)
    store.close()

"""Office holders imported from Phoenix (knowledge/office_holders.py): who they keep, how the
built-in file is made and read, and what they let a 2005 article find that it could not before."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.errors import KnowledgeError
from stancemap.knowledge.codebook import builtin_codebook, load_codebook
from stancemap.knowledge.kb import DATA_DIR, KnowledgeBase
from stancemap.knowledge.office_holders import PHOENIX_DATE, SOURCE, dump, load, office_holders
from stancemap.knowledge.phoenix import read_actors
from stancemap.model import Article

SAMPLE = """\
CHARLES_CLARKE_  # CountryInfo.txt
\t[GBRGOVEDU 030101-041231]
\t[GBRGOV 050101-060531]
ALAN_EXAMPLE_  # a made-up minister
\t[GBRGOVMIL >100601]
JOHN_SMITHSON_  # an elite, never in government
\t[GBRELI 700101-800101]
ANN_UNDATED_  # in government at no known date
\t[GBRGOV]
AFGHAN_NATIONAL_SECURITY_FORCES_
\t[AFGMIL 020101-100101]
TONY_BLAIR_  # in people.yaml already: its entry wins
\t[GBRGOV 970502-070627]
THIERRY_BRETON_
+THIERRY_JEAN_BRETON_
\t[FRAGOVBUS 050301-070531]
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    path = tmp_path_factory.mktemp("phoenix") / "sample.actors.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    kb = KnowledgeBase.curated()
    forms = [s for s, _e in kb.surface_forms()]
    states = [a.id for a in kb.actors() if a.kind == "state"]
    return office_holders(read_actors(path).actors, forms, states), path


def test_keeps_dated_government_roles_of_people_only(imported):
    people, _path = imported
    by_name = {a.name: a for a in people}
    assert sorted(by_name) == ["Alan Example", "Charles Clarke", "Thierry Breton"]
    clarke = by_name["Charles Clarke"]
    assert [(r.of, r.title, r.start, r.end) for r in clarke.roles] == [
        ("GBR", "government minister (education)", dt.date(2003, 1, 1), dt.date(2004, 12, 31)),
        ("GBR", "government minister", dt.date(2005, 1, 1), dt.date(2006, 5, 31))]
    # an open role ends on the dictionary's date (Liam Fox's, so, ended 2011; Phoenix never said)
    assert [(r.start, r.end) for r in by_name["Alan Example"].roles] == [(dt.date(2010, 6, 1), PHOENIX_DATE)]
    assert by_name["Thierry Breton"].aliases == ("Thierry Jean Breton",)


def test_file_round_trip_and_errors(imported, tmp_path):
    people, _path = imported
    path = tmp_path / "holders.tsv"
    path.write_text(dump(people), encoding="utf-8")
    back = [e.actor for e in load(path)]
    assert [(a.id, a.name, a.aliases, a.roles, a.description) for a in back] == \
        [(a.id, a.name, a.aliases, a.roles, SOURCE) for a in people]
    assert all(e.short == () for e in load(path))
    bad = tmp_path / "bad.tsv"
    bad.write_text("# header\nJane Doe\t\tGBR,government minister,2005-13-01,\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad.tsv:2"):
        load(bad)


def test_cli_makes_the_file(imported, tmp_path):
    _people, path = imported
    out = tmp_path / "holders.tsv"
    r = CliRunner().invoke(app, ["kb", "import", str(path), "--office-holders", "--until", "2012-12-31", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "office holders: 3 people, 4 roles" in r.output
    text = out.read_text(encoding="utf-8")
    assert "Alan Example\t\tGBR,government minister (military),2010-06-01,2012-12-31\n" in text
    assert "MIT licence" in text  # the dictionary's licence travels with it
    kb = KnowledgeBase.curated().extended_from(out)
    assert kb.resolve("Alan Example", dt.date(2011, 1, 1)).actor == "GBR"
    assert kb.resolve("Alan Example", dt.date(2013, 1, 1)).actor is None
    r = CliRunner().invoke(app, ["kb", "import", str(path), "--office-holders", "--until", "soon"])
    assert r.exit_code == 1 and "--until" in r.output


def test_builtin_knows_2005_ministers_and_not_after_2014():
    kb = KnowledgeBase.builtin()
    for name in ("Gordon Brown", "Charles Clarke", "John Prescott", "Jack Straw"):
        assert kb.resolve(name, dt.date(2005, 3, 1)).actor == "GBR", name
        assert kb.resolve(name, dt.date(2016, 3, 1)).actor is None, name
    # the curated entries win: Tony Blair keeps his own dates and Quartet role
    assert kb.resolve("Tony Blair", dt.date(2010, 1, 1)).actor == "QUARTET"
    assert kb.get("person:tony-blair").description != SOURCE
    # no short names: "Brown" alone is nobody
    assert kb.resolve("Brown", dt.date(2005, 3, 1)).actor is None
    assert (DATA_DIR / "office-holders.tsv").stat().st_size < 3_000_000


CODEBOOK_2005 = """\
name: uk-2005
actors:
  - {id: LAB, name: Labour Party, description: "The Labour Party and the Labour government of Tony Blair: its ministers."}
  - {id: CON, name: Conservative Party, description: "The Conservative Party: its leader Michael Howard and spokespeople."}
  - {id: LD, name: Liberal Democrats, description: "The Liberal Democrats and their spokespeople."}
issues:
  - {id: id-cards, label: Identity cards, description: "A national identity card scheme for the UK"}
  - {id: iraq-war, label: The war in Iraq, description: "The 2003 invasion of Iraq and keeping British troops there"}
"""


@pytest.fixture(scope="module")
def finder(tmp_path_factory):
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    path = tmp_path_factory.mktemp("cb") / "uk.yaml"
    path.write_text(CODEBOOK_2005, encoding="utf-8")
    ex = Extractor(load_codebook(path))
    ex._build()
    return CandidateFinder(ex)


def _pairs(finder, text, date=dt.date(2005, 2, 1)):
    ac = finder.pipe([Article(id="a", date=date, text=text)])[0]
    return sorted({(p.sent, p.actor, p.speaker) for p in ac.pairs})


def test_a_minister_named_in_2005_is_the_governing_party_and_then_his_surname(finder):
    pairs = _pairs(finder, "Gordon Brown defended the war in Iraq. Mr Brown said troops would stay. "
                           "Charles Clarke said identity cards would help. Clarke told MPs so.")
    assert pairs == [(0, "LAB", "Gordon Brown"), (1, "LAB", "Mr Brown"), (2, "LAB", "Charles Clarke"),
                     (3, "LAB", "Clarke")]


def test_a_minister_out_of_office_is_nobody(finder):
    # Gordon Brown left office in 2010: in 2016 the knowledge base knows no office of his, and his
    # surname names no one after him either
    assert _pairs(finder, "Gordon Brown criticised the war in Iraq. Mr Brown said so twice.", dt.date(2016, 2, 1)) == []


def test_a_party_adjective_names_the_party(finder):
    pairs = _pairs(finder, "Liberal Democrat home affairs spokesman Mark Oaten said identity cards were a waste.")
    assert pairs == [(0, "LD", "Liberal Democrat")]


def test_a_former_minister_is_introduced_like_anyone_unknown():
    # Thierry Breton was a French minister in 2005-07 (Phoenix); in 2023 he speaks for the EU
    # as its commissioner, as the article says, and "Breton" after that is the EU too
    from stancemap.extract.pipeline import Extractor

    ex = Extractor(builtin_codebook())
    ex._build()
    _doc, ms = ex.split(Article(id="a", date=dt.date(2023, 11, 1), text=(
        "EU Commissioner Thierry Breton spoke in Brussels on Monday. Breton said a ceasefire was needed.")))
    assert ("Breton", "EU") in [(m.text, m.actor) for m in ms]


def test_a_parliament_is_no_government():
    # Phoenix codes speakers and senators USAGOVLEG: they are not kept
    kb = KnowledgeBase.builtin()
    assert kb.resolve("John Boehner", dt.date(2012, 6, 1)).actor is None
    assert "(legislature)" not in (DATA_DIR / "office-holders.tsv").read_text(encoding="utf-8")

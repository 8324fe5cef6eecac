"""A codebook that gives no aliases: its actors are still found by the short forms their names
and descriptions imply ("Labour Party" -> "Labour"), matched with exact case only."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract import make_extractor
from stancemap.knowledge.codebook import codebook_from_dict, codebook_to_dict
from stancemap.knowledge.described import description_names, short_forms, with_description_aliases
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model import Actor, Article

# A made-up parliament: none of these parties is in the knowledge base.
CODEBOOK = {
    "name": "northmark-parliament",
    "actors": [
        {"id": "LAB", "name": "Labour Party", "description": "The Labour government of Ada Brennan and its ministers"},
        {"id": "CON", "name": "Conservative Party", "description": "The Conservative opposition and Tory MPs"},
        {"id": "NIP", "name": "Northmark Independence Party", "description": "NIP and its leader Olaf Strand"},
        {"id": "GREENS", "name": "Riverton Greens", "description": "The Green group in parliament"},
        {"id": "BIZ", "name": "Chamber of Commerce", "description": "The Northmark Chamber of Commerce"},
        {"id": "LIB", "name": "Liberal Democrats", "description": "The third party"},
    ],
    "issues": [
        {"id": "id-cards", "label": "Identity cards", "description": "Introducing compulsory national identity cards"},
        {"id": "rail", "label": "Rail nationalisation", "description": "Taking the railways into public ownership"},
    ],
}


def _kb_known():
    kb = KnowledgeBase.builtin()
    agents = kb.agent_nouns()
    return kb, (lambda w: w.lower() in agents or kb.knows_name(w))


def test_short_forms_of_names_and_descriptions():
    kb, known = _kb_known()
    cb = with_description_aliases(codebook_from_dict(CODEBOOK, "t"), frozenset(kb.demonyms()), known=known)
    cased = {a.id: set(a.cased_aliases) for a in cb.actors}
    assert {"Labour"} <= cased["LAB"]                      # the name without "Party"
    assert {"Conservative", "Conservatives", "Tory", "Tories"} <= cased["CON"]  # and their plurals
    assert "Green" in cased["GREENS"] and "Greens" in cased["GREENS"]
    assert "Commerce" not in cased["BIZ"]                  # the end of "Chamber of Commerce", not a name
    assert "MPs" not in cased["CON"] and "MP" not in cased["CON"]   # a role noun
    aliases = {a.id: set(a.aliases) for a in cb.actors}
    assert {"Ada Brennan", "Brennan"} <= aliases["LAB"]    # "Ada Brennan and its ministers"
    # initials of a long name; a name the knowledge base knows gets nothing it does not need
    assert "NIP" in short_forms(Actor(id="X", name="Northmark Independence Party"))
    # a two-word name clipped as the press clips it; short words are not clipped
    assert {"Lib Dem", "Lib Dems", "LibDems"} <= set(short_forms(Actor(id="LD", name="Liberal Democrats")))
    assert "Lib Dems" in short_forms(Actor(id="LD", name="Liberal Democrat Party"))
    assert not any(" " in f for f in short_forms(Actor(id="X", name="Green Left")))
    assert short_forms(Actor(id="USA", name="United States", description="US officials, the Pentagon"),
                       known=known) == []


def test_an_actor_with_aliases_gets_no_guessed_forms():
    kb, known = _kb_known()
    raw = {**CODEBOOK, "actors": [{**CODEBOOK["actors"][0], "aliases": ["Labour"]}]}
    cb = with_description_aliases(codebook_from_dict(raw, "t"), frozenset(kb.demonyms()), known=known)
    assert cb.actors[0].cased_aliases == ()


def test_cased_aliases_round_trip_through_the_codebook_format():
    raw = {**CODEBOOK, "actors": [{**CODEBOOK["actors"][0], "cased_aliases": ["LP"]}]}
    cb = codebook_from_dict(raw, "t")
    assert cb.actors[0].cased_aliases == ("LP",)
    assert codebook_from_dict(codebook_to_dict(cb), "t") == cb


@pytest.mark.model
def test_short_forms_find_claims_and_case_matters():
    cb = codebook_from_dict(CODEBOOK, "t")
    ex = make_extractor(cb)
    text = ("Labour wants to bring in identity cards by 2008, ministers said. "
            "The Tories said they would oppose the identity cards bill. "
            "NIP said it would back rail nationalisation. "
            "The Lib Dems said they would oppose identity cards. "
            "Trade unions said the labour market needs identity cards for workers.")
    art = Article(id="t1", date=dt.date(2005, 2, 1), source="test", title="t", text=text)
    claims = ex.extract(art)
    got = {(c.actor, c.issue, c.stance.value) for c in claims}
    assert ("LAB", "id-cards", "support") in got
    assert ("CON", "id-cards", "oppose") in got
    assert any(c.actor == "NIP" and c.issue == "rail" for c in claims)
    assert ("LIB", "id-cards", "oppose") in got  # "Lib Dems": the clipped name
    # "labour market" is not Labour: the short form matches with its case only
    assert not any(c.actor == "LAB" and c.evidence.startswith("Trade unions") for c in claims)


def test_names_of_office_holders_in_a_description():
    """A description names ministers with their offices, British style, and adds a note: the
    people are aliases without their titles, the offices and the note are not names."""
    kb, known = _kb_known()
    cb = codebook_from_dict({
        "name": "westminster", "issues": CODEBOOK["issues"],
        "actors": [
            {"id": "GOV", "name": "Conservative Party",
             "description": "The Conservative government: Home Secretaries Suella Braverman and James Cleverly, "
                            "Foreign Secretary David Cameron, Sir Oswin Pike, Downing Street and the Foreign Office. "
                            "Backbench MPs speaking for themselves do not count."},
            {"id": "OPP", "name": "Labour Party", "description": "Shadow Foreign Secretary David Lammy and Labour MPs."},
        ]}, "t")
    described = with_description_aliases(cb, frozenset(kb.demonyms()), known=known)
    aliases = {a.id: set(a.aliases) for a in described.actors}
    cased = {a.id: set(a.cased_aliases) for a in described.actors}
    assert {"Suella Braverman", "Braverman", "David Cameron", "Oswin Pike", "Pike", "Downing Street",
            "Foreign Office"} <= aliases["GOV"]
    assert not {"Home Secretaries Suella Braverman", "Foreign Secretary David Cameron", "Sir Oswin Pike"} & aliases["GOV"]
    assert "Street" not in aliases["GOV"]                  # "Downing Street" is a place, not a person
    assert not any("Backbench" in x or "MPs" in x for x in aliases["GOV"] | aliases["OPP"] | cased["GOV"])
    assert not {"Foreign", "Home", "Secretaries", "Shadow"} & (cased["GOV"] | cased["OPP"])
    assert {"David Lammy", "Lammy"} <= aliases["OPP"]
    assert {"Tory", "Tories"} <= cased["GOV"]              # what the press calls the Conservatives
    ex = make_extractor(cb)  # the extractor derives the same aliases itself
    art = Article(id="w1", date=dt.date(2024, 2, 1), source="t", title="",
                  text="The Tories said they would oppose the identity cards bill. "
                       "Pike said he would back rail nationalisation.")
    got = {(c.actor, c.issue, c.stance.value) for c in ex.extract(art)}
    assert ("GOV", "id-cards", "oppose") in got
    assert ("GOV", "rail", "support") in got


def test_what_the_description_rules_leave_alone():
    """The title, nickname and sentence rules keep to their cases: an office after "The" stays a
    name, a nickname goes to the party alone, a known person's first name is no short form, and a
    surname that is also a place word is kept for a person the knowledge base does not know."""
    kb, known = _kb_known()
    assert "Home Office" in description_names("Ministers in Whitehall. The Home Office and the Treasury.")
    assert "Foreign Office" in description_names("The Foreign Office under Foreign Secretary James Cleverly.")
    cb = codebook_from_dict({
        "name": "misc", "issues": CODEBOOK["issues"],
        "actors": [
            {"id": "CFI", "name": "Conservative Friends of Israel", "description": "A lobby group"},
            {"id": "IRA", "name": "Irish Republican Army"},
            {"id": "LAB", "name": "Labour Party", "description": "Its leader Keir Starmer and the Scottish Government."},
            {"id": "WM", "name": "West Midlands", "description": "Mayor Andy Street and aides such as Fiona Hill"},
            {"id": "BLOC", "name": "Ruling bloc", "description": "The ruling bloc. Fenwood leads it."},
        ]}, "t")
    described = {a.id: a for a in with_description_aliases(cb, frozenset(kb.demonyms()), known=known).actors}
    assert not {"Tory", "Tories"} & set(described["CFI"].cased_aliases)
    assert "GOP" not in described["IRA"].cased_aliases
    assert not {"Keir", "Scottish"} & set(described["LAB"].cased_aliases)
    assert {"Street", "Hill"} <= set(described["WM"].aliases)
    assert "Fenwood" in described["BLOC"].cased_aliases

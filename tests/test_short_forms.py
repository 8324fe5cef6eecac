"""A codebook that gives no aliases: its actors are still found by the short forms their names
and descriptions imply ("Labour Party" -> "Labour"), matched with exact case only."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract import make_extractor
from stancemap.knowledge.codebook import codebook_from_dict, codebook_to_dict
from stancemap.knowledge.described import short_forms, with_description_aliases
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
    return kb, (lambda w: w.lower() in agents or kb.resolve(w).actor is not None)


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

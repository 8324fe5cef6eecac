"""People a user's codebook names that the knowledge base does not know: "he" and "her" refer
back to them as they do to the people the knowledge base knows."""

from __future__ import annotations

import datetime as dt

from stancemap.extract.candidates import CandidateFinder
from stancemap.extract.pipeline import Extractor
from stancemap.knowledge.codebook import codebook_from_dict
from stancemap.knowledge.described import person_alias, with_description_aliases
from stancemap.model import Actor, Article

# A made-up country: no one here is in the knowledge base.
CODEBOOK = {
    "name": "northmark",
    "actors": [
        {"id": "LAB", "name": "Labour Party", "description": "The Labour government of Ada Brennan and its ministers",
         "aliases": ["Labour", "Ada Brennan", "Brennan", "Mrs. Brennan", "the Brennan government", "NLP"]},
        {"id": "CON", "name": "Conservative Party", "description": "Tory MPs and their leader",
         "aliases": ["Conservatives", "Tories", "Senate Conservatives", "Piet Vos", "Prime Minister"]},
    ],
    "issues": [
        {"id": "id-cards", "label": "Identity cards", "description": "Introducing compulsory national identity cards"},
    ],
}


def test_which_codebook_aliases_name_a_person():
    cb = codebook_from_dict(CODEBOOK)
    lab, con = cb.actors
    people = {a: person_alias(a, lab) for a in lab.aliases}
    assert people == {"Labour": False, "Ada Brennan": True, "Brennan": True, "Mrs. Brennan": True,
                      "the Brennan government": False, "NLP": False}
    people = {a: person_alias(a, con) for a in con.aliases}
    # "Vos" alone is no alias; "Prime Minister" is a title, not a name
    assert people == {"Conservatives": False, "Tories": False, "Senate Conservatives": False, "Piet Vos": True,
                      "Prime Minister": False}
    # one word is a surname only where the actor's aliases give the full name
    # organisations and groups named like people are not people
    for alias in ("Tory MPs", "Brennan Foundation", "Northmark News", "Brennan Campaign", "Lib Dems"):
        assert not person_alias(alias, lab), alias
    assert not person_alias("Brennan", Actor(id="X", name="X", aliases=("Brennan",)))
    assert person_alias("Brennan", Actor(id="X", name="Brennan", kind="person"))
    # a name the description gives is an alias, and a person's
    described = with_description_aliases(codebook_from_dict({**CODEBOOK, "actors": [
        {"id": "LAB", "name": "Labour Party", "description": "The Labour government of Ada Brennan"}]}))
    assert "Ada Brennan" in described.actors[0].aliases and person_alias("Ada Brennan", described.actors[0])


def test_pronouns_refer_back_to_a_codebook_person():
    text = ("Ada Brennan spoke in Riverton on Monday. She said identity cards would make the country safer. "
            "Tory MPs, though, attacked her plan for the cards.")
    art = Article(id="a", date=dt.date(2005, 2, 6), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(codebook_from_dict(CODEBOOK))).pipe([art])[0]
    kinds = [{p.actor: p.kind for p in ac.pairs_of(i)} for i in range(len(ac.sentences))]
    assert kinds[0] == {"LAB": "name"}
    assert kinds[1] == {"LAB": "ref"}  # "She said ...": the leading pronoun
    assert kinds[2].get("LAB") == "person_ref"  # "her plan", beside another actor named
    assert all(p.person for p in ac.pairs if p.actor == "LAB")

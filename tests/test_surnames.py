"""People the knowledge base does not know: introduced once with their actor and office, then
named by surname alone. And references the parse resolves give the learned model its pairs."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract.candidates import CandidateFinder
from stancemap.extract.pipeline import Extractor
from stancemap.knowledge.codebook import builtin_codebook
from stancemap.model import Article


@pytest.fixture(scope="module")
def rules():
    ex = Extractor(builtin_codebook())
    ex._build()
    return ex


def _mentions(rules, text):
    _doc, ms = rules.split(Article(id="a", date=dt.date(2024, 2, 1), text=text))
    return [(m.text, m.actor, m.person) for m in ms]


@pytest.mark.parametrize("intro", [
    "US Deputy National Security Adviser Jon Finer spoke in Aspen on Monday.",  # office, then name
    "White House national security aide Jon Finer spoke in Aspen on Monday.",
    "Jon Finer, the White House deputy national security adviser, spoke in Aspen on Monday.",  # apposition
])
def test_a_person_introduced_with_actor_and_office_is_then_named_by_surname(rules, intro):
    got = _mentions(rules, intro + " Finer said more aid was needed. Mr Finer added that talks went on.")
    assert ("Finer", "USA", True) in got and ("Mr Finer", "USA", True) in got


def test_an_office_the_knowledge_base_knows_introduces_the_name_after_it(rules):
    got = _mentions(rules, "UN High Commissioner for Human Rights Volker Türk warned on Friday. "
                           "Türk said a ceasefire was needed.")
    assert ("Türk", "UN", True) in got


@pytest.mark.parametrize("text", [
    "Israeli forces in Gaza City attacked on Monday. City officials said little.",  # a place, after "in"
    "Israeli Army Radio reported the strike on Monday. Radio stations said little.",  # no office before it
    "US troops Monday Morning left the base. Morning came.",  # "troops" are no one person's office
    "US officials Anna Berg and Lars Holm met. Holm said little.",
])
def test_a_place_or_a_name_with_no_office_before_it_is_no_introduction(rules, text):
    got = _mentions(rules, text)
    assert not any(t in ("City", "Radio", "Morning", "Holm") for t, _a, _p in got), got


def test_a_surname_two_actors_claim_names_neither(rules):
    got = _mentions(rules, "US envoy Anna Berg met Israeli envoy Lars Berg on Monday. Berg said talks went on.")
    assert not any(t == "Berg" for t, _a, _p in got)


def test_a_surname_before_its_introduction_is_not_a_mention(rules):
    got = _mentions(rules, "Finer spoke first. US Deputy National Security Adviser Jon Finer then left.")
    assert not any(t == "Finer" for t, _a, _p in got)


def test_the_rules_read_the_surname_in_a_later_sentence(rules):
    text = "US Deputy National Security Adviser Jon Finer spoke on Monday in Aspen. Finer called for an immediate ceasefire in Gaza."
    claims = rules.extract(Article(id="a", date=dt.date(2024, 2, 1), text=text))
    assert [(c.actor, c.issue, c.stance.value, c.speaker) for c in claims] == [("USA", "ceasefire", "support", "Finer")]


def test_a_reference_the_parse_resolves_is_a_pair(rules):
    # "he" is neither the first word nor alone: named actors come before it
    text = ("French President Emmanuel Macron spoke in Paris on Monday. Israel, he said, must stop the offensive "
            "in Rafah and agree to an immediate ceasefire.")
    ac = CandidateFinder(rules).pipe([Article(id="a", date=dt.date(2024, 2, 1), text=text)])[0]
    second = [p for p in ac.pairs if p.sent == 1]
    assert {p.actor for p in second} >= {"ISR", "FRA"}
    fra = next(p for p in second if p.actor == "FRA")
    assert fra.kind in ("ref", "rules") and ac.sentences[1].refs.get("FRA") == 2


def _pairs_by_sentence(rules, text):
    ac = CandidateFinder(rules).pipe([Article(id="a", date=dt.date(2024, 2, 1), text=text)])[0]
    return [{p.actor: p.kind for p in ac.pairs if p.sent == i} for i in range(len(ac.sentences))]


def test_a_quotation_that_goes_on_is_its_speakers(rules):
    text = ('Lord Cameron told reporters: "We need a sustainable ceasefire. Everyone has to understand that Hamas '
            'must be dismantled. Otherwise no peace will last." Aid trucks waited at the border.')
    got = _pairs_by_sentence(rules, text)
    assert got[0].get("GBR") == "name"
    assert got[1].get("GBR") == "quote" and got[2].get("GBR") == "quote"
    assert "GBR" not in got[3]  # the quotation closed


def test_a_new_paragraph_ends_an_unclosed_quotation(rules):
    text = 'Lord Cameron told reporters: "We need a sustainable ceasefire.\n\nAid trucks waited at the border.'
    got = _pairs_by_sentence(rules, text)
    assert got[0].get("GBR") == "name" and "GBR" not in got[1]


@pytest.mark.parametrize("text, not_names", [
    ("Jon Smith, who met the US envoy on Monday, spoke in Rafah. Smith called for a ceasefire.", {"Smith"}),
    ("In Tel Aviv, the Israeli defence minister said so. Protests in Tel Aviv went on.", {"Aviv", "Tel Aviv"}),
    ("UN Deputy Spokesperson Farhan Haq spoke. The Spokesperson said more.", {"Spokesperson", "The Spokesperson"}),
    ("The UN Population Fund said so on Monday. The Fund said more.", {"Fund", "The Fund"}),
    ("Israeli army spokesman Avi Strip said so. The Gaza Strip was shelled.", {"Strip"}),  # inside another name
])
def test_no_person_from_a_relative_clause_a_place_an_office_or_inside_another_name(rules, text, not_names):
    got = _mentions(rules, text)
    assert not any(t in not_names for t, _a, _p in got), got


@pytest.mark.parametrize("text", ["Jon Finer", "Jon Finer,", "US envoy Jon Finer", '"', "Hamas"])
def test_a_name_at_the_very_end_of_the_text(rules, text):
    _mentions(rules, text)  # no error


"""People with a role in a party (knowledge/data/people.yaml, organisations.yaml): a codebook of
parties finds them where its descriptions do not name them, and knows which party governs."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.knowledge.codebook import codebook_from_dict
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model import Article

# a user's codebook of British parties that names nobody
BARE = codebook_from_dict({"name": "uk-bare", "actors": [
    {"id": "LAB", "name": "Labour Party"}, {"id": "CON", "name": "Conservative Party"},
    {"id": "LD", "name": "Liberal Democrats"}, {"id": "SNP", "name": "Scottish National Party"}],
    "issues": [{"id": "iraq", "label": "The war in Iraq", "description": "The 2003 invasion of Iraq"}]}, "t")


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.builtin()


@pytest.fixture(scope="module")
def finder():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    ex = Extractor(BARE)
    ex._build()
    return CandidateFinder(ex)


def _pairs(finder, text, on):
    ac = finder.pipe([Article(id="a", date=on, text=text)])[0]
    return sorted({(p.sent, p.actor, p.speaker) for p in ac.pairs})


def test_party_roles_by_date(kb):
    on = dt.date(2005, 2, 1)
    assert kb.resolve("David Davis", on, codebook=BARE).actor == "CON"        # shadow home secretary
    assert kb.resolve("Charles Kennedy", on, codebook=BARE).actor == "LD"
    assert kb.resolve("Charles Kennedy", dt.date(2010, 2, 1), codebook=BARE).actor is None  # no longer leader
    assert kb.resolve("Humza Yousaf", dt.date(2023, 11, 1), codebook=BARE).actor == "SNP"
    # without a codebook, or in a codebook of states, a minister speaks for the state first
    assert kb.resolve("Keir Starmer", dt.date(2024, 8, 1)).actor == "GBR"
    assert kb.resolve("Keir Starmer", dt.date(2023, 8, 1)).actor == "GBR_LAB"
    # a party the codebook lacks is no one's
    assert kb.resolve("Nigel Farage", dt.date(2024, 6, 20), codebook=BARE).actor is None


def test_the_governing_party_from_the_knowledge_base(kb):
    # no description names Tony Blair: his party role and his office make GBR Labour's in 2005
    assert kb.government_of("GBR", dt.date(2005, 2, 1), BARE) == ("LAB", True)
    assert kb.government_of("GBR", dt.date(2023, 11, 1), BARE) == ("CON", True)
    assert kb.government_of("GBR", dt.date(2024, 8, 1), BARE) == ("LAB", True)
    # the coalition of 2010-15: two parties in office, neither is "the government"
    assert kb.government_of("GBR", dt.date(2012, 6, 1), BARE) == (None, False)
    assert kb.sole_government(dt.date(2005, 2, 1), BARE) == "LAB"
    assert kb.office_holder("prime minister", dt.date(2005, 2, 1), BARE) == "LAB"
    assert kb.office_holder("prime minister", dt.date(1996, 2, 1), BARE) is None  # John Major: no party role


def test_short_forms_of_a_party_the_knowledge_base_knows(kb):
    from stancemap.knowledge.described import with_description_aliases

    cb = with_description_aliases(BARE, frozenset(kb.demonyms()), known=kb.knows_name)
    cased = {a.id: set(a.cased_aliases) for a in cb.actors}
    assert {"Labour"} <= cased["LAB"] and {"Tory", "Tories"} <= cased["CON"]
    assert {"Lib Dem", "Liberal Democrat"} <= cased["LD"]


def test_a_2005_article_read_with_a_codebook_that_names_nobody(finder):
    text = ("Chancellor Gordon Brown defended the war in Iraq. "
            "Mr Brown said troops would stay. "
            "Shadow home secretary David Davis said it had been a mistake. "
            "Liberal Democrat leader Charles Kennedy agreed. "
            "Downing Street said the prime minister had no regrets.")
    assert _pairs(finder, text, dt.date(2005, 2, 1)) == [
        (0, "LAB", "Gordon Brown"), (1, "LAB", "Mr Brown"), (2, "CON", "David Davis"),
        (3, "LD", "Liberal Democrat leader"), (4, "LAB", "Downing Street")]


def test_a_surname_that_is_a_month_stays_a_month(finder):
    text = "Theresa May spoke on Monday. The vote is in May, officials said."
    pairs = _pairs(finder, text, dt.date(2019, 3, 1))
    assert all(p[0] == 0 for p in pairs)  # "May" in the second sentence names no one


def test_a_party_the_knowledge_base_knows_goes_by_its_codebook_id_too(finder):
    # "Scottish National Party" is a party of the knowledge base; the codebook's id "SNP" still
    # names it, as the press writes it
    pairs = _pairs(finder, "SNP MP Brendan O'Hara called the war in Iraq a disaster.", dt.date(2005, 2, 1))
    assert (0, "SNP", "SNP") in pairs


# the same codebook without the Liberal Democrats, for the coalition of 2010-15
NO_LD = codebook_from_dict({"name": "uk-no-ld", "actors": [
    {"id": "LAB", "name": "Labour Party"}, {"id": "CON", "name": "Conservative Party"}],
    "issues": [{"id": "iraq", "label": "The war in Iraq", "description": "The 2003 invasion of Iraq"}]}, "t")
COALITION = ("Business Secretary Vince Cable said the war in Iraq was wrong. Chancellor George Osborne agreed. "
             "Nick Clegg said so. Downing Street said so.")


def test_the_coalition_ministers_are_their_parties(finder):
    # in office for GBR, and each a member of a party: the government is no one party's, so
    # each minister is read by his own party role
    assert _pairs(finder, COALITION, dt.date(2012, 6, 1)) == [
        (0, "LD", "Vince Cable"), (1, "CON", "George Osborne"), (2, "LD", "Nick Clegg")]


def test_a_coalition_partner_the_codebook_lacks_makes_no_one_the_government(kb):
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    assert kb.government_of("GBR", dt.date(2012, 6, 1), NO_LD) == (None, False)
    ex = Extractor(NO_LD)
    ex._build()
    ac = CandidateFinder(ex).pipe([Article(id="a", date=dt.date(2012, 6, 1), text=COALITION)])[0]
    assert sorted({(p.sent, p.actor) for p in ac.pairs}) == [(1, "CON")]  # not Cable, Clegg, Downing Street


def test_a_surname_two_people_share_names_neither(finder):
    text = ("Michael Howard said the war in Iraq was wrong. John Howard, the Australian prime minister, "
            "disagreed on Monday. Mr Howard said so.")
    assert (2, "CON", "Mr Howard") not in _pairs(finder, text, dt.date(2005, 2, 1))
    # alone, the surname is his
    assert (1, "CON", "Mr Howard") in _pairs(finder, "Michael Howard said the war in Iraq was wrong. Mr Howard said so.",
                                            dt.date(2005, 2, 1))


def test_a_surname_another_person_shortens_to(finder):
    # "Johnson" is Boris Johnson's short name, but he held no office in 2005: after "Alan
    # Johnson", "Mr Johnson" is Alan Johnson, a minister then
    pairs = _pairs(finder, "Alan Johnson said the war in Iraq was right. Mr Johnson said so again.", dt.date(2005, 2, 1))
    assert pairs == [(0, "LAB", "Alan Johnson"), (1, "LAB", "Mr Johnson")]


def test_a_monarch_is_the_state_not_the_government(kb):
    assert kb.resolve("Queen Elizabeth II", dt.date(2005, 2, 1)).actor == "GBR"
    assert kb.resolve("Queen Elizabeth II", dt.date(2005, 2, 1), codebook=BARE).actor is None
    assert kb.office_holder("prime minister", dt.date(2016, 7, 12), BARE) == "CON"  # between leader and PM


def test_a_name_that_only_contains_a_known_surname_is_not_that_person(kb):
    # "Brian Fallon", a campaign spokesman the codebook names, is not Michael Fallon, Britain's
    # defence secretary in 2016: the campaign does not govern Britain
    cb = codebook_from_dict({"name": "us", "actors": [
        {"id": "CLINTON", "name": "Clinton campaign", "aliases": ["Hillary Clinton", "Brian Fallon"]}],
        "issues": [{"id": "iraq", "label": "The war in Iraq", "description": "The 2003 invasion of Iraq"}]}, "t")
    assert kb.government_of("GBR", dt.date(2016, 5, 16), cb) == (None, False)
    assert kb.office_holder("defence secretary", dt.date(2016, 5, 16), cb) is None

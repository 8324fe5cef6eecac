"""A party codebook: the government speaks as the party that governs, an office as its holder.

A codebook of parties ("the Conservative Party, led by Rishi Sunak") has no actor for the state,
yet news quotes the government as "Downing Street", "the UK government", "British officials",
its ministers and "the prime minister". The knowledge base knows who held which office when:
the party whose named people held the state's government offices on the article's date speaks
for it. The dates below are the knowledge base's (docs/knowledge.md), checked against the public
record: Rishi Sunak was prime minister from 25 October 2022 to 5 July 2024, Keir Starmer from
5 July 2024, Tony Blair from 2 May 1997 to 27 June 2007, Barack Obama president 2009-2017.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.knowledge.described import with_description_aliases
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model.types import Actor, Article, Codebook, Issue

PARTIES = Codebook(name="uk-parties", actors=(
    Actor(id="CON", name="Conservative Party", description="The Conservative Party, led by Rishi Sunak."),
    Actor(id="LAB", name="Labour Party", description="The Labour Party, led by Keir Starmer; in 2005 by Tony Blair."),
    Actor(id="LD", name="Liberal Democrats", description="The Liberal Democrats, led by Ed Davey."),
), issues=(Issue(id="ceasefire", label="Ceasefire in Gaza", description="An immediate ceasefire in Gaza"),))


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.builtin()


@pytest.fixture(scope="module")
def cb():
    return with_description_aliases(PARTIES)


@pytest.mark.parametrize("mention,on,expected", [
    ("Downing Street", dt.date(2023, 11, 10), "CON"),       # Sunak's government
    ("the UK government", dt.date(2023, 11, 10), "CON"),
    ("British officials", dt.date(2023, 11, 10), "CON"),
    ("Downing Street", dt.date(2024, 8, 1), "LAB"),         # Starmer's, after the election
    ("the UK government", dt.date(2005, 2, 10), "LAB"),     # Blair's
])
def test_the_government_speaks_as_the_governing_party(kb, cb, mention, on, expected):
    r = kb.resolve(mention, on, codebook=cb)
    assert r.actor == expected
    assert r.via["kind"] == "governing" and r.via["state"] == "GBR"
    assert "governed by" in r.reason


def test_not_the_bare_name_nor_another_state(kb, cb):
    on = dt.date(2023, 11, 10)
    # "Britain", "the UK": as often the addressee of a demand or a place as the government speaking
    assert kb.resolve("Britain", on, codebook=cb).actor is None
    assert kb.resolve("the UK", on, codebook=cb).actor is None
    # no party of this codebook governs the United States
    assert kb.resolve("Washington", on, codebook=cb).actor is None
    # Boris Johnson's government in 2022 was the Conservatives' (the knowledge base gives him the
    # party's leadership; Rishi Sunak was his chancellor): in John Major's, no one the knowledge
    # base or the codebook names governed
    assert kb.resolve("Downing Street", dt.date(2022, 1, 10), codebook=cb).actor == "CON"
    assert kb.resolve("Downing Street", dt.date(1996, 1, 10), codebook=cb).actor is None


@pytest.mark.parametrize("mention", ["the RAF", "the British army", "the House of Commons", "London",
                                     "British politicians"])
def test_only_the_executive_is_the_government(kb, cb, mention):
    # its army, parliament and capital are the state's, not the governing party's
    assert kb.resolve(mention, dt.date(2023, 11, 10), codebook=cb).actor is None


def test_two_parties_claiming_the_government_give_neither(kb):
    both = with_description_aliases(Codebook(name="x", actors=(
        Actor(id="A", name="Alpha Party", description="Led by Rishi Sunak."),
        Actor(id="B", name="Beta Party", description="Its member Rishi Sunak."),
    ), issues=PARTIES.issues))
    assert kb.resolve("Downing Street", dt.date(2023, 11, 10), codebook=both).actor is None


def test_a_codebook_with_the_state_keeps_it(kb):
    from stancemap.knowledge.codebook import builtin_codebook

    cb = with_description_aliases(builtin_codebook())
    r = kb.resolve("Downing Street", dt.date(2023, 11, 10), codebook=cb)
    assert r.actor == "GBR" and r.via["kind"] != "governing"


def test_an_office_is_its_holder_not_the_last_person_named(cb):
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    text = ("Lib Dem leader Ed Davey called for an immediate ceasefire in Gaza. "
            "The prime minister rejected a ceasefire, saying Israel had the right to defend itself. "
            "Downing Street said a ceasefire would only help Hamas.")
    art = Article(id="a", date=dt.date(2023, 11, 10), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(PARTIES)).pipe([art])[0]
    pairs = [{p.actor: p for p in ac.pairs_of(i)} for i in range(len(ac.sentences))]
    assert set(pairs[0]) == {"LD"}
    # "the prime minister" on 10 November 2023 is Rishi Sunak, whom the codebook names as the
    # Conservatives' leader; not Ed Davey, the last person named
    assert set(pairs[1]) == {"CON"}
    assert pairs[1]["CON"].kind == "person_ref" and pairs[1]["CON"].speaker == "the prime minister"
    assert not pairs[1]["CON"].governing
    # "Downing Street" is the Conservatives' government, and flagged as such for the model
    assert set(pairs[2]) == {"CON"} and pairs[2]["CON"].governing


def test_an_office_held_by_someone_named_is_that_person():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor
    from stancemap.knowledge.codebook import builtin_codebook

    # Netanyahu holds the office; Biden, named after him, does not
    text = ("Benjamin Netanyahu met Joe Biden in Tel Aviv. Biden spoke of aid. "
            "The prime minister vowed to destroy Hamas.")
    art = Article(id="a", date=dt.date(2023, 10, 18), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(builtin_codebook())).pipe([art])[0]
    assert {p.actor: p.kind for p in ac.pairs_of(2)} == {"HAMAS": "name", "ISR": "person_ref"}


def test_an_office_of_one_state_before_an_unknown_name_is_its_government():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.offices import OfficeFinder
    from stancemap.extract.pipeline import Extractor
    from stancemap.knowledge.kb import KnowledgeBase

    # only Britain has a "home secretary" among the knowledge base's offices
    offices = OfficeFinder(KnowledgeBase.builtin(), PARTIES).offices
    assert offices[("home", "secretary")] == ("home secretary", "GBR")
    text = ("Home Secretary Charles Clarke defended the plan. "          # 2005: Blair's Labour governs
            "Shadow home secretary David Davis attacked it. "            # the opposition's office: no one's
            "Mr Clarke said the cards would go ahead. "                  # the surname, after the office
            "The home secretary later called for a ceasefire.")          # the office, no name
    art = Article(id="a", date=dt.date(2005, 2, 10), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(PARTIES)).pipe([art])[0]
    pairs = [{p.actor: p for p in ac.pairs_of(i)} for i in range(len(ac.sentences))]
    assert set(pairs[0]) == {"LAB"} and pairs[0]["LAB"].governing and pairs[0]["LAB"].person
    # the opposition's office is no government's: David Davis is the Conservatives' by his party role
    assert set(pairs[1]) == {"CON"} and not pairs[1]["CON"].governing
    assert set(pairs[2]) == {"LAB"} and pairs[2]["LAB"].kind == "name"
    # the office's holder named above, Mr Clarke
    assert set(pairs[3]) == {"LAB"} and pairs[3]["LAB"].kind == "person_ref"
    # with nobody named: the government of the one state with a home secretary
    art = Article(id="b", date=dt.date(2005, 2, 10), source="t", title="t",
                  text="Lib Dem leader Charles Kennedy spoke first. The home secretary called for a ceasefire.")
    ac = CandidateFinder(Extractor(PARTIES)).pipe([art])[0]
    got = {p.actor: p for p in ac.pairs_of(1)}
    assert set(got) == {"LAB"} and got["LAB"].governing and got["LAB"].speaker == "the home secretary"


def test_the_government_is_the_one_party_in_office():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    text = "Labour leader Keir Starmer spoke on Monday. The government rejected calls for a ceasefire in Gaza."
    ex = Extractor(PARTIES)
    for on, expected in ((dt.date(2023, 11, 10), {"CON"}),   # Sunak's Conservatives
                         (dt.date(1996, 1, 10), set())):     # John Major's: no one the knowledge base names
        ac = CandidateFinder(ex).pipe([Article(id="a", date=on, source="t", title="t", text=text)])[0]
        got = {p.actor: p for p in ac.pairs_of(1)}
        assert set(got) == expected
        assert all(p.speaker == "the government" for p in got.values())
    assert ex.failures == []


def _pairs(cb, on, text):
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor

    ex = Extractor(cb)
    ac = CandidateFinder(ex).pipe([Article(id="a", date=on, source="t", title="t", text=text)])[0]
    assert ex.failures == []
    return [{p.actor: p.kind for p in ac.pairs_of(i)} for i in range(len(ac.sentences))]


@pytest.mark.parametrize("on,text,expected", [
    # an office whose last holder named is no actor of the codebook: not the party in office
    (dt.date(2023, 11, 10), "Israeli Prime Minister Benjamin Netanyahu rejected calls for a ceasefire. "
                            "The prime minister said Israel would fight on.", [{}, {}]),
    # another state's office, or one no longer held: no one's
    (dt.date(2005, 2, 10), "US Defence Secretary Donald Rumsfeld backed the war. He rejected a ceasefire.", [{}, {}]),
    (dt.date(2005, 2, 10), "Indian Foreign Secretary Shyam Saran called for a ceasefire.", [{}]),
    (dt.date(2024, 8, 1), "Ex-Home Secretary Kenneth Baker called for a ceasefire. "
                          "Then Home Secretary Kenneth Baker called for a ceasefire.", [{}, {}]),
    # "the government" beside another state may be theirs
    (dt.date(2023, 11, 10), "Labour leader Keir Starmer spoke. The government rejected Israel's calls for a ceasefire.",
     [{"LAB": "name"}, {}]),
])
def test_what_is_not_the_party_in_office(on, text, expected):
    assert _pairs(PARTIES, on, text) == expected


def test_a_codebook_of_states_reads_offices_as_before():
    from stancemap.knowledge.codebook import builtin_codebook

    g = builtin_codebook()
    on = dt.date(2023, 11, 10)
    # "The US president" is a president: "the president" after it is the USA, not whichever
    # codebook actor's named person is a president
    assert _pairs(g, on, "The US president called for a humanitarian pause in Gaza. "
                         "The president said Israel must protect civilians.")[1] == {"ISR": "name", "USA": "person_ref"}
    # a British spelling of a US office is still the last person named, not Britain
    assert _pairs(g, on, "US Defence Secretary Lloyd Austin visited Israel on Monday. "
                         "The defence secretary said Israel must protect civilians in Gaza.")[1] == \
        {"ISR": "name", "USA": "person_ref"}
    # and "the government" is not the state's codebook actor by default
    assert _pairs(g, on, "The government has rejected calls for a ceasefire in Gaza, Israeli officials said.") == \
        [{"ISR": "name"}]


def test_an_office_beside_its_holders_name_adds_no_one():
    # "The Prime Minister, Rishi Sunak": the person named there, not Keir Starmer named before
    assert _pairs(PARTIES, dt.date(2023, 11, 10), "Labour leader Keir Starmer spoke. "
                  "The Prime Minister, Rishi Sunak, rejected a ceasefire.") == [{"LAB": "name"}, {"CON": "name"}]

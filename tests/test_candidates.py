"""The features that say whose words an issue is in are what the sentence says."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract.candidates import ArticleCandidates, Pair, Sentence
from stancemap.extract.features import actor_cue, against_cues, content_stems, holder_geometry, issue_harm, local_polarity
from stancemap.model import Article


def _one_sentence(text: str, pairs: list[Pair]) -> ArticleCandidates:
    words = text.lower().replace(",", " ,").split()
    art = Article(id="a", date=dt.date(2024, 1, 1), source="t", title="t", text=text)
    return ArticleCandidates(art, [Sentence(0, len(text), text, words)], pairs, [], {})


def test_holder_geometry_says_who_is_nearest_the_issue():
    text = "MSF said a ceasefire was needed now, while Hamas fighters moved south"
    ac = _one_sentence(text, [Pair(0, "MSF", "MSF", "name", positions=[0]),
                              Pair(0, "HAMAS", "Hamas", "name", positions=[9])])
    stems = {"ceasef": 1.0}
    dist, nearest, between, brk, before = holder_geometry(ac, ac.pairs[1], stems, {})
    assert nearest == 0.0 and brk == 1.0 and before == 1.0 and dist == pytest.approx(6 / 20)
    dist, nearest, between, brk, before = holder_geometry(ac, ac.pairs[0], stems, {})
    assert nearest == 1.0 and between == 0.0 and brk == 0.0 and before == 0.0 and dist == pytest.approx(3 / 20)
    # no word of the issue in the sentence: nothing to measure
    assert holder_geometry(ac, ac.pairs[0], {"rafah": 1.0}, {}) == [1.0, 0.5, 0.0, 0.0, 0.0]


def test_against_cues_read_prevention_beside_a_harm_framed_issue():
    escalation = {t: 1.0 for t in content_stems("Regional escalation: the war widening into Lebanon, Iran and the Red Sea")}
    harm = issue_harm(escalation)
    assert 0 < harm < 1  # "escalation", "war", "widening" frame harm; "Lebanon", "Iran" do not
    assert issue_harm(content_stems("Hostage deal: an agreement to free the hostages")) == 0.0

    def cues(text):
        return against_cues(text.lower().split(), escalation, harm, {})

    h, n, near, h_near, h_n, own = cues("US envoys worked to avert a wider escalation on the Lebanese front")
    assert near == 1.0 and n == 0.25 and h_near == pytest.approx(harm) and h_n == pytest.approx(harm / 2)
    assert own == 0.0  # no actor given
    words = "the us vetoed a resolution calling for a wider escalation".split()
    assert against_cues(words, escalation, harm, {}, [1])[-1] == 1.0  # "vetoed" is the actor's own verb
    assert against_cues(words, escalation, harm, {}, [8])[-1] == 0.0
    assert cues("Qatar warned against a wider escalation on the Lebanese front")[2:4] == [1.0, pytest.approx(harm)]
    # the same sentence without a word against it, and one whose cue is far from the issue's words
    assert cues("US envoys travelled to Beirut to discuss a wider escalation on the front")[1:] == [0.0] * 5
    far = cues("Israel refused the request on Monday , officials in Beirut and Washington said , and escalation followed")
    assert far[1] == 0.25 and far[2] == 0.0


def _cue(text: str, at: list[int]) -> float:
    words = text.lower().split()
    return local_polarity(words, {}, at, {})[-1]


def test_the_actors_own_cue_is_negated_by_the_word_before_it():
    # the negation sits beside the cue, not beside the actor's first mention
    text = "US officials said Washington will not accept an Israeli reoccupation of Gaza and opposes any buffer zone"
    assert _cue(text, [0, 3]) == -1.0
    assert _cue("Hamas does not want a ceasefire now", [0]) == -1.0
    assert _cue("Israel will accept the deal , officials said", [0]) == 1.0
    assert _cue("Egypt opposes the plan", [0]) == -1.0
    assert _cue("Egypt never opposed the plan", [0]) == 1.0
    # the nearest cue over the actor's mentions: "Qatar ... Qatar welcomed" reads the second mention
    text = "Qatar hosted envoys from Cairo , Paris and Washington for days and Qatar welcomed the pause"
    assert _cue(text, [0]) == 0.0  # nothing within ten words of the first mention
    assert _cue(text, [0, 11]) == 1.0
    # a negation before the actor's mention is not the actor's
    assert actor_cue("no , israel backs it".split(), [0, 0, 0, 1, 0], [2]) == 1.0


def test_a_proposal_noun_refers_back_to_the_last_proposal_described():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor
    from stancemap.knowledge.codebook import builtin_codebook

    text = ("Mediators put forward a hostage release deal on Monday. Talks went on in Cairo through the night. "
            "Hamas rejected the proposal on Tuesday. Rain fell over the city.")
    art = Article(id="a", date=dt.date(2024, 2, 6), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(builtin_codebook())).pipe([art])[0]
    by_text = {s.text.split()[0]: s for s in ac.sentences}
    assert "hostage-deal" in by_text["Mediators"].rough and not by_text["Mediators"].ref
    assert "hostage-deal" in by_text["Hamas"].ref  # "the proposal" is the deal
    assert not by_text["Talks"].ref and not by_text["Rain"].ref  # no proposal noun, no reference


def test_a_personal_pronoun_anywhere_is_the_last_person_not_named_beside_it():
    from stancemap.extract.candidates import CandidateFinder
    from stancemap.extract.pipeline import Extractor
    from stancemap.knowledge.codebook import builtin_codebook

    text = ("Joe Biden spoke in Delaware on Monday. Benjamin Netanyahu told him the plan for Gaza would fail. "
            "Aid groups, though, praised his plan. Netanyahu said Biden should listen to him. "
            "Netanyahu said he would reject a ceasefire. Netanyahu said his government would fight on.")
    art = Article(id="a", date=dt.date(2024, 2, 6), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(builtin_codebook())).pipe([art])[0]
    kinds = [{p.actor: p.kind for p in ac.pairs_of(i)} for i in range(len(ac.sentences))]
    # (the built-in codebook codes office holders as their states: Biden is USA, Netanyahu ISR)
    # "told him": the object of a person named before it is someone else, the person named earlier
    assert kinds[1] == {"ISR": "name", "USA": "person_ref"}
    # no one named: the last person named, Netanyahu
    assert kinds[2] == {"ISR": "person_ref"}
    # everyone the article named is named here: the pronoun adds no one
    assert kinds[3] == {"ISR": "name", "USA": "name"}
    # "Netanyahu said he ...", "... his government": the person named before the pronoun, not Biden
    assert kinds[4] == {"ISR": "name"} and kinds[5] == {"ISR": "name"}
    assert kinds[0] == {"USA": "name"}


def test_a_description_of_a_person_is_the_last_person_named():
    from stancemap.extract.candidates import CandidateFinder, _person_description
    from stancemap.extract.pipeline import Extractor
    from stancemap.knowledge.codebook import builtin_codebook

    assert _person_description("at the same time , the new york billionaire brushed it off".split()) == 5
    assert _person_description("the former secretary of state said so".split()) == 0
    assert _person_description("the talks in the city went on".split()) is None
    assert _person_description("the president".split()) == 0
    assert _person_description("the u.s. president said".split()) == 0
    # an actor in the description, right after it or right before it; an office, not the person
    assert _person_description("the iranian president said".split(), [(1, 2)]) is None
    assert _person_description("the president of iran said".split(), [(3, 4)]) is None
    assert _person_description("netanyahu , the israeli prime minister , said".split(), [(0, 1)]) is None
    assert _person_description("the prime minister 's office said".split()) is None
    # an actor elsewhere in the sentence does not matter
    assert _person_description("hamas met the prime minister in cairo".split(), [(0, 1)]) == 2
    assert _person_description("the prime minister ended the talks with hamas".split(), [(7, 8)]) == 0
    text = "Joe Biden spoke in Delaware on Monday. The president warned Hamas against a wider war."
    art = Article(id="a", date=dt.date(2024, 2, 6), source="t", title="t", text=text)
    ac = CandidateFinder(Extractor(builtin_codebook())).pipe([art])[0]
    assert {p.actor: p.kind for p in ac.pairs_of(1)} == {"HAMAS": "name", "USA": "person_ref"}

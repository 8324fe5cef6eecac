"""Attribution relations (source, cue, content) on sentences written for these tests."""

from __future__ import annotations

import pytest

from stancemap.extract.reported import attributions, quotations

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    from stancemap.extract.models import load_parser

    return load_parser()


def found(nlp, text: str, **kw) -> list[tuple[str | None, str, str]]:
    doc = nlp(text)
    return [tuple(a.text(doc).values()) for a in attributions(doc, **kw)]


CASES = [
    ("said-that", "The mayor said that the bridge would reopen in May.",
     ("The mayor", "said", "that the bridge would reopen in May")),
    ("said-bare", "The minister said the talks had failed.", ("The minister", "said", "the talks had failed")),
    ("told", "The governor told reporters she would run again.", ("The governor", "told", "she would run again")),
    ("aux-in-cue", "The company has denied that it broke the law.", ("The company", "has denied", "that it broke the law")),
    ("according-front", "According to the police, the driver fled the scene.",
     ("the police", "According to", "the driver fled the scene")),
    ("according-back", "The driver fled the scene, according to the police.",
     ("the police", "according to", "The driver fled the scene")),
    ("quote-before", "\u201cWe will not back down,\u201d the union leader said.",
     ("the union leader", "said", "\u201cWe will not back down,\u201d")),
    ("quote-after-colon", "The union leader said: \u201cWe will not back down.\u201d",
     ("The union leader", "said", "\u201cWe will not back down.\u201d")),
    ("quote-inverted", "\"Prices are too high,\" said Maria Lopez, a shopper.",
     ("Maria Lopez, a shopper", "said", "\"Prices are too high,\"")),
    ("passive-agent", "It was announced by the ministry that the border would close.",
     ("the ministry", "was announced", "that the border would close")),
    ("vow-xcomp", "The senator vowed to block the nomination.", ("The senator", "vowed", "to block the nomination")),
    ("urge-xcomp", "The doctors urged parents to vaccinate their children.",
     ("The doctors", "urged", "to vaccinate their children")),
    ("call-for", "Protesters called for new elections.", ("Protesters", "called for", "new elections")),
    ("accuse-of", "She accused the board of hiding the losses.", ("She", "accused", "the board of hiding the losses")),
    ("participle", "The coach praised the team, saying they had never played better.",
     ("The coach", "saying", "they had never played better")),
    ("noun-claim", "His claim that the election was stolen was rejected.",
     ("His", "claim", "that the election was stolen")),
    ("parenthetical", "The plan, officials said, will fail.", ("officials", "said", "The plan, officials said, will fail")),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_attribution(nlp, text, expected):
    assert expected in found(nlp, text)


NEGATIVE = [
    ("action", "The mayor opened the new bridge on Monday."),
    ("say-no-content", "Nobody knows what to say."),
    ("according-plan", "Everything went according to plan"),
    ("motion", "The soldiers crossed the river and camped near the village."),
    ("noun-no-clause", "The statement was short."),
]


@pytest.mark.parametrize("text", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_not_attribution(nlp, text):
    assert found(nlp, text) == []


def test_quote_continues_over_sentences(nlp):
    text = "\u201cWe are ready,\u201d the captain said. \u201cThe crew has trained for months.\u201d"
    ((src, cue, content),) = found(nlp, text)
    assert (src, cue) == ("the captain", "said")
    assert content == text  # both quotations, with the cue between them (an extent)


def test_cues_inside_a_quotation_are_nested(nlp):
    text = "\u201cI think the deal is dead,\u201d the envoy said."
    assert [c[1] for c in found(nlp, text)] == ["said"]
    assert sorted(c[1] for c in found(nlp, text, nested=True)) == ["said", "think"]


def test_transcript_and_signoff(nlp):
    text = "HOST: Welcome back to the show.\n\n\u201cThis town deserves better.\u201d \u2015 Jane Roe."
    got = found(nlp, text)
    assert ("HOST", ":", "Welcome back to the show.") in got
    assert ("Jane Roe", "\u2015", "\u201cThis town deserves better.\u201d") in got


def test_offsets_are_characters(nlp):
    doc = nlp("Yesterday the judge ruled that the law was void.")
    (a,) = attributions(doc)
    assert doc.text[a.cue[0]:a.cue[1]] == "ruled"
    assert doc[a.cue_token].text == "ruled"


@pytest.mark.parametrize("text, expected", [
    ("He said \u201cno\u201d twice.", ["\u201cno\u201d"]),
    ("\"Yes,\" she said. \"Maybe.\"", ["\"Yes,\"", "\"Maybe.\""]),
    ("They said ''never'' again.", ["''never''"]),
    ("\u201cOpen at the end of a paragraph\nNext.", ["\u201cOpen at the end of a paragraph"]),
    ("It's the 90's, isn't it?", []),
], ids=["curly", "straight", "apostrophes", "open-paragraph", "no-quotes"])
def test_quotations(text, expected):
    assert [text[s:e] for s, e in quotations(text)] == expected

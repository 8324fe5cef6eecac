"""Issue patterns read a new codebook's wording the way news writes it (sentences written for
these tests; the codebook is made up in the style of a user's own).

Compounds the lexicon does not know ("Trans-Pacific", "Tuition-free", "gun-control") are matched
as written and as their words; a description clause anchored on a place name ("Building a wall
along the US-Mexico border") is matched by its common words too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract import Extractor
from stancemap.knowledge.codebook import codebook_from_dict
from stancemap.model import Article

pytestmark = pytest.mark.model

CODEBOOK = {
    "name": "campaign",
    "actors": [{"id": "CLINTON", "name": "Hillary Clinton", "aliases": ["Clinton"]},
               {"id": "TRUMP", "name": "Donald Trump", "aliases": ["Trump"]},
               {"id": "SANDERS", "name": "Bernie Sanders", "aliases": ["Sanders"]}],
    "issues": [
        {"id": "tpp", "label": "Trans-Pacific Partnership",
         "description": "Approving the Trans-Pacific Partnership trade agreement"},
        {"id": "free-college", "label": "Tuition-free public college",
         "description": "Free tuition at public colleges and universities"},
        {"id": "border-wall", "label": "Wall on the Mexican border",
         "description": "Building a wall along the US-Mexico border"},
        {"id": "gun-laws", "label": "Tighter gun laws", "description": "Universal background checks"},
        {"id": "refugees", "label": "Admitting Syrian refugees",
         "description": "Resettling refugees from Syria in the United States"},
    ],
}


@pytest.fixture(scope="module")
def rules():
    ex = Extractor(codebook_from_dict(CODEBOOK))
    ex._build()
    return ex


def rough(ex: Extractor, text: str) -> set[str]:
    doc, mentions = ex.split(Article(id="t", date=dt.date(2016, 5, 1), text=text))
    return ex.issues.rough_issues(ex._rough_concepts([t.lower_ for t in doc], mentions, 0))


@pytest.mark.parametrize("text, issue", [
    ("Clinton came out against the Trans-Pacific Partnership.", "tpp"),
    ("Clinton came out against the Trans Pacific Partnership.", "tpp"),
    ("Sanders promised free tuition for every student.", "free-college"),
    ("Trump promised to build a wall along the U.S.-Mexico border.", "border-wall"),
    ("Trump vowed again that he would build a wall.", "border-wall"),
    ("Trump said he would halt plans to resettle refugees in Ohio.", "refugees"),
    ("Clinton wants tighter gun-control laws.", "gun-laws"),
])
def test_a_sentence_in_news_wording_matches_its_issue(rules, text, issue):
    assert issue in rough(rules, text)


@pytest.mark.parametrize("text", [
    "Clinton toured the Pacific coast on Tuesday.",           # one word of a compound is not the issue
    "Trump built a hotel in New York.",                       # "build" alone is not the wall
    "The United States welcomed the decision.",               # the description's place names alone
    "Sanders said the college football season starts soon.",  # "college" alone
])
def test_a_sentence_that_merely_shares_a_word_does_not(rules, text):
    assert rough(rules, text) == set()


def test_the_rules_attribute_a_stance_on_a_compound_issue(rules):
    art = Article(id="c", date=dt.date(2016, 5, 1), text="Clinton opposes the Trans-Pacific Partnership.")
    assert {(c.actor, c.issue, c.stance.value) for c in rules.extract(art) if c.issue} == {("CLINTON", "tpp", "oppose")}


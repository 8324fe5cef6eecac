"""The features that say whose words an issue is in are what the sentence says."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.extract.candidates import ArticleCandidates, Pair, Sentence
from stancemap.extract.features import holder_geometry
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

"""Link headlines glued to an article's text are cut off as sentences of their own."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import Sentencizer

from stancemap.extract.segment import glued_at, split_glued


def _sentences(text: str) -> list[str]:
    doc = Sentencizer()(split_glued(spacy.blank("en").make_doc(text)))
    assert doc.text == text  # offsets into the article do not move
    return [s.text for s in doc.sents]


def test_glued_headlines_become_sentences():
    text = ("Israel says UN resolution damaged Gaza truce talksReturn hostages at any cost, says a freed "
            "hostage. Why are Israel and Hamas fighting in Gaza?What is the genocide case against Israel?")
    assert _sentences(text) == [
        "Israel says UN resolution damaged Gaza truce talks",
        "Return hostages at any cost, says a freed hostage.",
        "Why are Israel and Hamas fighting in Gaza?",
        "What is the genocide case against Israel?",
    ]
    assert _sentences("The new Middle East - externalHe has proposed a ceasefire.") == [
        "The new Middle East - external", "He has proposed a ceasefire."]


def test_names_in_camel_case_stay_whole():
    for name in ("WhatsApp", "DeSantis", "McConnell", "BlackRock", "iPhone", "PolitiFact", "MoveOn"):
        assert glued_at(name) == 0, name
    text = "Ron DeSantis told WhatsApp users that McConnell met BlackRock."
    assert _sentences(text) == [text]


@pytest.mark.model
def test_the_extractor_splits_them_too():
    import datetime as dt

    from stancemap.extract import Extractor
    from stancemap.knowledge.codebook import builtin_codebook
    from stancemap.model import Article

    text = "Gaza truce talksThe United States called for a ceasefire in Gaza on Monday."
    ex = Extractor(builtin_codebook())
    ex._build()
    doc, _names = ex.split(Article(id="g", date=dt.date(2024, 1, 8), source="t", title="t", text=text))
    assert [s.text for s in doc.sents] == ["Gaza truce talks", "The United States called for a ceasefire in Gaza on Monday."]

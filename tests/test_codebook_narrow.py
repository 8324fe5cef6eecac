"""A codebook narrows an actor with `exclude`: those names no longer count for it."""

from __future__ import annotations

import datetime as dt

from stancemap.knowledge.codebook import codebook_from_dict
from stancemap.knowledge.kb import KnowledgeBase

D = dt.date(2023, 12, 7)


def _cb(exclude):
    return codebook_from_dict({"name": "narrow", "actors": [{"id": "ISR", "name": "Israel", "exclude": exclude}],
                               "issues": [{"id": "c", "label": "Ceasefire"}]}, "test")


def test_excluded_names_do_not_resolve():
    kb = KnowledgeBase.builtin()
    cb = _cb(["IDF", "Israel Defense Forces", "Knesset"])
    assert cb.actor("ISR").exclude == ("IDF", "Israel Defense Forces", "Knesset")
    r = kb.resolve("the IDF", D, codebook=cb)
    assert r.actor is None and "leaves out 'IDF'" in r.reason
    assert kb.resolve("the Knesset", D, codebook=cb).actor is None
    # the government still counts
    assert kb.resolve("Netanyahu", D, codebook=cb).actor == "ISR"
    assert kb.resolve("Israeli officials", D, codebook=cb).actor == "ISR"


def test_without_exclude_the_army_counts():
    assert KnowledgeBase.builtin().resolve("the IDF", D, codebook=_cb([])).actor == "ISR"

"""An actor that an issue is done to ("Destroying Hamas", "case against Israel") opposes it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from stancemap.extract.aggregate import oppose_only
from stancemap.extract.candidates import ArticleCandidates, Pair, Sentence
from stancemap.extract.targets import issue_targets
from stancemap.knowledge.codebook import builtin_codebook, codebook_from_dict
from stancemap.model import Article


def _codebook():
    return codebook_from_dict({
        "actors": [{"id": "ISR", "name": "Israel"}, {"id": "HAMAS", "name": "Hamas"}, {"id": "ICJ", "name": "ICJ"},
                   {"id": "PLO", "name": "Palestine Liberation Organization", "aliases": ["PLO"]},
                   {"id": "RUS", "name": "Russia"}],
        "issues": [{"id": "destroy", "label": "Destroying Hamas"},
                   {"id": "case", "label": "Genocide case against Israel at the ICJ"},
                   {"id": "arms", "label": "Arms supplies to Israel"},
                   {"id": "sanctions", "label": "Sanctions on the PLO"},
                   {"id": "talks", "label": "Talks with Russia on sanctions"},
                   {"id": "war", "label": "Widening the war",
                    "description": "attacks on Israel or its allies from Lebanon, or strikes on them"}],
    })


def test_an_actor_named_after_a_word_of_harm_in_the_label_is_the_target():
    assert issue_targets(_codebook()) == {("HAMAS", "destroy"), ("ISR", "case"), ("PLO", "sanctions")}


def test_the_gaza_codebook_has_two_targets():
    assert issue_targets(builtin_codebook()) == {("HAMAS", "destroy-hamas"), ("ISR", "icj-case")}


def test_a_targets_rows_move_their_support_to_oppose_and_no_other_rows_change():
    art = Article(id="a", date=dt.date(2024, 1, 1), text="One.")
    ac = ArticleCandidates(art, [Sentence(0, 4, "One.", ["one"])],
                           [Pair(0, "HAMAS", "Hamas", "name"), Pair(0, "ISR", "Israel", "name")], [], {})
    keys = [(0, "destroy"), (1, "destroy"), (0, "arms")]
    P = np.array([[0.2, 0.7, 0.1], [0.3, 0.6, 0.1], [0.5, 0.4, 0.1]])
    got = oppose_only(ac, keys, P, frozenset({("HAMAS", "destroy")}))
    assert got[0].tolist() == pytest.approx([0.2, 0.0, 0.8])
    assert got[1:].tolist() == P[1:].tolist() and P[0, 1] == 0.7  # the caller's array is left alone
    assert oppose_only(ac, keys, P, frozenset()) is P


@pytest.mark.model
def test_the_learned_extractor_never_has_hamas_support_destroying_hamas():
    """Without targets the built-in model reads this sentence as Hamas supporting its own
    destruction (0.61); it is Hamas's opposition to it, and Israel's support stays."""
    from stancemap.extract import make_extractor

    ex = make_extractor(builtin_codebook())
    text = ("Hamas leader Ismail Haniyeh said the group was determined to defeat Israel's plan to destroy Hamas, "
            "and vowed to keep fighting.")
    claims = {(c.actor, c.issue): c.stance.value
              for c in ex.extract(Article(id="t", date=dt.date(2024, 1, 10), text=text)) if c.issue}
    assert claims.get(("HAMAS", "destroy-hamas")) == "oppose"
    assert claims.get(("ISR", "destroy-hamas")) == "support"

"""The features that say whose words an issue is in are what the sentence says."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from stancemap.extract.candidates import ArticleCandidates, Pair, Sentence
from stancemap.extract.features import against_cues, content_stems, holder_geometry, issue_harm
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


def test_an_issues_own_words_are_no_cue_against_it():
    # "pause" and "ban" push against what they touch, but here they are the issue itself
    pause = {t: 1.0 for t in content_stems("Humanitarian pauses: short pauses in fighting to let aid in")}
    words = "the un called for a humanitarian pause to let aid in".split()
    h, n, near, h_near, h_n, own = against_cues(words, pause, issue_harm(pause), {}, [1])
    assert n == 0.0 and near == 0.0 and own == 0.0
    ban = {t: 1.0 for t in content_stems("Ban on Muslims entering the US")}
    assert against_cues("trump defended his ban on muslims".split(), ban, 0.0, {}, [0])[1:3] == [0.0, 0.0]
    # a cue that is not the issue's word still counts: "opposed the ban"
    assert against_cues("clinton opposed the ban on muslims".split(), ban, 0.0, {}, [0])[1:3] == [0.25, 1.0]


def test_a_question_is_flagged():
    from stancemap.extract.features import SCALARS, _is_question

    assert SCALARS[-2:] == ("question", "title_lex")  # appended: models trained before read their own scalars
    assert _is_question("Would it release the hostages?")
    assert _is_question('"Is a ceasefire coming?" ')
    assert not _is_question("Hamas asked whether a ceasefire was coming.")


def test_title_lex_reads_the_issue_words_in_the_title():
    from stancemap.extract.features import SCALARS, IssueView, article_rows
    from stancemap.extract.learned import builtin_model_dir
    from stancemap.extract.static import StaticEmbedder
    from stancemap.knowledge.codebook import codebook_from_dict

    cb = codebook_from_dict({"name": "t", "actors": [{"id": "LAB", "name": "Labour Party"}], "issues": [
        {"id": "id-cards", "label": "Identity cards", "description": "Introducing compulsory national identity cards"},
        {"id": "rail", "label": "Rail nationalisation", "description": "Taking the railways into public ownership"}]}, "t")
    emb = StaticEmbedder(builtin_model_dir())
    text = "Labour said identity cards and rail would be debated"
    words = text.lower().split()
    art = Article(id="a", date=dt.date(2005, 1, 1), source="t", title="Ministers press on with identity cards", text=text)
    ac = ArticleCandidates(art, [Sentence(0, len(text), text, words)], [Pair(0, "LAB", "Labour", "name", positions=[0])], [], {})
    X, keys = article_rows(ac, IssueView.build(cb, emb), emb)
    col = SCALARS.index("title_lex")
    got = {iid: float(X[r, col]) for r, (_pi, iid) in enumerate(keys)}
    # id-cards' stems: identi, card, introd, compul (each in this issue alone: weight 1) and nation
    # (also "nationalisation": weight log(3/2)/log(3)); the title holds "identity" and "cards"
    assert got["id-cards"] == pytest.approx(2 / (4 + math.log(1.5) / math.log(3)), rel=1e-5)
    assert got["rail"] == 0.0

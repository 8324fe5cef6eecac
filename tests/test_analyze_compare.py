"""compare and the divergence index, on claims whose figures are computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from stancemap.analyze.cells import basis_from_claims
from stancemap.analyze.compare import compare
from stancemap.model import Claim

D = dt.date(2023, 12, 7)


def claim(actor, issue, stance, text, *, conf=1.0, article="a1", date=D) -> Claim:
    return Claim(article_id=article, date=date, actor=actor, issue=issue, stance=stance, evidence=text,
                 start=0, end=len(text), confidence=conf)


@pytest.fixture
def founding() -> list[Claim]:
    """destroy-hamas: both support; pa-governs-gaza: USA +1, ISR -1; buffer-zone: USA -1, ISR mixed (0)."""
    return [
        claim("USA", "destroy-hamas", "support", "Both share the goal of destroying Hamas."),
        claim("ISR", "destroy-hamas", "support", "Israel will destroy Hamas."),
        claim("USA", "pa-governs-gaza", "support", "The US advocates a role for the PA."),
        claim("ISR", "pa-governs-gaza", "oppose", "Netanyahu rejects a return of the PA."),
        claim("USA", "buffer-zone", "oppose", "A buffer zone would violate these principles.", conf=0.5),
        claim("ISR", "buffer-zone", "support", "Israel proposes a buffer zone.", conf=0.5),
        claim("ISR", "buffer-zone", "oppose", "Israel does not want a buffer zone.", conf=0.5),
        claim("USA", "palestinian-state", "support", "The US advocates a two-state solution."),
    ]


def test_agree_disagree_and_one_sided(founding):
    c = compare(founding, "USA", "ISR")
    assert [(x.issue, x.stance) for x in c.agree] == [("destroy-hamas", "support")]
    assert [(x.issue, x.a_stance, x.b_stance) for x in c.disagree] == [
        ("buffer-zone", "oppose", "mixed"), ("pa-governs-gaza", "support", "oppose")]
    assert [(x.issue, x.stance) for x in c.only_a] == [("palestinian-state", "support")]
    assert c.only_b == []


def test_divergence_index_by_hand(founding):
    # per issue |pA - pB| / 2: destroy-hamas 0, pa-governs-gaza |1 - -1|/2 = 1, buffer-zone |-1 - 0|/2 = 0.5
    c = compare(founding, "USA", "ISR")
    assert c.divergence == pytest.approx(0.5)
    assert c.n_issues == 3
    assert c.n_claims == 7  # the palestinian-state claim is not on a shared issue
    assert {p.issue: p.divergence for p in c.positions if p.divergence is not None} == pytest.approx(
        {"destroy-hamas": 0.0, "pa-governs-gaza": 1.0, "buffer-zone": 0.5})


def test_bootstrap_interval_from_counts(founding):
    # Only ISR on buffer-zone is uncertain: k ~ Bin(2, 1/2) supporting stories gives net -1, 0 or +1,
    # so the index is 1/3, 1/2 or 2/3 with probabilities 1/4, 1/2, 1/4: the 95% interval is [1/3, 2/3].
    c = compare(founding, "USA", "ISR", resamples=1000, seed=1)
    assert c.low == pytest.approx(1 / 3)
    assert c.high == pytest.approx(2 / 3)
    assert compare(founding, "USA", "ISR", seed=1).low == c.low  # seeded


def test_thin_basis_is_certain_only_when_counts_are():
    one = [claim("USA", "x", "support", "s"), claim("ISR", "x", "oppose", "o")]
    c = compare(one, "USA", "ISR")
    assert (c.divergence, c.low, c.high) == (1.0, 1.0, 1.0)


def test_reprints_count_once():
    # Two outlets print the same USA sentence; one other USA sentence opposes: 1 story each way -> mixed.
    claims = [
        claim("USA", "x", "support", "We back it.", article="bbc"),
        claim("USA", "x", "support", "We  back it.", article="nyt"),
        claim("USA", "x", "oppose", "We do not back it.", article="bbc"),
        claim("ISR", "x", "support", "Israel backs it."),
    ]
    c = compare(claims, "USA", "ISR")
    assert [(x.issue, x.a_stance, x.b_stance) for x in c.disagree] == [("x", "mixed", "support")]
    assert c.divergence == pytest.approx(0.5)


def test_confidence_weighting():
    claims = [claim("USA", "x", "support", "yes", conf=0.9), claim("USA", "x", "oppose", "no", conf=0.3),
              claim("ISR", "x", "support", "yes too")]
    pos = {p.issue: p for p in compare(claims, "USA", "ISR").positions}
    assert pos["x"].a_net == pytest.approx((0.9 - 0.3) / 1.2)


def test_period_filter(founding):
    later = claim("ISR", "destroy-hamas", "oppose", "Israel stops.", date=dt.date(2024, 3, 1))
    c = compare([*founding, later], "USA", "ISR", until=dt.date(2023, 12, 31))
    assert [x.issue for x in c.agree] == ["destroy-hamas"]
    c2 = compare([*founding, later], "USA", "ISR", since=dt.date(2024, 1, 1))
    assert c2.agree == [] and c2.divergence is None and [x.issue for x in c2.only_b] == ["destroy-hamas"]


def test_json_shape_of_issue_2(founding):
    data = compare(founding, "USA", "ISR").model_dump(mode="json")
    assert {"a", "b", "agree", "disagree", "only_a", "only_b"} <= set(data)
    assert set(data["agree"][0]) == {"issue", "stance", "evidence"}
    assert set(data["disagree"][0]) == {"issue", "a_stance", "b_stance", "evidence"}
    assert set(data["only_a"][0]) == {"issue", "stance", "evidence"}
    ev = data["agree"][0]["evidence"]
    assert {e["actor"] for e in ev} == {"USA", "ISR"}
    assert set(ev[0]) == {"article_id", "actor", "quote", "date"}
    assert ev[0]["date"] == "2023-12-07"


def test_basis_and_claims_give_the_same_answer(founding):
    assert compare(basis_from_claims(founding), "USA", "ISR") == compare(founding, "USA", "ISR")


def test_rejected_and_unmapped_claims_are_left_out():
    rows = [
        {"article_id": "a", "date": D, "actor": "USA", "issue": "x", "stance": "support", "evidence": "e1",
         "confidence": 1.0, "status": "machine", "source": "BBC"},
        {"article_id": "a", "date": D, "actor": "USA", "issue": "x", "stance": "oppose", "evidence": "e2",
         "confidence": 1.0, "status": "rejected", "source": "BBC"},
        {"article_id": "a", "date": D, "actor": "USA", "issue": None, "stance": "oppose", "evidence": "e3",
         "confidence": 1.0, "status": "machine", "source": "BBC"},
    ]
    c = compare(rows, "USA", "ISR")
    assert [(x.issue, x.stance) for x in c.only_a] == [("x", "support")]
    assert c.only_a[0].evidence[0].source == "BBC"

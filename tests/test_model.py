"""The shared types validate on construction, with the field named."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from stancemap.model import Article, Claim, Role, Stance
from stancemap.model.types import text_fingerprint


def test_fingerprint_ignores_spacing_and_case():
    assert text_fingerprint("The US  said\nno.") == text_fingerprint("the us said no.")
    assert text_fingerprint("The US said no.") != text_fingerprint("The US said yes.")


def test_article_needs_text():
    with pytest.raises(ValidationError) as e:
        Article(id="a", date=dt.date(2024, 1, 1), text="  ")
    assert "text" in str(e.value)


def test_role_dates():
    r = Role(of="USA", title="secretary of state", start=dt.date(2021, 1, 26), end=dt.date(2025, 1, 20))
    assert r.active(dt.date(2023, 12, 7)) and not r.active(dt.date(2020, 6, 1)) and not r.active(dt.date(2025, 6, 1))
    with pytest.raises(ValidationError):
        Role(of="USA", start=dt.date(2025, 1, 1), end=dt.date(2024, 1, 1))


def _claim(**kw):
    base = dict(article_id="a", date=dt.date(2024, 1, 1), actor="USA", issue="ceasefire", stance="support",
                evidence="The US backs a ceasefire.", start=10, end=35, confidence=0.8)
    return Claim(**{**base, **kw})


def test_claim_offsets_must_match_evidence():
    assert _claim().stance is Stance.SUPPORT
    with pytest.raises(ValidationError, match="offsets"):
        _claim(end=30)
    with pytest.raises(ValidationError):
        _claim(confidence=1.5)
    with pytest.raises(ValidationError):
        _claim(stance="neutral")

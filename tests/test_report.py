"""The briefing (every sentence from data), charts rendered offline, self-contained HTML."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from stancemap.analyze.compare import compare
from stancemap.analyze.positions import matrix
from stancemap.analyze.timeline import timeline
from stancemap.model import Claim
from stancemap.report.brief import build_brief, trend_sentence, write_brief
from stancemap.report.charts import data_uri, divergence_chart, heatmap, render


def claim(actor, issue, stance, date, text) -> Claim:
    return Claim(article_id=f"{actor}-{date}-{issue}", date=date, actor=actor, issue=issue, stance=stance,
                 evidence=text, start=0, end=len(text), confidence=1.0)


@pytest.fixture
def claims() -> list[Claim]:
    out = []
    for m in (1, 2, 3, 4):
        d = dt.date(2024, m, 5)
        out += [claim("USA", "destroy-hamas", "support", d, f"The US backs destroying Hamas ({m})."),
                claim("ISR", "destroy-hamas", "support", d, f"Israel will destroy Hamas ({m}).")]
        out.append(claim("USA", "pa-governs-gaza", "support", d, f"The US wants the PA in Gaza ({m})."))
        pa = "support" if m < 3 else "oppose"
        out.append(claim("ISR", "pa-governs-gaza", pa, d, f"Israel on the PA, {pa} ({m})."))
    return out


@pytest.fixture
def brief(claims):
    c = compare(claims, "USA", "ISR")
    c.labels.update({"destroy-hamas": "Destroying Hamas", "pa-governs-gaza": "Palestinian Authority governs Gaza"})
    tl = timeline(claims, "USA", "ISR", window="month")
    return build_brief(c, tl, a_name="United States", b_name="Israel", n_articles=16, n_issues_codebook=20,
                       today=dt.date(2024, 5, 1))


def test_headline_says_what_the_claims_say(brief):
    # PA: USA +1; ISR 2 support, 2 oppose stories -> mixed, divergence |1 - 0|/2 = 0.5; mean (0 + 0.5)/2
    assert brief.headline[0] == ("In the stored news, United States and Israel take the same stance on "
                                 "Destroying Hamas.")
    assert brief.headline[1] == "They diverge on Palestinian Authority governs Gaza."
    assert brief.headline[2].startswith("Divergence index 0.25 ")
    assert brief.headline[3].startswith("The gap is widening: divergence went from 0.00 (per month from "
                                        "2024-01-01) to 0.50 (from 2024-04-01)")


def test_trend_sentence_without_enough_windows():
    assert trend_sentence(None).startswith("There are too few periods")


def test_sections_quotes_and_basis(brief):
    assert [(s.issue, s.kind) for s in brief.sections] == [("pa-governs-gaza", "disagree"),
                                                           ("destroy-hamas", "agree")]
    assert brief.sections[0].summary == ("United States: support (net +1.00, 4 stories); "
                                         "Israel: mixed (net +0.00, 4 stories).")
    assert brief.basis[0] == "8 claims by USA and 8 by ISR, from 16 articles."
    assert brief.basis[1] == "Issues addressed by either: 2 of the codebook's 20; by both: 2."


def test_markdown_writes_the_chart_beside_it(brief, tmp_path):
    out = tmp_path / "brief.md"
    text = write_brief(brief, "md", out)
    png = tmp_path / "brief-divergence.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "![Divergence of USA and ISR over time](brief-divergence.png)" in text
    assert "## Palestinian Authority governs Gaza — They diverge" in text
    assert "> “Israel on the PA, oppose (4).”" in text
    assert out.read_text() == text


def test_html_is_one_self_contained_file(brief, tmp_path):
    text = write_brief(brief, "html", tmp_path / "b.html")
    assert 'src="data:image/svg+xml;base64,' in text
    assert not re.search(r'(src|href)="https?://', text)
    assert "<script" not in text and "<link" not in text
    assert "Israel will destroy Hamas (4)." in text


def test_html_escapes_quotes(brief):
    from stancemap.report.brief import render_html

    evil = brief.model_copy(update={"title": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in render_html(evil)


def test_charts_render_png_and_svg(claims):
    m = matrix(claims)
    assert render(heatmap(m), "png")[:4] == b"\x89PNG"
    svg = render(divergence_chart(timeline(claims, "USA", "ISR", window="month")), "svg")
    assert svg.lstrip().startswith(b"<svg")
    assert data_uri(b"abc", "png") == "data:image/png;base64,YWJj"

"""The briefing on two actors: headline, a section per issue with dated quotes, the chart, the basis.

Every sentence is a template filled from the comparison and the timeline; nothing is written
that the claims do not carry. :func:`build_brief` is pure; :func:`render_markdown` and
:func:`render_html` turn the result into text (the HTML is one self-contained file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader
from pydantic import BaseModel

from stancemap.analyze.cells import Evidence
from stancemap.analyze.compare import Comparison, IssuePositions
from stancemap.analyze.timeline import Timeline

BriefFormat = Literal["md", "html"]


class Section(BaseModel):
    """One issue: what each side holds, and the quotes behind it."""

    issue: str
    label: str
    kind: Literal["agree", "disagree", "only_a", "only_b"]
    summary: str
    evidence: list[Evidence]
    sources: dict[str, str]


class Brief(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    title: str
    headline: list[str]
    sections: list[Section]
    basis: list[str]
    comparison: Comparison
    timeline: Timeline | None
    generated: dt.date


def _names(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _period(c: Comparison) -> str:
    if c.since and c.until:
        return f"Between {c.since} and {c.until}, "
    if c.since:
        return f"Since {c.since}, "
    if c.until:
        return f"Up to {c.until}, "
    return "In the stored news, "


def trend_sentence(tl: Timeline | None) -> str:
    """Widening, narrowing or steady, from the first and last windows with a value and the slope."""
    valid = [w for w in (tl.windows if tl else []) if w.divergence is not None]
    if len(valid) < 2:
        return "There are too few periods with issues in common to tell whether the gap is widening."
    slope, first, last = tl.trend(), valid[0], valid[-1]
    word = "widening" if slope > 0.01 else "narrowing" if slope < -0.01 else "holding steady"
    return (f"The gap is {word}: divergence went from {first.divergence:.2f} (per {tl.window} from {first.start}) "
            f"to {last.divergence:.2f} (from {last.start}), a trend of {slope:+.3f} per {tl.window}.")


def headline(c: Comparison, tl: Timeline | None, a_name: str, b_name: str) -> list[str]:
    lab = lambda items: _names([c.labels.get(x.issue, x.issue) for x in items])  # noqa: E731
    lines = []
    if c.agree:
        lines.append(f"{_period(c)}{a_name} and {b_name} take the same stance on {lab(c.agree)}.")
    if c.disagree:
        lines.append(f"They diverge on {lab(c.disagree)}.")
    if not c.agree and not c.disagree:
        lines.append(f"{_period(c)}{a_name} and {b_name} address no issue in common.")
    if c.divergence is not None:
        lines.append(f"Divergence index {c.divergence:.2f} on a scale from 0 (same positions) to 1 (opposite), "
                     f"95% bootstrap interval {c.low:.2f}–{c.high:.2f}, over {c.n_issues} shared issues "
                     f"and {c.n_claims} claims.")
    lines.append(trend_sentence(tl))
    return lines


def _side(name: str, stance: str | None, net: float | None, stories: int) -> str:
    if stance is None:
        return f"{name}: no claim"
    return f"{name}: {stance} (net {net:+.2f}, {stories} {'story' if stories == 1 else 'stories'})"


def _summary(p: IssuePositions | None, a_name: str, b_name: str, sa: str | None, sb: str | None) -> str:
    if p is None:
        return ""
    return f"{_side(a_name, sa, p.a_net, p.a_stories)}; {_side(b_name, sb, p.b_net, p.b_stories)}."


def sections(c: Comparison, a_name: str, b_name: str) -> list[Section]:
    rows = {p.issue: p for p in c.positions}
    items = ([("disagree", x, x.a_stance, x.b_stance) for x in c.disagree]
             + [("agree", x, x.stance, x.stance) for x in c.agree]
             + [("only_a", x, x.stance, None) for x in c.only_a]
             + [("only_b", x, None, x.stance) for x in c.only_b])
    return [Section(issue=x.issue, label=c.labels.get(x.issue, x.issue), kind=kind,
                    summary=_summary(rows.get(x.issue), a_name, b_name, sa, sb), evidence=x.evidence,
                    sources={e.article_id: e.source for e in x.evidence})
            for kind, x, sa, sb in items]


def basis(c: Comparison, n_articles: int | None, n_issues_codebook: int | None, tl: Timeline | None) -> list[str]:
    lines = [f"{c.n_claims_a} claims by {c.a} and {c.n_claims_b} by {c.b}"
             + (f", from {n_articles} articles." if n_articles is not None else ".")]
    covered = len(c.positions)
    total = f" of the codebook's {n_issues_codebook}" if n_issues_codebook else ""
    lines.append(f"Issues addressed by either: {covered}{total}; by both: {c.n_issues}.")
    if tl and tl.windows:
        lines.append(f"Timeline: {len(tl.windows)} windows of one {tl.window}, {tl.windows[0].start} to "
                     f"{tl.windows[-1].end}; {sum(w.divergence is not None for w in tl.windows)} with issues in common.")
    return lines


def build_brief(c: Comparison, tl: Timeline | None, *, a_name: str | None = None, b_name: str | None = None,
                n_articles: int | None = None, n_issues_codebook: int | None = None,
                today: dt.date | None = None) -> Brief:
    """The briefing's content, from a comparison and a timeline of the same two actors."""
    an, bn = a_name or c.a, b_name or c.b
    return Brief(a=c.a, b=c.b, a_name=an, b_name=bn, title=f"{an} and {bn}: where they stand",
                 headline=headline(c, tl, an, bn), sections=sections(c, an, bn),
                 basis=basis(c, n_articles, n_issues_codebook, tl), comparison=c, timeline=tl,
                 generated=today or dt.date.today())


def _env(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("stancemap.report", "templates"),
                      autoescape=autoescape,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def render_markdown(brief: Brief, *, chart_path: str | None = None) -> str:
    """Markdown; the chart is linked as ``chart_path`` (a PNG written next to the file)."""
    return _env(False).get_template("brief.md.j2").render(b=brief, chart=chart_path)


def render_html(brief: Brief, *, chart_uri: str | None = None) -> str:
    """One self-contained HTML page; the chart embedded as a data URI."""
    return _env(True).get_template("brief.html.j2").render(b=brief, chart=chart_uri)


def write_brief(brief: Brief, fmt: BriefFormat, out: Path | None) -> str:
    """Render the briefing; with ``out``, write it (and, for Markdown, the chart PNG beside it).

    Returns the text (for printing when there is no ``out``).
    """
    from stancemap.report.charts import data_uri, divergence_chart, render

    has_chart = brief.timeline is not None and any(w.divergence is not None for w in brief.timeline.windows)
    if fmt == "html":
        uri = data_uri(render(divergence_chart(brief.timeline), "svg"), "svg") if has_chart else None
        text = render_html(brief, chart_uri=uri)
    else:
        chart_name = None
        if has_chart and out is not None:
            png = out.with_name(out.stem + "-divergence.png")
            png.write_bytes(render(divergence_chart(brief.timeline), "png"))
            chart_name = png.name
        text = render_markdown(brief, chart_path=chart_name)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    return text

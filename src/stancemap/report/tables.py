"""Rich tables and plain-text lines for the terminal, built from analysis records."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
from rich.table import Table

from stancemap.analyze.cells import Evidence
from stancemap.analyze.coalitions import Coalitions
from stancemap.analyze.compare import Comparison
from stancemap.analyze.timeline import Timeline

_STYLE = {"support": "green", "oppose": "red", "mixed": "yellow", "—": "dim"}


def shorten(text: str, width: int = 110) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder=" …")


def _stance(s: str) -> str:
    return f"[{_STYLE.get(s, '')}]{s}[/]"


def _quotes(ev: list[Evidence], width: int = 110) -> str:
    return "\n".join(f"{e.date} {e.actor}: “{shorten(e.quote, width)}”" for e in ev)


def basis_line(c: Comparison) -> str:
    """One line on the divergence index and what it rests on."""
    if c.divergence is None:
        return f"{c.a} and {c.b} address no issue in common ({c.n_claims_a} and {c.n_claims_b} claims)."
    return (f"divergence {c.divergence:.2f} (95% bootstrap {c.low:.2f}–{c.high:.2f}) over {c.n_issues} shared "
            f"issue{'s' if c.n_issues != 1 else ''} and {c.n_claims} claims")


def comparison_table(c: Comparison) -> Table:
    """Issue, A's stance, B's stance, and the quotes with their dates."""
    t = Table(title=f"{c.a} vs {c.b}", show_lines=True, caption=basis_line(c))
    for col in ("", "issue", c.a, c.b, "evidence"):
        t.add_column(col, overflow="fold")
    label = lambda i: c.labels.get(i, i)  # noqa: E731
    for x in c.agree:
        t.add_row("agree", label(x.issue), _stance(x.stance), _stance(x.stance), _quotes(x.evidence))
    for x in c.disagree:
        t.add_row("[bold]differ[/]", label(x.issue), _stance(x.a_stance), _stance(x.b_stance), _quotes(x.evidence))
    for x in c.only_a:
        t.add_row(f"only {c.a}", label(x.issue), _stance(x.stance), _stance("—"), _quotes(x.evidence))
    for x in c.only_b:
        t.add_row(f"only {c.b}", label(x.issue), _stance("—"), _stance(x.stance), _quotes(x.evidence))
    return t


def _cell(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    colour = "green" if v > 0 else "red" if v < 0 else "yellow"
    return f"[{colour}]{v:+.2f}[/]"


def matrix_table(m: pd.DataFrame) -> Table:
    """Actors by issues, net positions coloured by sign; blank where the actor said nothing."""
    t = Table(title="net positions (support +1 … -1 oppose)")
    t.add_column("actor")
    for issue in m.columns:
        t.add_column(str(issue), justify="right")
    for actor, row in m.iterrows():
        t.add_row(str(actor), *(_cell(v) for v in row))
    return t


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def timeline_table(tl: Timeline) -> Table:
    """One row per window, then the change points as the caption."""
    caption = "; ".join(f"change {cp.date}: {cp.before:.2f} → {cp.after:.2f} ({', '.join(cp.issues)})"
                        for cp in tl.change_points) or "no change point"
    t = Table(title=f"divergence {tl.a} vs {tl.b} per {tl.window}", caption=caption)
    for col in ("start", "end", "divergence", "low", "high", "issues", "claims"):
        t.add_column(col, justify="right" if col not in ("start", "end") else "left")
    for w in tl.windows:
        t.add_row(str(w.start), str(w.end), _num(w.divergence), _num(w.low), _num(w.high), str(w.issues),
                  str(w.claims))
    return t


def coalitions_table(co: Coalitions) -> Table:
    """One row per group per window: members, the issues that bind them, and those that split them off."""
    t = Table(title=f"coalitions{' per ' + co.window if co.window else ''}", show_lines=True)
    for col in ("window", "group", "binds", "splits from others"):
        t.add_column(col, overflow="fold")
    for w in co.windows:
        span = f"{w.start or '…'} – {w.end or '…'}"
        for g in w.groups:
            binds = "\n".join(f"{b.issue} ({b.stance}: {', '.join(b.actors)})" for b in g.binds)
            splits = "\n".join(f"{s.issue}: {s.stance} vs {s.other_stance} of {', '.join(s.other)}" for s in g.splits)
            t.add_row(span, ", ".join(g.actors), binds, splits)
    return t

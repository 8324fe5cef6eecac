"""Charts rendered offline: Altair specs turned into PNG or SVG by vl-convert (no browser, no CDN)."""

from __future__ import annotations

import base64
from typing import Literal

import altair as alt
import pandas as pd

from stancemap.analyze.timeline import Timeline

ImageFormat = Literal["png", "svg"]


def render(chart: alt.TopLevelMixin, fmt: ImageFormat, *, scale: float = 2.0) -> bytes:
    """The chart as PNG or SVG bytes."""
    import vl_convert as vlc

    spec = chart.to_json()
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    return vlc.vegalite_to_png(spec, scale=scale)


def data_uri(data: bytes, fmt: ImageFormat) -> str:
    """A ``data:`` URI, to embed an image in one self-contained HTML file."""
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def heatmap(table: pd.DataFrame, *, labels: dict[str, str] | None = None, title: str = "Net positions",
            stories: pd.DataFrame | None = None, thin: int = 3) -> alt.Chart:
    """Actors by issues, coloured from oppose (-1, red) to support (+1, blue); blank where silent.

    With ``stories`` (distinct stories per cell, same shape), each cell shows its count too, and
    cells backed by fewer than ``thin`` stories are drawn faint.
    """
    labels = labels or {}
    long = table.reset_index().melt(id_vars="actor", var_name="issue", value_name="net").dropna()
    long["label"] = long["issue"].map(lambda i: labels.get(i, i))
    if stories is not None:
        n = stories.reset_index().melt(id_vars="actor", var_name="issue", value_name="stories")
        long = long.merge(n, on=["actor", "issue"], how="left").fillna({"stories": 0})
        long["text"] = [f"{v:+.2f} ({int(k)})" for v, k in zip(long["net"], long["stories"])]
        long["opacity"] = [0.3 if k < thin else 1.0 for k in long["stories"]]
    else:
        long["text"] = long["net"].map(lambda v: f"{v:+.2f}")
        long["opacity"] = 1.0
    base = alt.Chart(long).encode(
        x=alt.X("label:N", title=None, sort=[labels.get(i, i) for i in table.columns],
                axis=alt.Axis(labelAngle=-40, labelLimit=220)),
        y=alt.Y("actor:N", title=None, sort=list(table.index)),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("net:Q", title="net", scale=alt.Scale(domain=[-1, 1], scheme="redblue")),
        opacity=alt.Opacity("opacity:Q", scale=None, legend=None))
    text = base.mark_text(fontSize=10).encode(text="text:N", opacity=alt.Opacity("opacity:Q", scale=None, legend=None))
    size = dict(width=max(200, (60 if stories is not None else 42) * len(table.columns)),
                height=max(80, 26 * len(table.index)))
    return (rect + text).properties(title=title, **size)


def _timeline_frame(tl: Timeline) -> pd.DataFrame:
    rows = [{"start": w.start.isoformat(), "divergence": w.divergence, "low": w.low, "high": w.high,
             "issues": w.issues, "claims": w.claims} for w in tl.windows if w.divergence is not None]
    return pd.DataFrame(rows, columns=["start", "divergence", "low", "high", "issues", "claims"])


def divergence_chart(tl: Timeline, *, title: str | None = None) -> alt.LayerChart:
    """Divergence per window (line), its bootstrap interval (band) and change points (rules)."""
    frame = _timeline_frame(tl)
    x = alt.X("start:T", title=f"window start ({tl.window})")
    y_scale = alt.Scale(domain=[0, 1])
    band = alt.Chart(frame).mark_area(opacity=0.25, color="#4c78a8").encode(
        x=x, y=alt.Y("low:Q", scale=y_scale, title="divergence (0 = same positions, 1 = opposite)"), y2="high:Q")
    line = alt.Chart(frame).mark_line(point=True, color="#1f4e79").encode(
        x=x, y=alt.Y("divergence:Q", scale=y_scale),
        tooltip=["start:T", alt.Tooltip("divergence:Q", format=".2f"), "issues:Q", "claims:Q"])
    layers = [band, line]
    if tl.change_points:
        cps = pd.DataFrame([{"date": cp.date.isoformat(), "label": f"change {cp.before:.2f}→{cp.after:.2f}"}
                            for cp in tl.change_points])
        layers.append(alt.Chart(cps).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x="date:T"))
        layers.append(alt.Chart(cps).mark_text(align="left", dx=4, dy=-6, color="#d62728", fontSize=11)
                      .encode(x="date:T", y=alt.value(12), text="label:N"))
    name = title or f"Divergence {tl.a} vs {tl.b}"
    return alt.layer(*layers).properties(title=name, width=620, height=260)

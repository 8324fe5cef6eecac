"""The analysis commands: compare, matrix, timeline, network, coalitions, brief.

Each parses its options, makes one call into :mod:`stancemap.report.data`, and prints or
writes the result. The counting happens in SQL; the analyses are pure functions.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from stancemap.cli.common import DbOption, SinceOption, UntilOption, console, day, errors, out, print_json

CodebookIdOption = Annotated[
    str | None, typer.Option("--codebook-id", help="Codebook fingerprint; default: the one last extracted with")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout")]
WindowOption = Annotated[str, typer.Option("--window", help="week, month, or a number of days (e.g. 14)")]
ActorA = Annotated[str, typer.Argument(help="First actor id, e.g. USA")]
ActorB = Annotated[str, typer.Argument(help="Second actor id, e.g. ISR")]


def _store(db: str | None):
    from stancemap.store import Store

    return Store.open(db)


def _emit_text(text: str, dest: Path | None) -> None:
    if dest is None:
        sys.stdout.write(text)
    else:
        dest.write_text(text, encoding="utf-8")
        console.print(f"wrote {dest}", highlight=False)


def _emit_image(chart, fmt: Literal["png", "svg"], dest: Path | None) -> None:
    from stancemap.report.charts import render

    if dest is None:
        raise typer.BadParameter(f"--format {fmt} needs --out FILE")
    dest.write_bytes(render(chart, fmt))
    console.print(f"wrote {dest}", highlight=False)


def compare_cmd(
    a: ActorA, b: ActorB, db: DbOption = None, codebook_id: CodebookIdOption = None,
    since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["table", "json"], typer.Option("--format", "-f")] = "table",
) -> None:
    """Where two actors agree and diverge, issue by issue, with quotes and a divergence index."""
    from stancemap.report.data import compare_from_store
    from stancemap.report.tables import comparison_table

    with errors():
        c = compare_from_store(_store(db), a, b, codebook_id=codebook_id, since=day(since), until=day(until))
    if fmt == "json":
        print_json(c.model_dump(mode="json"))
    else:
        out.print(comparison_table(c))


def matrix_cmd(
    actors: Annotated[list[str], typer.Option("--actors", help="Actor ids (repeatable or comma-separated)")] = [],  # noqa: B006
    issues: Annotated[list[str], typer.Option("--issues", help="Issue ids (repeatable or comma-separated)")] = [],  # noqa: B006
    db: DbOption = None, codebook_id: CodebookIdOption = None, since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["table", "csv", "json", "png", "svg"], typer.Option("--format", "-f")] = "table",
    dest: OutOption = None,
) -> None:
    """Actors by issues: net positions from -1 (oppose) to +1 (support); a heatmap as PNG or SVG."""
    from stancemap.report.data import matrix_from_store
    from stancemap.report.workbench import overview_from_store

    f = dict(codebook_id=codebook_id, actors=_split(actors) or None, issues=_split(issues) or None,
             since=day(since), until=day(until))
    with errors():
        if fmt in ("png", "svg"):  # the chart shows each cell's stories, thin cells faint
            ov = overview_from_store(_store(db), **f)
            m, labels, stories = ov.net, ov.labels, ov.stories
        else:
            (m, labels), stories = matrix_from_store(_store(db), **f), None
    _print_matrix(m, labels, fmt, dest, stories)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def _print_matrix(m, labels, fmt: str, dest: Path | None, stories=None) -> None:
    from stancemap.report.tables import matrix_table

    if fmt in ("png", "svg"):
        from stancemap.report.charts import heatmap

        _emit_image(heatmap(m, labels=labels, stories=stories), fmt, dest)
    elif fmt == "csv":
        _emit_text(m.round(4).to_csv(), dest)
    elif fmt == "json":
        rows = {a: {i: round(v, 4) for i, v in row.items() if v == v} for a, row in m.iterrows()}
        _emit_text(_json({"actors": list(m.index), "issues": list(m.columns), "net": rows}), dest)
    else:
        out.print(matrix_table(m))


def _json(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def timeline_cmd(
    a: ActorA, b: ActorB, window: WindowOption = "month",
    step: Annotated[str | None, typer.Option("--step", help="Step between windows; default: the window")] = None,
    penalty: Annotated[float | None, typer.Option("--penalty", help="Change-point penalty (PELT); default: BIC-like")] = None,
    db: DbOption = None, codebook_id: CodebookIdOption = None, since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["table", "json", "csv", "png", "svg"], typer.Option("--format", "-f")] = "table",
    dest: OutOption = None,
) -> None:
    """Divergence of two actors per time window, with bootstrap bands and change points."""
    from stancemap.report.data import timeline_from_store

    with errors():
        try:
            tl = timeline_from_store(_store(db), a, b, codebook_id=codebook_id, window=window, step=step,
                                     since=day(since), until=day(until), penalty=penalty)
        except ValueError as e:
            raise typer.BadParameter(str(e)) from None
    _print_timeline(tl, fmt, dest)


def _print_timeline(tl, fmt: str, dest: Path | None) -> None:
    from stancemap.report.tables import timeline_table

    if fmt in ("png", "svg"):
        from stancemap.report.charts import divergence_chart

        _emit_image(divergence_chart(tl), fmt, dest)
    elif fmt == "json":
        _emit_text(tl.model_dump_json(indent=2) + "\n", dest)
    elif fmt == "csv":
        _emit_text(_timeline_csv(tl), dest)
    else:
        out.print(timeline_table(tl))


def _timeline_csv(tl) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["start", "end", "divergence", "low", "high", "issues", "claims"])
    for x in tl.windows:
        w.writerow([x.start, x.end, *("" if v is None else round(v, 4) for v in (x.divergence, x.low, x.high)),
                    x.issues, x.claims])
    return buf.getvalue()


def network_cmd(
    dest: Annotated[Path, typer.Option("--out", "-o", help="The file to write")],
    kind: Annotated[Literal["congruence", "conflict", "subtract", "affiliation"], typer.Option("--type")] = "congruence",
    normalize: Annotated[Literal["none", "jaccard", "cosine"], typer.Option("--normalize")] = "none",
    actors: Annotated[list[str], typer.Option("--actors", help="Only these actor ids")] = [],  # noqa: B006
    db: DbOption = None, codebook_id: CodebookIdOption = None, since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["graphml", "gexf", "csv"], typer.Option("--format", "-f")] = "graphml",
) -> None:
    """A discourse network (DNA semantics) as GraphML (Gephi), GEXF or a CSV edge list."""
    from stancemap.report.data import network_from_store
    from stancemap.report.export import write_graph

    with errors():
        g = network_from_store(_store(db), codebook_id=codebook_id, kind=kind, normalization=normalize,
                               actors=_split(actors) or None, since=day(since), until=day(until))
    write_graph(g, dest, fmt)
    console.print(f"wrote {dest}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges", highlight=False)


def coalitions_cmd(
    window: Annotated[str | None, typer.Option("--window", help="week, month or N days; default: the whole period")] = None,
    db: DbOption = None, codebook_id: CodebookIdOption = None, since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["table", "json"], typer.Option("--format", "-f")] = "table",
) -> None:
    """Groups of actors that stand together, with the issues that bind them and split them from others."""
    from stancemap.report.data import coalitions_from_store
    from stancemap.report.tables import coalitions_table

    with errors():
        try:
            co = coalitions_from_store(_store(db), codebook_id=codebook_id, window=window, since=day(since),
                                       until=day(until))
        except ValueError as e:
            raise typer.BadParameter(str(e)) from None
    if fmt == "json":
        print_json(co.model_dump(mode="json"))
    else:
        out.print(coalitions_table(co))


def brief_cmd(
    a: ActorA, b: ActorB, window: WindowOption = "month",
    db: DbOption = None, codebook_id: CodebookIdOption = None, since: SinceOption = None, until: UntilOption = None,
    fmt: Annotated[Literal["md", "html"], typer.Option("--format", "-f")] = "md",
    dest: OutOption = None,
) -> None:
    """A briefing on two actors: headline, issue by issue with quotes, the divergence chart, the basis."""
    from stancemap.report.brief import write_brief
    from stancemap.report.data import brief_from_store

    with errors():
        br = brief_from_store(_store(db), a, b, codebook_id=codebook_id, window=window, since=day(since),
                              until=day(until))
    text = write_brief(br, fmt, dest)
    if dest is None:
        sys.stdout.write(text)
    else:
        console.print(f"wrote {dest}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the ``stancemap`` app."""
    app.command("compare")(compare_cmd)
    app.command("matrix")(matrix_cmd)
    app.command("timeline")(timeline_cmd)
    app.command("network")(network_cmd)
    app.command("coalitions")(coalitions_cmd)
    app.command("brief")(brief_cmd)

"""``stancemap import``: a Discourse Network Analyzer file into the store; and the DNA side of ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stancemap.cli.common import DbOption, console, errors

EXIT_REJECTED = 3


def import_cmd(
    path: Annotated[Path, typer.Argument(help="A DNA 3.0 file (.dna)")],
    db: DbOption = None,
    project: Annotated[str | None, typer.Option("--project", help="Name of the DNA project in stancemap; default: the file's name")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="YAML: organizations (DNA name: actor id), concepts (DNA concept: issue id), statement_type, variables")] = None,
    kb_file: Annotated[list[Path], typer.Option("--kb", help="Extra knowledge-base YAML file(s) for mapping organizations to actors")] = [],  # noqa: B006
    no_kb: Annotated[bool, typer.Option("--no-kb", help="Do not map organizations through the knowledge base")] = False,
    codebook_out: Annotated[Path | None, typer.Option("--codebook-out", help="Also write the codebook built from the file's concepts (YAML)")] = None,
) -> None:
    """Import a DNA file: documents become articles, statements claims (status human), concepts a codebook.

    Re-importing adds only new documents and statements; bad statements are reported (exit 3).
    """
    from stancemap.jobs.dna_import import import_dna
    from stancemap.jobs.dna_mapping import load_mapping
    from stancemap.knowledge.codebook import write_codebook
    from stancemap.knowledge.kb import KnowledgeBase
    from stancemap.store import Store

    with errors():
        kb = None if no_kb else KnowledgeBase.builtin()
        if kb is not None and kb_file:
            kb = kb.extended_from(*kb_file)
        maps = load_mapping(mapping) if mapping else None
        store = Store.open(db)
        report = import_dna(store, path, project=project, mapping=maps, kb=kb)
        if codebook_out:
            write_codebook(store.codebook(report.codebook), codebook_out)
    for err in report.rejected[:50]:
        console.print(f"[yellow]rejected[/] {err}", highlight=False)
    console.print(
        f"DNA project {report.project!r} (codebook {report.codebook}): {report.documents} documents and "
        f"{report.statements} statements added ({report.skipped} documents already imported); {report.claims} claims, "
        f"{report.linked} statements linked to identical claims, {report.kept} kept without a claim; "
        f"{len(report.rejected)} rejected", highlight=False)
    if report.from_kb:
        console.print("organizations found in the knowledge base: " + ", ".join(
            f"{k} -> {v}" for k, v in report.from_kb.items()), highlight=False)
    if report.new_actors:
        console.print(f"{len(report.new_actors)} organizations have ids of their own (map them with --mapping): "
                      + ", ".join(report.new_actors[:10]) + (" ..." if len(report.new_actors) > 10 else ""),
                      highlight=False)
    if codebook_out:
        console.print(f"wrote the codebook to {codebook_out}", highlight=False)
    if report.rejected:
        raise typer.Exit(EXIT_REJECTED)


def export_dna_file(store, out_path: Path, *, project, password, actors, issues, since, until) -> None:
    """``stancemap export FILE.dna --format dna`` (called by ``export`` inside its error boundary)."""
    from stancemap.jobs.dna_export import export_dna

    r = export_dna(store, out_path, project=project, password=password, actors=actors, issues=issues,
                   since=since, until=until)
    base = f" from DNA project {r.project!r}" if r.project else ""
    console.print(f"wrote {out_path}{base}: {r.documents} documents, {r.statements} statements ({r.kept} as DNA had "
                  f"them, {r.edited} edited, {r.added} added, {r.dropped} rejected left out); coders: "
                  f"{', '.join(r.coders)}", highlight=False)
    if r.unplaced:
        console.print(f"{r.unplaced} claims left out: their evidence is not in DNA's copy of the document",
                      highlight=False)
    if r.truncated:
        console.print(f"{r.truncated} values were cut to DNA's 190 characters", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)

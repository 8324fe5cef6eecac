"""``stancemap kb``: inspect, import and export the actor knowledge base."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
import yaml

from stancemap.errors import StancemapError
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.knowledge.loader import Entry, dump_entries
from stancemap.knowledge.office_holders import PHOENIX_DATE, office_holders
from stancemap.knowledge.office_holders import dump as dump_holders
from stancemap.knowledge.phoenix import read_actors, read_agents, write_actors

app = typer.Typer(help="The actor knowledge base: resolve names, import/export CAMEO/Phoenix dictionaries.")


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    phoenix = "phoenix"
    yaml = "yaml"


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=1)


def _kb(extra: list[Path] | None) -> KnowledgeBase:
    kb = KnowledgeBase.builtin()
    return kb.extended_from(*extra) if extra else kb


@app.command("show")
def show(
    name: str = typer.Argument(..., help="A name or phrase as it appears in news: 'Blinken', 'Israeli officials'."),
    date: Optional[str] = typer.Option(None, "--date", "-d", help="The article's date, YYYY-MM-DD (default: now)."),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text or json."),
    context: Optional[str] = typer.Option(None, "--context", help="Text around the mention, to disambiguate."),
    kb_file: Optional[list[Path]] = typer.Option(None, "--kb", help="Extra KB YAML file(s) to add."),
) -> None:
    """Explain how NAME resolves on a date, and why."""
    try:
        on = dt.date.fromisoformat(date) if date else None
        res = _kb(kb_file).resolve(name, on, context=context)
    except ValueError:
        _fail(ValueError(f"--date: expected YYYY-MM-DD, got {date!r}"))
        return
    except StancemapError as exc:
        _fail(exc)
        return
    if fmt is ShowFormat.json:
        typer.echo(json.dumps({"name": name, "date": date, **res.model_dump()}, ensure_ascii=False))
        return
    typer.echo(f"{name!r} -> {res.actor or 'unresolved'}")
    if res.via:
        for key, value in res.via.items():
            typer.echo(f"  {key}: {value}")
    typer.echo(f"  reason: {res.reason}")


@app.command("stats")
def stats(kb_file: Optional[list[Path]] = typer.Option(None, "--kb", help="Extra KB YAML file(s) to add.")) -> None:
    """Count the knowledge base's actors, people, roles and forms."""
    try:
        kb = _kb(kb_file)
    except StancemapError as exc:
        _fail(exc)
        return
    for key, value in kb.stats().items():
        typer.echo(f"{key:>16}: {value}")
    problems = kb.check()
    if problems:
        typer.echo(f"{len(problems)} problem(s): " + "; ".join(problems[:10]))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A Phoenix .actors.txt or agents file."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Save the imported actors as a KB YAML file."),
    show_rejected: int = typer.Option(10, "--show-rejected", help="How many rejected lines to list."),
    holders: bool = typer.Option(False, "--office-holders", help="Keep only people in a state's government, "
                                 "with dated roles, not already in the knowledge base (how the built-in "
                                 "office-holders.tsv is made)."),
    until: Optional[str] = typer.Option(None, "--until", help="With --office-holders: the dictionary's date, "
                                        "YYYY-MM-DD, on which an open role ends (default 2014-01-30, Phoenix's)."),
) -> None:
    """Read a CAMEO/Phoenix dictionary; report what came in; optionally save it as a KB file."""
    agents_file = "agents" in file.name.lower() and "actors" not in file.name.lower()
    try:
        report = read_agents(file) if agents_file else read_actors(file)
    except StancemapError as exc:
        _fail(exc)
        return
    typer.echo(f"{file.name}: {report.n_records} records, {report.n_aliases} aliases, "
               f"{len(report.actors)} actors, {len(report.agents)} agent nouns, {len(report.rejected)} rejected")
    for reason, n in report.reasons().items():
        typer.echo(f"  rejected {n:>5}  {reason}")
    for line, reason in report.rejected[:show_rejected]:
        typer.echo(f"  {file.name}:{line}: {reason}")
    if holders:
        if agents_file:
            _fail(ValueError("--office-holders reads an actors file, not an agents file"))
            return
        try:
            last = dt.date.fromisoformat(until) if until else PHOENIX_DATE
        except ValueError:
            _fail(ValueError(f"--until: expected YYYY-MM-DD, got {until!r}"))
            return
        kb = KnowledgeBase.curated()
        forms = [s for s, _e in kb.surface_forms()] + [s for s, _e in kb.cased_surface_forms()]
        states = [a.id for a in kb.actors() if a.kind == "state"]
        people = office_holders(report.actors, forms, states, until=last)
        typer.echo(f"office holders: {len(people)} people, {sum(len(a.roles) for a in people)} roles")
        if out:
            out.write_text(dump_holders(people), encoding="utf-8")
            typer.echo(f"saved to {out}")
        return
    if out:
        if agents_file:
            doc: dict = {"agents": {"collective": sorted(report.agents)}}
        else:
            doc = {"actors": dump_entries([Entry(actor=a, short=()) for a in report.actors])}
        with out.open("w", encoding="utf-8") as fh:
            yaml.safe_dump(doc, fh, allow_unicode=True, sort_keys=False, width=200)
        typer.echo(f"saved to {out} (add with --kb {out}, or KnowledgeBase.builtin().extended_from(path))")


@app.command("export")
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.phoenix, "--format", "-f", help="phoenix or yaml."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
    kb_file: Optional[list[Path]] = typer.Option(None, "--kb", help="Extra KB YAML file(s) to add."),
) -> None:
    """Write the knowledge base's actors in CAMEO/Phoenix format (or as KB YAML)."""
    try:
        kb = _kb(kb_file)
    except StancemapError as exc:
        _fail(exc)
        return
    fh = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        if fmt is ExportFormat.phoenix:
            n = write_actors(kb.actors(), fh)
        else:
            entries = kb.entries()
            yaml.safe_dump({"actors": dump_entries(entries)}, fh, allow_unicode=True, sort_keys=False, width=200)
            n = len(entries)
    finally:
        if out:
            fh.close()
    if out:
        typer.echo(f"wrote {n} actors to {out}")

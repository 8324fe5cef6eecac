"""What the commands share: options, the error boundary, output helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stancemap.errors import StancemapError

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (sqlite:///PATH or postgresql://...) or a path; default $STANCEMAP_DB or ./stancemap.db"),
]
CodebookOption = Annotated[
    Path | None,
    typer.Option("--codebook", "-c", help="Codebook YAML; default: the built-in Gaza 2023-24 codebook", exists=False),
]
ExtractorOption = Annotated[
    str,
    typer.Option("--extractor", help="learned: the trained model (default); rules: the hand-written rules"),
]
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model folder made by `stancemap train` (default: the built-in model)"),
]
SinceOption = Annotated[dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="From this date (YYYY-MM-DD)")]
UntilOption = Annotated[dt.datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Up to this date (YYYY-MM-DD)")]


def day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@contextlib.contextmanager
def errors() -> Iterator[None]:
    """Turn stancemap's errors into one clean line on stderr and exit status 1."""
    try:
        yield
    except StancemapError as e:
        console.print(f"[bold red]error:[/] {e}", highlight=False)
        raise typer.Exit(1) from None


def load_codebook_option(path: Path | None):
    from stancemap.knowledge.codebook import builtin_codebook, load_codebook

    return load_codebook(path) if path else builtin_codebook()


def build_extractor(codebook, extractor: str = "learned", model: Path | None = None):
    from stancemap.errors import StancemapError as _E
    from stancemap.extract import EXTRACTORS, make_extractor

    if extractor not in EXTRACTORS:
        raise typer.BadParameter(f"--extractor must be one of {', '.join(EXTRACTORS)}")
    if model is not None and extractor != "learned":
        raise typer.BadParameter("--model goes with --extractor learned")
    try:
        return make_extractor(codebook, extractor=extractor, model=model)
    except _E:
        raise


def warn_unfindable(extractor) -> None:
    """An actor nothing can find is said when the codebook loads, not discovered from empty results."""
    from stancemap.knowledge.described import unfindable_actors

    extractor._build()
    rules = getattr(extractor, "rules", extractor)
    for actor in unfindable_actors(extractor.codebook, rules.kb):
        console.print(f"[yellow]warning:[/] codebook actor {actor!r} is not in the knowledge base and has no aliases "
                      f"or names in its description: only its name will find it (add `aliases:`)", highlight=False)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")

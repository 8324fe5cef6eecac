"""The ``stancemap`` command: a thin face over the library.

Each command parses its options, makes one library call, and maps the library's
exceptions to a message and an exit code (1: an error; 2: bad usage; 3: some input
records were rejected but the rest went in).
"""

from __future__ import annotations

import typer

from stancemap.cli import analysis, core, dna, ingest, kb, learn, review, web

app = typer.Typer(
    name="stancemap",
    help="Who stands where on contested issues: claims (actor, issue, stance, quote) from dated news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
core.register(app)
ingest.register(app)
analysis.register(app)
review.register(app)
learn.register(app)
dna.register(app)
web.register(app)
app.add_typer(kb.app, name="kb", help="The actor knowledge base: show, import, export.")


def main() -> None:  # the console script
    app()

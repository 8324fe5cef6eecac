"""KB commands (being written)."""

import typer

app = typer.Typer()

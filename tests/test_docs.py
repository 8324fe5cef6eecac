"""Docs that cannot rot: the CLI reference matches the commands; every command is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from stancemap.cli import app
from stancemap.cli.reference import reference

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_current():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is stale: run `python -m stancemap.cli.reference > docs/cli.md`")


def test_every_command_is_in_the_reference_and_the_readme():
    names = sorted(typer.main.get_command(app).commands)
    ref = (DOCS / "cli.md").read_text(encoding="utf-8")
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    missing = [n for n in names if f"## stancemap {n}" not in ref]
    assert missing == []
    assert [n for n in names if f"stancemap {n}" not in readme and n not in ("decide",)] == []

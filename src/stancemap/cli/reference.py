"""The CLI reference in docs/cli.md is generated from the commands' own --help text.

``python -m stancemap.cli.reference > docs/cli.md`` rewrites it; a test checks that the
file matches, so the reference cannot drift from the commands.
"""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from stancemap.cli import app


def _paths(cmd, path: list[str]):
    yield path
    if getattr(cmd, "commands", None):
        for name in sorted(cmd.commands):
            yield from _paths(cmd.commands[name], path + [name])


def reference() -> str:
    runner = CliRunner()
    out = ["# CLI reference", "", "Generated from each command's `--help` by "
           "`python -m stancemap.cli.reference > docs/cli.md`; a test keeps it in step.", ""]
    for path in _paths(typer.main.get_command(app), []):
        res = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
                            terminal_width=100)
        text = "\n".join(line.rstrip() for line in res.output.strip().splitlines())
        out += [f"## stancemap {' '.join(path)}".rstrip(), "", "```", text, "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(reference(), end="")

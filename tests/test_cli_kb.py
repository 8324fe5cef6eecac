"""``stancemap kb``: show, stats, import, export (on the sub-app itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancemap.cli.kb import app
from stancemap.knowledge.kb import KnowledgeBase

runner = CliRunner()
PHOENIX = Path(__file__).resolve().parents[1] / ".." / "shared" / "knowledge" / "phoenix"


def test_show_json_in_and_out_of_office():
    out = runner.invoke(app, ["show", "Blinken", "--date", "2023-12-07", "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["actor"] == "USA"
    assert data["via"]["start"] == "2021-01-26" and data["via"]["end"] == "2025-01-20"
    data = json.loads(runner.invoke(app, ["show", "Blinken", "--date", "2025-06-01", "-f", "json"]).output)
    assert data["actor"] is None and data["reason"].startswith("out of office")


def test_show_text_and_context():
    out = runner.invoke(app, ["show", "Israeli hostages"])
    assert out.exit_code == 0 and "unresolved" in out.output and "not an agent noun: hostages" in out.output
    out = runner.invoke(app, ["show", "Abdullah", "-d", "2024-01-01", "--context", "King Abdullah of Jordan said"])
    assert "-> JOR" in out.output


def test_show_bad_date():
    out = runner.invoke(app, ["show", "Blinken", "--date", "yesterday"])
    assert out.exit_code == 1 and "YYYY-MM-DD" in out.output


def test_stats():
    out = runner.invoke(app, ["stats"])
    assert out.exit_code == 0 and "kind state: 197" in out.output.replace("  ", " ").replace(" :", ":")


def test_import_sample_and_use_it(tmp_path):
    src = tmp_path / "mine.actors.txt"
    src.write_text("JANE_ROE_  # someone\n\t[GBRGOV 20240301-20241231]\nNO_CODE_HERE_\n")
    kb_file = tmp_path / "mine.yaml"
    out = runner.invoke(app, ["import", str(src), "--out", str(kb_file)])
    assert out.exit_code == 0, out.output
    assert "1 records, 1 aliases" in out.output and "1 rejected" in out.output and "no code: No Code Here" in out.output
    kb = KnowledgeBase.builtin().extended_from(kb_file)
    assert kb.resolve("Jane Roe", __import__("datetime").date(2024, 6, 1)).actor == "GBR"
    shown = runner.invoke(app, ["show", "Jane Roe", "-d", "2024-06-01", "--kb", str(kb_file), "-f", "json"])
    assert json.loads(shown.output)["actor"] == "GBR"


@pytest.mark.shared
def test_import_shared_agents_file():
    path = PHOENIX / "Phoenix.agents.txt"
    if not path.exists():
        pytest.skip("../shared is absent")
    out = runner.invoke(app, ["import", str(path)])
    assert out.exit_code == 0 and "agent nouns" in out.output and "no agent code" in out.output


def test_export_phoenix_and_yaml(tmp_path):
    f = tmp_path / "kb.actors.txt"
    out = runner.invoke(app, ["export", "--out", str(f)])
    assert out.exit_code == 0 and "wrote" in out.output
    text = f.read_text()
    assert "Antony_Blinken_  # stancemap:person:antony-blinken kind=person" in text
    y = tmp_path / "kb.yaml"
    assert runner.invoke(app, ["export", "--format", "yaml", "--out", str(y)]).exit_code == 0
    again = KnowledgeBase.load([y], builtin=False)
    assert again.resolve("Gallant", __import__("datetime").date(2024, 1, 1)).actor == "ISR"

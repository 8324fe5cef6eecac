"""Data flows one way: a layer imports only the layers below it (checked on the source)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "stancemap"
# what each layer may import (besides itself, errors and model, which every layer may use)
ALLOWED = {
    "model": set(),
    "ingest": set(),
    "knowledge": set(),
    "extract": {"knowledge"},
    "store": set(),
    "analyze": set(),
    "evaluation": {"extract", "knowledge", "ingest"},
    "learn": {"extract", "knowledge", "evaluation"},  # never the store: jobs hand it rows
    "jobs": {"ingest", "extract", "store", "knowledge", "learn"},
    "report": {"store", "analyze", "knowledge"},
    "web": {"report", "store", "analyze", "knowledge"},
}
IMPORT = re.compile(r"^\s*(?:from|import)\s+stancemap\.([a-z_]+)", re.M)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_lower_layers(layer):
    bad = []
    for path in (SRC / layer).rglob("*.py"):
        for target in IMPORT.findall(path.read_text(encoding="utf-8")):
            if target not in ALLOWED[layer] | {layer, "errors", "model"}:
                bad.append(f"{path.relative_to(SRC)} imports stancemap.{target}")
    assert bad == []

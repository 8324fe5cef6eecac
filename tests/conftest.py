"""Shared fixtures. ../shared is read-only test material; tests that need it skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def gaza_codebook_path(shared) -> Path:
    return shared / "eval" / "codebook-gaza-2023.yaml"

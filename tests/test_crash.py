"""Crash safety: an extraction killed with SIGKILL and started again ends as an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import claim_keys, make_articles, records
from stancemap.jobs import extract_store
from stancemap.store import Store

pytestmark = pytest.mark.slow

CHILD = """
import sys
from stancemap.extract import Extractor
from stancemap.jobs import extract_store
from stancemap.knowledge.codebook import builtin_codebook
from stancemap.store import Store

store = Store.open(sys.argv[1])
extract_store(store, Extractor(builtin_codebook()), batch=3,
              progress=lambda n: print("batch", n, flush=True))
print("done", flush=True)
"""


def _run_child(script, url, *, kill_after: int | None) -> int:
    """Run an extraction; SIGKILL it once ``kill_after`` batches are committed. Its exit status."""
    proc = subprocess.Popen([sys.executable, str(script), url], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    batches = 0
    for line in proc.stdout:
        if line.startswith("batch"):
            batches += 1
            if kill_after is not None and batches >= kill_after:
                proc.send_signal(signal.SIGKILL)
                break
    proc.stdout.close()
    return proc.wait(timeout=120)


def test_sigkill_then_restart_gives_the_uninterrupted_result(store_url, tmp_path, extractor):
    articles = make_articles(10)  # 120 articles, 40 batches of 3
    store = Store.open(store_url)
    store.add_articles(records(articles))
    codebook = store.save_codebook(extractor.codebook)
    script = tmp_path / "child.py"
    script.write_text(CHILD)

    for kill_after in (2, 9):
        assert _run_child(script, store_url, kill_after=kill_after) == -signal.SIGKILL
        pending = store.count_pending(codebook, extractor.version)
        assert 0 < pending < len(articles), "the kill did not land mid-run"
    assert _run_child(script, store_url, kill_after=None) == 0
    assert store.count_pending(codebook, extractor.version) == 0

    reference = Store.open(f"sqlite:///{tmp_path / 'uninterrupted.db'}")
    reference.add_articles(records(articles))
    extract_store(reference, extractor)
    assert claim_keys(store) == claim_keys(reference)
    assert store.count_claims() == reference.count_claims()

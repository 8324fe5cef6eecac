"""The held-out annotations are never in the built-in model's training set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ANNOTATIONS = Path(__file__).resolve().parents[1] / "annotations"


@pytest.mark.shared
@pytest.mark.slow
def test_heldout_articles_are_not_trained_on(shared):
    from stancemap.learn.data import shipped_training_set

    held = {json.loads(line)["article_id"] for line in open(ANNOTATIONS / "heldout-us2016.jsonl", encoding="utf-8")}
    assert len(held) == 40
    gaza = {json.loads(line)["article_id"] for line in open(ANNOTATIONS / "heldout-gaza.jsonl", encoding="utf-8")}
    assert len(gaza) == 375
    held |= gaza
    trained = {g.article.id for g in shipped_training_set(shared, ANNOTATIONS).articles}
    assert len(trained) > 1900 and not held & trained

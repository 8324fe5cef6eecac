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


@pytest.mark.shared
@pytest.mark.slow
def test_the_uk_codebook_articles_are_trained_on_once_with_their_codebook(shared):
    """The third codebook's articles (British parties, annotations/pool-uk-gaza.jsonl) are pool
    articles no other file annotates, and the built-in model learns them with their own codebook."""
    from stancemap.learn.data import shipped_training_set

    def ids(name):
        return {json.loads(line)["article_id"] for line in open(ANNOTATIONS / name, encoding="utf-8")}

    uk = ids("pool-uk-gaza.jsonl")
    assert len(uk) == 314
    others = ids("pool-gaza.jsonl") | ids("heldout-gaza.jsonl") | ids("heldout-us2016.jsonl") | ids("pool-us2016.jsonl")
    assert not uk & others
    pool = {line.strip() for line in open(Path(shared) / "eval" / "annotation-pool.txt") if line.strip()}
    assert uk <= pool
    ts = shipped_training_set(shared, ANNOTATIONS)
    got = [g for g in ts.articles if g.article.id in uk]
    assert len(got) == 314 and {g.codebook for g in got} == {"uk-gaza-2023"}
    assert sum(len(g.claims) for g in got) == 279
    cb = ts.codebooks["uk-gaza-2023"]
    assert {a.id for a in cb.actors} == {"CON", "LAB", "SNP", "LD"}
    for g in got:  # the offsets cut whole evidence out of the corpus text
        for c in g.claims:
            ev = g.article.text[c.start:c.end]
            assert 0 <= c.start < c.end and len(ev.strip()) > 20

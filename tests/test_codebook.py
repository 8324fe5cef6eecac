"""Codebooks load as the evaluation's YAML is written; errors name the entry and field."""

from __future__ import annotations

import pytest

from stancemap.errors import CodebookError
from stancemap.knowledge.codebook import builtin_codebook, load_codebook


def test_shared_codebook_loads_as_it_is(gaza_codebook_path):
    cb = load_codebook(gaza_codebook_path)
    assert len(cb.actors) == 21 and len(cb.issues) == 20
    assert cb.issue("pa-governs-gaza").label == "Palestinian Authority governs Gaza"


def test_builtin_codebook():
    cb = builtin_codebook()
    assert cb.actor("USA").name == "United States"


def test_user_keywords_and_aliases(tmp_path):
    p = tmp_path / "cb.yaml"
    p.write_text("name: uk\nactors:\n  - {id: LAB, name: Labour, aliases: [Labour Party]}\n"
                 "issues:\n  - {id: tuition, label: Tuition fees, keywords: [top-up fees]}\n", encoding="utf-8")
    cb = load_codebook(p)
    assert cb.actor("LAB").aliases == ("Labour Party",)
    assert cb.issue("tuition").keywords == ("top-up fees",)


@pytest.mark.parametrize("body,message", [
    ("actors: []\nissues: [{id: a, label: A}]", "'actors' must be a non-empty list"),
    ("actors: [{id: X, name: X}]\nissues: [{label: A}]", "issues[1]"),
    ("actors: [{id: X, name: X}, {id: X, name: Y}]\nissues: [{id: a, label: A}]", "duplicate actor id 'X'"),
    ("actors: [\n  - bad", "invalid YAML"),
])
def test_bad_codebooks(tmp_path, body, message):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(CodebookError) as e:
        load_codebook(p)
    assert message in str(e.value) and str(p) in str(e.value)

"""The PolNeAR brat reader and the span/relation scorer, on small hand-made files."""

from __future__ import annotations

import pytest

from stancemap.errors import InputError
from stancemap.evaluation.polnear import GoldAttribution, evaluate, parse_ann, read_split, score_file

# "Smith" 0-5, "said" 6-10, "the plan failed" 11-26, "." 26, "Jones" 28-33, "says" 34-38,
# "rain" 39-43, "rain is coming" 39-53, "." 53
TEXT = "Smith said the plan failed. Jones says rain is coming."
ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 26\tthe plan failed
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 34 38\tsays
T6\tContent 39 53;39 43\train is coming
T7\tAttribution-no-source 34 38\tsays
E2\tAttribution-no-source:T7 Content:T6 Cue:T5
T8\tDiscuss 0 5\tSmith
E3\tAttribution:T9
"""


def test_parse_ann():
    gold = parse_ann(ANN)
    assert gold == (
        GoldAttribution(((0, 5),), ((6, 10),), ((11, 26),)),
        GoldAttribution(None, ((34, 38),), ((39, 43), (39, 53))),
    )


def test_parse_ann_bad_span():
    with pytest.raises(InputError, match="bad span"):
        parse_ann("T1\tCue six 10\tsaid\n", "x.ann")


def P(source, cue, content):
    return GoldAttribution(source and (source,), (cue,), (content,))


def test_score_exact_and_overlap():
    gold = parse_ann(ANN)
    pred = [
        P((0, 5), (6, 10), (11, 27)),    # content one char longer (takes the period): overlap, not exact
        P((28, 33), (34, 38), (39, 53)),  # "Jones": a source the gold lacks; content = gold extent
        P(None, (44, 46), (47, 53)),     # cue "is" inside the content: a cue false positive
    ]
    c = score_file(TEXT, pred, gold).counts
    # sources: predicted {Smith, Jones}, gold {Smith}
    assert (c["source/exact"].tp_pred, c["source/exact"].n_pred, c["source/exact"].n_gold) == (1, 2, 1)
    assert c["source/exact"].precision == 0.5 and c["source/exact"].recall == 1.0
    # cues: said, says exact; "is" wrong
    assert (c["cue/exact"].tp_pred, c["cue/exact"].n_pred, c["cue/exact"].tp_gold) == (2, 3, 2)
    assert c["cue/overlap"].tp_pred == 2
    # content: (11,27) is not exact, (39,53) equals the extent of 39-43;39-53, (47,53) is not
    assert (c["content/exact"].tp_pred, c["content/exact"].tp_gold) == (1, 1)
    assert (c["content/overlap"].tp_pred, c["content/overlap"].tp_gold) == (3, 2)
    # characters (spaces not counted): the union of predicted content is the gold's plus a period
    chars = c["content/chars"]
    assert chars.n_gold == len("theplanfailed") + len("rainiscoming")
    assert chars.tp_gold == chars.n_gold
    assert chars.n_pred == chars.n_gold + 1  # the extra period
    # relations: the first two match (cue and content overlap); the third's cue does not
    assert (c["relation"].tp_pred, c["relation"].n_pred, c["relation"].tp_gold) == (2, 3, 2)
    # with sources: the second has "Jones" where the gold has none
    assert (c["relation+source"].tp_pred, c["relation+source"].tp_gold) == (1, 1)
    assert c["relation"].f1 == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))


def test_exact_ignores_surrounding_whitespace():
    gold = [P(None, (6, 10), (11, 26))]
    c = score_file(TEXT, [P(None, (5, 10), (11, 26))], gold).counts
    assert c["cue/exact"].tp_pred == 1


def _write(root, name, annotator, text, ann):
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"{name}_{annotator}.ann").write_text(ann, encoding="utf-8")


def test_read_split_and_evaluate_micro_over_annotators(tmp_path):
    _write(tmp_path, "pub_2016-01-01_some-title", "ab12", TEXT, ANN)
    _write(tmp_path, "pub_2016-01-01_some-title", "cd34", TEXT, ANN.split("T5")[0])  # only Smith
    arts = list(read_split(tmp_path))
    assert [(a.name, a.annotator, len(a.attributions)) for a in arts] == [
        ("pub_2016-01-01_some-title", "ab12", 2), ("pub_2016-01-01_some-title", "cd34", 1)]
    calls = []

    def extract(texts):
        calls.append(texts)
        return [[P((0, 5), (6, 10), (11, 26))] for _ in texts]

    scores = evaluate(arts, extract)
    assert calls == [[TEXT]]  # one parse per article, however many annotators
    rel = scores.counts["relation"]
    assert scores.files == 2
    assert (rel.tp_pred, rel.n_pred, rel.tp_gold, rel.n_gold) == (2, 2, 2, 3)
    assert rel.recall == pytest.approx(2 / 3)


def test_read_split_rejects_a_non_split(tmp_path):
    with pytest.raises(InputError, match="not a PolNeAR split"):
        list(read_split(tmp_path))


@pytest.mark.shared
def test_real_dev_split_parses(shared):
    root = shared / "eval" / "polnear" / "dev"
    if not root.is_dir():
        pytest.skip("PolNeAR is not in ../shared")
    arts = list(read_split(root))
    assert len(arts) == 94  # annotation files
    assert len({a.name for a in arts}) == 84  # articles
    assert sum(len(a.attributions) for a in arts) == 2319  # complete relations (cue and content)
    assert sum(g.source is None for a in arts for g in a.attributions) == 133  # Attribution-no-source
    for a in arts:
        for g in a.attributions:
            for frags in (g.cue, g.content, g.source or ()):
                assert all(0 <= s < e <= len(a.text) for s, e in frags)

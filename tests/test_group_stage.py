"""The group stage: one decision per (actor, issue) in an article, from all its sentences.

The features are checked against values worked out by hand on a three-sentence article; the
deciders against what they promise (one side per pair, the evidence its best sentence); training
against what it writes (its own stage with enough claims, the base model's with a few).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.extract.aggregate import PAIR_FEATURES, BestRowDecider, GroupDecider, group_features
from stancemap.extract.candidates import ArticleCandidates, Pair, Sentence
from stancemap.extract.features import SCALARS
from stancemap.extract.learned import builtin_model_dir
from stancemap.model import Article

DATA = Path(__file__).parent / "data" / "citycouncil"
runner = CliRunner()
pytestmark = pytest.mark.model
COS = SCALARS.index("cos")
LEX = SCALARS.index("lex_any")


def _article() -> tuple[ArticleCandidates, list, np.ndarray, np.ndarray]:
    """USA in sentences 0 and 1, ISR in sentence 1; issues "aid" and "truce"."""
    text = "One. Two. Three."
    art = Article(id="a", date=dt.date(2024, 1, 1), text=text)
    sents = [Sentence(0, 4, "One.", ["one"]), Sentence(5, 9, "Two.", ["two"]), Sentence(10, 16, "Three.", ["three"])]
    pairs = [Pair(0, "USA", "the US", "name"), Pair(1, "USA", "Washington", "name"), Pair(1, "ISR", "Israel", "name")]
    ac = ArticleCandidates(art, sents, pairs, [], {"USA": 2, "ISR": 1})
    keys = [(0, "aid"), (1, "aid"), (1, "truce"), (2, "aid")]
    P = np.array([[0.5, 0.4, 0.1],    # USA aid, sentence 0: leans support
                  [0.2, 0.1, 0.7],    # USA aid, sentence 1: the likeliest, oppose
                  [0.9, 0.06, 0.04],  # USA truce
                  [0.7, 0.2, 0.1]])   # ISR aid
    X = np.zeros((4, len(SCALARS) + 4), dtype=np.float32)
    X[:, COS] = [0.3, 0.6, 0.2, 0.6]  # a sentence's closeness to an issue is the same for all its actors
    X[:, LEX] = [1, 0, 0, 0]
    return ac, keys, X, P


def test_pair_features_are_what_the_rows_say():
    ac, keys, X, P = _article()
    pairs, F, groups = group_features(ac, keys, X, P, len(SCALARS))
    assert pairs == [("USA", "aid"), ("USA", "truce"), ("ISR", "aid")]
    assert groups[("USA", "aid")] == [0, 1]
    f = dict(zip(PAIR_FEATURES, F[0]))
    assert f["max_support"] == pytest.approx(0.4) and f["max_oppose"] == pytest.approx(0.7)
    assert f["max_claim"] == pytest.approx(0.8) and f["second_claim"] == pytest.approx(0.5)
    assert f["noisy_or"] == pytest.approx(1 - 0.5 * 0.2)
    assert f["best_side"] == pytest.approx(0.1 - 0.7)  # the likeliest sentence's support minus oppose
    assert f["actor_rank"] == 0 and f["issue_rank"] == 0  # USA's best issue; aid's best actor
    assert f["sentence_share"] == pytest.approx(2 / 3) and f["first_sentence"] == 0
    # the issue over the whole article: its sentences 0 and 1 (0.3, 0.6), its words in one of three sentences
    assert f["issue_max_cos"] == pytest.approx(0.6) and f["issue_mean_cos"] == pytest.approx((0.3 + 0.6) / 2)
    assert f["issue_lex_share"] == pytest.approx(1 / 3)
    g = dict(zip(PAIR_FEATURES, F[2]))  # ISR aid: second to USA on aid
    assert g["issue_rank"] == 1 and g["issue_gap"] == pytest.approx(0.8 - 0.3)
    assert g["salience"] == pytest.approx(0.5)
    t = dict(zip(PAIR_FEATURES, F[1]))  # USA truce: USA's second issue
    assert t["actor_rank"] == 1 and t["actor_gap"] == pytest.approx(0.8 - 0.1)
    # the best row's own features follow
    assert F[0, len(PAIR_FEATURES) + COS] == pytest.approx(0.6)


def test_best_row_decider_keeps_each_side_from_its_best_sentence():
    ac, keys, X, P = _article()
    got = {(d.actor, d.issue, d.stance): (d.raw, d.row) for d in BestRowDecider(None, 0.0).raw(ac, keys, X, P)}
    assert got[("USA", "aid", 1)] == (pytest.approx(0.4), 0) and got[("USA", "aid", 2)] == (pytest.approx(0.7), 1)


def _trees(n_features: int, classes: int):
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from stancemap.extract.scorers import TreeScorer
    from stancemap.learn.export import trees_arrays

    rng = np.random.default_rng(0)
    # the pair features drawn first, so that the stand-in trees stay the same when rows gain features
    Xf = np.hstack([rng.random((300, len(PAIR_FEATURES))), rng.random((300, n_features - len(PAIR_FEATURES)))])
    y = (Xf[:, PAIR_FEATURES.index("max_claim")] > 0.5).astype(int)
    if classes == 3:
        y = y * np.where(Xf[:, PAIR_FEATURES.index("side_gap")] > 0.5, 1, 2)
    return TreeScorer(trees_arrays(HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(Xf, y)))


def test_group_decider_decides_each_pair_once():
    ac, keys, X, P = _article()
    width = len(PAIR_FEATURES) + len(SCALARS)
    for sides, classes in (("rows", 2), ("trees", 3)):
        d = GroupDecider(_trees(width, classes), len(SCALARS), None, 0.0, sides)
        out = d.raw(ac, keys, X, P)
        assert sorted((x.actor, x.issue) for x in out) == [("ISR", "aid"), ("USA", "aid"), ("USA", "truce")]
        for x in out:
            assert 0.0 <= x.raw <= 1.0 and keys[x.row][1] == x.issue and ac.pairs[keys[x.row][0]].actor == x.actor
        if sides == "rows":  # the side and the evidence are the likeliest sentence's: oppose, sentence 1
            usa_aid = next(x for x in out if (x.actor, x.issue) == ("USA", "aid"))
            assert usa_aid.stance == 2 and usa_aid.row == 1
        # a threshold above every calibrated confidence keeps nothing
        assert GroupDecider(d.trees, len(SCALARS), {"x": [0.0, 1.0], "y": [0.0, 0.5]}, 0.6, sides).decide(ac, keys, X, P) == []


def test_votes_give_a_pair_the_side_most_of_its_sentences_take():
    """USA on aid: sentence 1 is the likeliest (oppose 0.7), but a vote over both sentences counts
    support 0.4 + 0.1 = 0.5 against oppose 0.1 + 0.7 = 0.8: still oppose. Three support sentences
    outweigh the one likeliest oppose sentence, and the evidence is the best support sentence."""
    from stancemap.extract.aggregate import pair_side

    ac, keys, X, P = _article()
    assert pair_side(P, [0, 1], "votes") == (2, 1) and pair_side(P, [0, 1], "rows") == (2, 1)
    P4 = np.array([[0.5, 0.45, 0.05], [0.1, 0.2, 0.7], [0.4, 0.55, 0.05], [0.6, 0.35, 0.05]])
    assert pair_side(P4, [0, 1, 2, 3], "rows") == (2, 1)  # the likeliest sentence opposes
    assert pair_side(P4, [0, 1, 2, 3], "votes") == (1, 2)  # 1.55 support against 0.85 oppose; best support: row 2
    width = len(PAIR_FEATURES) + len(SCALARS)
    d = GroupDecider(_trees(width, 2), len(SCALARS), None, 0.0, "votes", 0.5)
    keys4 = [(0, "aid"), (1, "aid"), (1, "aid"), (0, "aid")]
    usa = next(x for x in d.raw(ac, keys4, np.zeros((4, len(SCALARS))), P4) if x.actor == "USA")
    assert usa.stance == 1 and usa.row == 2


def test_the_built_in_model_decides_by_groups():
    meta = json.loads((builtin_model_dir() / "meta.json").read_text())
    assert meta["decider"]["kind"] == "groups" and meta["decider"]["features"][:len(PAIR_FEATURES)] == list(PAIR_FEATURES)
    assert (builtin_model_dir() / "decide.npz").exists()


def _train(out: Path, *extra: str):
    r = runner.invoke(app, ["train", "--gold", str(DATA / "train-gold.jsonl"), "--articles", str(DATA / "train-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--out", str(out), "--folds", "3", *extra])
    assert r.exit_code == 0, r.output
    return json.loads((out / "meta.json").read_text())


def test_a_few_articles_decide_by_best_sentence_on_the_base_models_scale(tmp_path):
    """Twelve articles teach the row scorer; a group stage fitted on another scorer's
    probabilities would overrule it, so claims come from best sentences, calibrated as the base's."""
    pytest.importorskip("sklearn")
    meta = _train(tmp_path / "m")
    base = json.loads((builtin_model_dir() / "meta.json").read_text())
    assert meta["decision"] == "best row" and meta["decider"] is None and not (tmp_path / "m" / "decide.npz").exists()
    assert meta["calibration"] == base["best_row"]["calibration"] and meta["threshold"] == base["best_row"]["threshold"]


def test_enough_claims_fit_their_own_group_stage(tmp_path, monkeypatch):
    """With the bar for "enough" lowered to the test data's size, training fits and writes its own stage."""
    pytest.importorskip("sklearn")
    from stancemap.learn import fit as F

    monkeypatch.setattr(F, "SMALL", 5)
    meta = _train(tmp_path / "own", "--alone")
    assert meta["decision"] == "groups" and meta["calibrated_on"] == "held-out folds"
    assert (tmp_path / "own" / "decide.npz").read_bytes() != (builtin_model_dir() / "decide.npz").read_bytes()
    r = runner.invoke(app, ["extract", str(DATA / "test-articles.jsonl"), "--codebook", str(DATA / "codebook.yaml"),
                            "--model", str(tmp_path / "own")])
    assert r.exit_code == 0, r.output
    claims = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    pairs = [(c["article_id"], c["actor"], c["issue"]) for c in claims if c.get("issue")]
    assert len(pairs) == len(set(pairs))  # one side per actor and issue in an article


def test_a_target_pair_is_decided_against_whatever_side_its_sentences_lean():
    """USA's sentences on aid lean support; with (USA, aid) a target (the issue is done to the
    USA) every decider takes the opposing side, with the pair's whole chance of a claim."""
    ac, keys, X, P = _article()
    P = P.copy()
    P[:2] = [[0.5, 0.4, 0.1], [0.2, 0.7, 0.1]]
    width = len(PAIR_FEATURES) + len(SCALARS)
    deciders = [BestRowDecider(None, 0.0), *(GroupDecider(_trees(width, c), len(SCALARS), None, 0.0, s, 0.5)
                                             for s, c in (("rows", 2), ("votes", 2), ("trees", 3)))]
    for d in deciders:
        before = {(x.actor, x.issue, x.stance) for x in d.raw(ac, keys, X, P)}
        assert ("USA", "aid", 1) in before
        d.targets = frozenset({("USA", "aid")})
        after = d.raw(ac, keys, X, P)
        usa = [x for x in after if (x.actor, x.issue) == ("USA", "aid")]
        assert [x.stance for x in usa] == [2] and usa[0].row == 1, type(d).__name__
        # ISR's side on aid is its own
        assert {(x.actor, x.stance) for x in after if x.actor == "ISR"} == {("ISR", 1)}
        # rows the scorer is sure hold no claim (a tie at zero) still give a target no support
        P0 = P.copy()
        P0[:2] = [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
        assert all(x.stance == 2 for x in d.raw(ac, keys, X, P0) if (x.actor, x.issue) == ("USA", "aid"))

"""The side of a claim on an issue the model never trained on (stancemap.extract.sides): half of
P(oppose | claim) comes from a logistic regression over the sentence's stance cues; on a known
issue the trees' reading stays; the chance of a claim never moves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stancemap.extract.features import SCALARS
from stancemap.extract.sides import CUE_SCALARS, MIN_SEEN, CueSides, issue_fingerprint
from stancemap.learn.sides import fit_cue_sides

LOCAL = SCALARS.index("local_sign")


def test_an_issue_is_known_by_its_text_whatever_its_case_and_spacing():
    a = issue_fingerprint("Ceasefire in Gaza", "A halt to the fighting.")
    assert a == issue_fingerprint("ceasefire  in gaza", "a halt to the\nfighting.")
    assert a != issue_fingerprint("Ceasefire in Lebanon", "A halt to the fighting.")
    assert a != issue_fingerprint("Ceasefire in Gaza", "A pause in the fighting.")
    assert len(a) == 12


def _sides(seen=("known",)) -> CueSides:
    """One cue (local_sign) with coefficient -2 on the standardised column (mean 0, scale 0.5),
    intercept -0.5: P(oppose) = sigmoid(-4 * local_sign - 0.5)."""
    k = len(CUE_SCALARS)
    coef = np.zeros(k)
    coef[CUE_SCALARS.index("local_sign")] = -2.0
    scale = np.ones(k)
    scale[CUE_SCALARS.index("local_sign")] = 0.5
    return CueSides({
        "cue_cols": np.array([SCALARS.index(n) for n in CUE_SCALARS]), "cue_mean": np.zeros(k),
        "cue_scale": scale, "cue_coef": coef, "cue_intercept": np.asarray(-0.5),
        "cue_mix": np.asarray(0.5), "seen_issues": np.array(list(seen), dtype="<U12"),
    })


def test_unseen_issues_take_half_their_side_from_the_cues():
    X = np.zeros((4, len(SCALARS)), dtype=np.float32)
    X[:, LOCAL] = [-1.0, -1.0, 1.0, -1.0]
    P = np.array([[0.2, 0.6, 0.2],   # known issue: untouched
                  [0.2, 0.6, 0.2],   # unknown, cue says oppose
                  [0.5, 0.1, 0.4],   # unknown, cue says support
                  [1.0, 0.0, 0.0]])  # unknown, no claim at all: untouched
    got = _sides().apply(P, X, ["known", "new", "new", "new"])
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    opp1 = 0.5 * 0.25 + 0.5 * sig(4 - 0.5)   # trees 0.2 / 0.8 of the claim; cues sigmoid(3.5)
    opp2 = 0.5 * 0.8 + 0.5 * sig(-4 - 0.5)   # trees 0.4 / 0.5; cues sigmoid(-4.5)
    np.testing.assert_allclose(got[0], P[0])
    np.testing.assert_allclose(got[1], [0.2, 0.8 * (1 - opp1), 0.8 * opp1])
    np.testing.assert_allclose(got[2], [0.5, 0.5 * (1 - opp2), 0.5 * opp2])
    np.testing.assert_allclose(got[3], P[3])
    np.testing.assert_allclose(got.sum(1), 1.0)
    assert got[1, 2] > got[1, 1] and P[1, 2] < P[1, 1]  # the cue turned this side
    np.testing.assert_allclose(P[1], [0.2, 0.6, 0.2])  # the caller's array is not changed


def test_fitting_learns_the_cue_and_which_issues_are_known():
    rng = np.random.default_rng(0)
    n = 400
    X = np.zeros((n, len(SCALARS)), dtype=np.float32)
    side = rng.integers(1, 3, n)  # 1 support, 2 oppose
    X[:, LOCAL] = np.where(side == 2, -1.0, 1.0) * np.where(rng.random(n) < 0.85, 1, -1)  # a noisy cue
    issues = np.array(["a"] * 200 + ["b"] * (200 - MIN_SEEN + 1) + ["c"] * (MIN_SEEN - 1), dtype="<U12")
    y = side.astype(np.int8)
    y[:10] = 0  # rows without a claim do not count for the side or for knowing an issue
    issues[:10] = "d"
    arrays = fit_cue_sides(X, y, np.ones(n, dtype=np.float32), issues)
    sides = CueSides(arrays)
    assert sides.seen == {"a", "b"}
    assert arrays["cue_coef"][CUE_SCALARS.index("local_sign")] < -0.5
    probe = np.zeros((2, len(SCALARS)), dtype=np.float32)
    probe[:, LOCAL] = [-1, 1]
    p = sides.oppose(probe)
    assert p[0] > 0.7 and p[1] < 0.3


@pytest.mark.parametrize("issues", [None, "few"])
def test_no_cue_model_without_fingerprints_or_with_too_few_of_a_side(issues):
    n = 60
    X = np.zeros((n, len(SCALARS)), dtype=np.float32)
    y = np.array([1] * 50 + [2] * 10, dtype=np.int8)  # ten oppose rows: too few to fit
    fps = None if issues is None else np.array(["a"] * n, dtype="<U12")
    assert fit_cue_sides(X, y, np.ones(n, dtype=np.float32), fps) == {}


@pytest.mark.model
def test_extraction_takes_the_side_of_unknown_issues_from_the_cues(tmp_path):
    """The built-in model on a codebook it never saw, with a hand-made cue model in its weights
    that always says oppose and knows one of the codebook's issues: pairs on that issue are
    decided exactly as without it; every pair on the other issues takes the opposing side; which
    pairs are decided, and how sure the model is of each, is the same (the cues pick sides, not
    claims)."""
    import json
    import shutil
    from pathlib import Path

    from stancemap.extract.learned import LearnedExtractor, builtin_model_dir
    from stancemap.extract.sides import codebook_fingerprints
    from stancemap.knowledge.codebook import load_codebook
    from stancemap.model import Article

    data = Path(__file__).parent / "data" / "citycouncil"
    codebook = load_codebook(data / "codebook.yaml")
    articles = [Article(**json.loads(line)) for line in (data / "train-articles.jsonl").read_text().splitlines()]
    known = codebook.issues[0].id
    model = tmp_path / "model"
    shutil.copytree(builtin_model_dir(), model)
    with np.load(model / "weights.npz") as z:
        arrays = {k: z[k] for k in z.files if not k.startswith("cue_") and k != "seen_issues"}
    np.savez_compressed(model / "weights.npz", **arrays)
    plain = LearnedExtractor(codebook, model)
    plain._build()  # reads the weights now, before they change below
    hand = _sides(seen=(codebook_fingerprints(codebook)[known],))
    np.savez_compressed(model / "weights.npz", **arrays, cue_cols=hand.cols, cue_mean=hand.mean, cue_scale=hand.scale,
                        cue_coef=np.zeros_like(hand.coef), cue_intercept=np.asarray(10.0), cue_mix=np.asarray(0.5),
                        seen_issues=np.array(sorted(hand.seen), dtype="<U12"))
    cued = LearnedExtractor(codebook, model)
    n_known = n_other = n_turned = 0
    for ac, keys, X, P in plain.scored(articles):
        before = {(d.actor, d.issue): d for d in plain.decider.raw(ac, keys, X, P)}
        cued._build()
        after = {(d.actor, d.issue): d for d in cued.decider.raw(ac, keys, X, P)}
        assert before.keys() == after.keys()
        for g, d in after.items():
            if g[1] == known:
                assert d == before[g]
                n_known += 1
            else:
                assert d.stance == 2 and d.raw == before[g].raw
                n_other += 1
                n_turned += before[g].stance == 1
    assert n_known > 0 and n_other > 0 and n_turned > 0
    assert plain.decider.cue_sides is None and cued.decider.cue_sides is not None


@pytest.mark.model
def test_a_few_articles_on_top_of_the_built_in_model_keep_its_cue_model():
    """As with the stance trees: a few claim rows trained on top of the built-in model keep its
    cue model and the issues it knows, so the new codebook's issues stay unknown to both."""
    from stancemap.extract.features import n_features
    from stancemap.extract.learned import builtin_model_dir
    from stancemap.extract.sides import ARRAYS
    from stancemap.learn import fit as F

    base = builtin_model_dir()
    dim = np.load(base / "static.npy", mmap_mode="r").shape[1]
    rng = np.random.default_rng(0)
    n = 300
    X = rng.normal(size=(n, n_features(dim))).astype(np.float32)
    y = np.zeros(n, dtype=np.int8)
    y[:30], y[30:60] = 1, 2
    fitted = F.fit_scorer(X, y, np.ones(n, dtype=np.float32), prior=F.prior_arrays(base),
                          issues=np.array(["new-issue"] * n, dtype="<U12"))
    with np.load(base / "weights.npz") as z:
        for k in ARRAYS:
            np.testing.assert_array_equal(fitted.arrays[k], z[k])
    assert "new-issue" not in CueSides(fitted.arrays).seen and len(CueSides(fitted.arrays).seen) > 20


def test_the_best_row_rule_takes_the_side_from_the_cues_and_keeps_its_confidence():
    """A model without a group stage (a few articles on top of another): each pair's best row,
    its side from the mix on an unknown issue, its confidence as the rows said."""
    from types import SimpleNamespace

    from stancemap.extract.aggregate import BestRowDecider

    ac = SimpleNamespace(pairs=[SimpleNamespace(actor="A"), SimpleNamespace(actor="B")])
    keys = [(0, "known"), (0, "new"), (1, "new")]
    X = np.zeros((3, len(SCALARS)), dtype=np.float32)
    X[:, LOCAL] = [-1.0, -1.0, 1.0]
    P = np.array([[0.2, 0.6, 0.2], [0.2, 0.6, 0.2], [0.5, 0.1, 0.4]])
    d = BestRowDecider(None, 0.0)
    before = {(x.actor, x.issue): x for x in d.raw(ac, keys, X, P)}
    d.cue_sides, d.fingerprints = _sides(seen=("fp-known",)), {"known": "fp-known", "new": "fp-new"}
    after = {(x.actor, x.issue): x for x in d.raw(ac, keys, X, P)}
    assert after[("A", "known")] == before[("A", "known")]
    assert (before[("A", "new")].stance, after[("A", "new")].stance) == (1, 2)  # the cue says oppose
    assert (before[("B", "new")].stance, after[("B", "new")].stance) == (2, 1)  # the cue says support
    assert [after[g].raw for g in after] == [before[g].raw for g in after] == [0.6, 0.6, 0.4]


def test_the_best_row_rule_never_makes_two_claims_of_one_side():
    """A pair with a support row and an oppose row makes two claims; when the cues turn both rows
    to oppose, one claim stays (the more confident), never a new one."""
    from types import SimpleNamespace

    from stancemap.extract.aggregate import BestRowDecider

    ac = SimpleNamespace(pairs=[SimpleNamespace(actor="A")])
    keys = [(0, "new"), (0, "new"), (0, "new")]
    X = np.zeros((3, len(SCALARS)), dtype=np.float32)
    X[:, LOCAL] = -1.0  # the cue says oppose on every row
    P = np.array([[0.3, 0.6, 0.1], [0.4, 0.1, 0.5], [0.7, 0.2, 0.1]])
    d = BestRowDecider(None, 0.0)
    before = sorted((x.stance, x.raw, x.row) for x in d.raw(ac, keys, X, P))
    assert before == [(1, 0.6, 0), (2, 0.5, 1)]
    d.cue_sides, d.fingerprints = _sides(), {"new": "fp-new"}
    after = [(x.stance, x.raw, x.row) for x in d.raw(ac, keys, X, P)]
    assert after == [(2, 0.6, 0)]


@pytest.mark.model
def test_cross_validation_decides_sides_with_the_cue_model_of_the_fold_that_scored_the_article(monkeypatch):
    """In the nested figures each article's unknown issues take their side from the cue model of
    the row model that scored it, fitted without the article's rows: here a stand-in that always
    says oppose and records how many rows it was fitted on."""
    from stancemap.extract.learned import builtin_model_dir
    from stancemap.knowledge.codebook import load_codebook
    from stancemap.learn import crossval
    from stancemap.learn import fit as F
    from stancemap.learn import sides as learn_sides
    from stancemap.learn.data import load_gold_files
    from stancemap.learn.dataset import build

    data = __import__("pathlib").Path(__file__).parent / "data" / "citycouncil"
    cb = load_codebook(data / "codebook.yaml")
    ts = load_gold_files(data / "train-gold.jsonl", data / "train-articles.jsonl", cb)
    ds = build(ts.extend(load_gold_files(data / "test-gold.jsonl", data / "test-articles.jsonl", cb)), builtin_model_dir())
    assert ds.row_fingerprints() is not None and (ds.row_fingerprints() != "").all()
    plain, _g, plain_preds, _P = crossval.cross_validate(ds, n_folds=4)
    k = len(CUE_SCALARS)

    def stand_in(X, y, w, issues):
        return {"cue_cols": np.array([SCALARS.index(c) for c in CUE_SCALARS]), "cue_mean": np.zeros(k),
                "cue_scale": np.ones(k), "cue_coef": np.zeros(k), "cue_intercept": np.asarray(10.0 + len(y)),
                "cue_mix": np.asarray(0.9), "seen_issues": np.array([], dtype="<U12")}

    monkeypatch.setattr(learn_sides, "fit_cue_sides", stand_in)
    sides: dict = {}
    _s, _g, preds, _P = crossval.cross_validate(ds, n_folds=4, sides=sides)
    assert set(sides) == set(range(len(ds.articles)))
    for fold in F.folds_by_article(len(ds.articles), 4, 0):
        trained_on = int((~np.isin(ds.row_article, fold)).sum())
        for a in fold:
            assert sides[int(a)].intercept == 10.0 + trained_on  # fitted on the other folds' rows
    assert {a: sorted((c["actor"], c["issue"]) for c in v) for a, v in preds.items()} == \
        {a: sorted((c["actor"], c["issue"]) for c in v) for a, v in plain_preds.items()}
    assert all(c["stance"] == "oppose" for v in preds.values() for c in v)
    assert any(c["stance"] == "support" for v in plain_preds.values() for c in v)

"""The row scorer's parts: the stance model (binary trees fitted on claim rows alone split the
claim probability between support and oppose: stancemap.extract.scorers.StanceScorer,
stancemap.learn.fit.fit_stance), the bag of three-way models (BagScorer), and the weight of the
articles annotated from the pool.

The rows here are synthetic: the features are named by ``SCALARS`` but their values are drawn so
that one feature decides claim-or-not and another decides the side, which a test can check.
"""

from __future__ import annotations

import numpy as np
import pytest

from stancemap.extract.features import SCALARS

pytestmark = pytest.mark.model
pytest.importorskip("sklearn")

N = len(SCALARS)
CLAIM, SIDE = SCALARS.index("cos"), SCALARS.index("local_sign")


def _rows(n: int, seed: int, oppose_share: float = 0.25) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cos`` > 0.5 makes a claim; among claims, ``local_sign`` -1 makes it oppose. Claims are rare
    (a tenth of the rows) and mostly support, as in news."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 0.3, size=(n, N)).astype(np.float32)
    claim = rng.random(n) < 0.1
    X[:, CLAIM] = np.where(claim, rng.uniform(0.55, 1.0, n), rng.uniform(0.0, 0.45, n))
    oppose = claim & (rng.random(n) < oppose_share)
    X[:, SIDE] = np.where(oppose, -1.0, np.where(rng.random(n) < 0.5, 1.0, 0.0))
    y = np.where(oppose, 2, np.where(claim, 1, 0)).astype(np.int8)
    return X, y, np.ones(n, dtype=np.float32)


def test_the_stance_model_splits_the_claim_probability_by_side():
    from stancemap.extract.scorers import StanceScorer
    from stancemap.learn import fit as F

    X, y, w = _rows(2500, 0)
    fitted = F.fit_scorer(X, y, w, bag=1)
    assert any(k.startswith("stance_") for k in fitted.arrays)
    scorer = fitted.scorer()
    assert isinstance(scorer, StanceScorer)
    Xt, yt, _ = _rows(2000, 1)
    P = scorer.predict_proba(Xt)
    assert np.allclose(P.sum(axis=1), 1.0)
    # the claim probability is the three-way trees' own; only its split between the sides is the stance model's
    assert np.allclose(P[:, 0], scorer.inner.predict_proba(Xt)[:, 0])
    claims = yt > 0
    side = np.where(P[claims, 2] > P[claims, 1], 2, 1)
    assert (side == yt[claims]).mean() > 0.95
    assert (P[~claims, 0] > 0.5).mean() > 0.95


def test_without_the_stance_model_the_rules_sign_picks_the_side():
    from stancemap.extract.scorers import RulesSide
    from stancemap.learn import fit as F

    X, y, w = _rows(3000, 0)
    scorer = F.fit_scorer(X, y, w, stance_model=False, bag=1).scorer()
    assert isinstance(scorer, RulesSide)
    assert not any(k.startswith("stance_") for k in F.fit_scorer(X, y, w, stance_model=False, bag=1).arrays)


def test_a_model_saved_with_a_stance_model_scores_the_same_when_loaded(tmp_path):
    from stancemap.extract.scorers import load_scorer, save_scorer
    from stancemap.learn import fit as F

    X, y, w = _rows(3000, 0)
    fitted = F.fit_scorer(X, y, w, bag=1)
    save_scorer(tmp_path / "weights.npz", fitted.arrays)
    loaded = load_scorer(tmp_path / "weights.npz", fitted.kind, N)
    Xt, _, _ = _rows(500, 2)
    assert np.allclose(loaded.predict_proba(Xt), fitted.scorer().predict_proba(Xt))


def test_a_few_claims_on_top_of_a_prior_keep_the_priors_stance_model(tmp_path):
    from stancemap.extract.scorers import stance_arrays
    from stancemap.learn import fit as F

    X, y, w = _rows(2500, 0)
    base = F.fit_scorer(X, y, w, bag=1)
    prior = {(k if k.startswith("stance_") else f"tree_{k}"): v for k, v in base.arrays.items()}  # as prior_arrays reads a folder
    Xs, ys, ws = _rows(300, 3)  # about 30 claims: fewer than SMALL
    assert 0 < (ys > 0).sum() < F.SMALL
    small = F.fit_scorer(Xs, ys, ws, prior=prior)
    kept, mine = stance_arrays(small.arrays), stance_arrays(base.arrays)
    assert kept.keys() == mine.keys() and all(np.array_equal(kept[k], mine[k]) for k in kept)
    # with enough claims of its own, a model fits its own
    Xb, yb, wb = _rows(2500, 4, oppose_share=0.6)
    assert (yb > 0).sum() >= F.SMALL
    own = stance_arrays(F.fit_scorer(Xb, yb, wb, prior=prior).arrays)
    assert not np.array_equal(own["value"], mine["value"])
    # and the saved model, prior and all, scores as it did when fitted
    from stancemap.extract.scorers import load_scorer, save_scorer

    save_scorer(tmp_path / "w.npz", small.arrays)
    Xt, _, _ = _rows(400, 5)
    assert np.allclose(load_scorer(tmp_path / "w.npz", small.kind, N).predict_proba(Xt), small.scorer().predict_proba(Xt))


def test_too_few_of_a_side_gives_no_stance_model():
    from stancemap.learn import fit as F

    X, y, w = _rows(2000, 0, oppose_share=0.0)  # no oppose claim at all
    assert F.fit_stance(X, y, w) == {}


def test_articles_annotated_from_the_pool_count_at_their_weight(tmp_path):
    """stancemap's own annotations (ids and offsets into the shared corpus) are read at the weight
    given, and their rows count that much in fitting; the gold files' rows count fully."""
    import gzip
    import json
    from pathlib import Path

    from stancemap.extract.learned import builtin_model_dir
    from stancemap.knowledge.codebook import load_codebook
    from stancemap.learn.data import load_gold_files, load_offset_annotations
    from stancemap.learn.dataset import build

    data = Path(__file__).parent / "data" / "citycouncil"
    cb = load_codebook(data / "codebook.yaml")
    arts = [json.loads(line) for line in open(data / "train-articles.jsonl", encoding="utf-8")]
    golds = {json.loads(line)["article_id"]: json.loads(line) for line in open(data / "train-gold.jsonl", encoding="utf-8")}
    pooled = arts[:3]
    (tmp_path / "corpus").mkdir()
    with gzip.open(tmp_path / "corpus" / "gaza-2023-24.jsonl.gz", "wt", encoding="utf-8") as fh:
        for a in pooled:
            fh.write(json.dumps(a) + "\n")
    ann = tmp_path / "pool.jsonl"
    with open(ann, "w", encoding="utf-8") as fh:
        for a in pooled:
            claims = []
            for c in golds[a["id"]]["claims"]:
                s = a["text"].index(c["evidence"])
                claims.append({"actor": c["actor"], "issue": c["issue"], "stance": c["stance"], "start": s, "end": s + len(c["evidence"])})
            fh.write(json.dumps({"article_id": a["id"], "batch": "test", "claims": claims}) + "\n")
    pool = load_offset_annotations(ann, tmp_path, cb, weight=0.5)
    assert [g.weight for g in pool.articles] == [0.5, 0.5, 0.5]
    assert [(c.actor, c.issue, c.stance) for c in pool.articles[0].claims] == [
        (c["actor"], c["issue"], c["stance"]) for c in golds[pooled[0]["id"]]["claims"]]
    shared = load_gold_files(data / "train-gold.jsonl", data / "train-articles.jsonl", cb)
    shared.articles = [g for g in shared.articles if g.article.id not in {a["id"] for a in pooled}]
    ds = build(shared.extend(pool), builtin_model_dir())
    in_pool = np.array([g.article.id in {a["id"] for a in pooled} for g in ds.articles])[ds.row_article]
    assert set(np.unique(ds.w[in_pool])) <= {0.0, 0.5} and (ds.w[in_pool] == 0.5).any()
    assert set(np.unique(ds.w[~in_pool])) <= {0.0, 1.0} and (ds.w[~in_pool] == 1.0).any()
    assert ((ds.y > 0) & in_pool).any()  # the pool's claims are positives, at half weight


def test_the_bag_averages_its_members_on_every_row(tmp_path):
    from stancemap.extract.scorers import BagScorer, TreeScorer, bag_arrays, load_scorer, save_scorer
    from stancemap.learn import fit as F

    X, y, w = _rows(2500, 0)
    fitted = F.fit_scorer(X, y, w, bag=3)
    extra = bag_arrays(fitted.arrays)
    assert len(extra) == 2
    bag = fitted.scorer().inner
    assert isinstance(bag, BagScorer) and len(bag.members) == 3
    members = [bag.members[0], *(TreeScorer(a) for a in extra)]
    # each member drew its own "none" rows: they differ
    Xt, _, _ = _rows(1500, 6)
    Pm = [m.predict_proba(Xt) for m in members]
    assert not np.allclose(Pm[0], Pm[1])
    P = bag.predict_proba(Xt)
    assert np.allclose(P, sum(Pm) / 3)
    # also where the first member sees no chance of a claim (the others get their say there too)
    plain = 1.0 - Pm[0][:, 0] < 0.01
    assert plain.any() and not np.allclose(P[plain], Pm[0][plain])
    save_scorer(tmp_path / "weights.npz", fitted.arrays)
    assert np.allclose(load_scorer(tmp_path / "weights.npz", "trees", N).predict_proba(Xt), fitted.scorer().predict_proba(Xt))
    # one member: no bag
    assert not bag_arrays(F.fit_scorer(X, y, w, bag=1).arrays)


def _sentence_rows(n_si: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sentence-issues of three candidate actors each: ``cos`` (the same for all three) says whether
    the sentence takes a stance on the issue; ``k_name`` says which actor is the one who does."""
    rng = np.random.default_rng(seed)
    si = np.repeat(np.arange(n_si), 3)
    X = rng.normal(0.0, 0.3, size=(len(si), N)).astype(np.float32)
    stance_here = rng.random(n_si) < 0.15
    X[:, CLAIM] = np.where(stance_here, rng.uniform(0.55, 1.0, n_si), rng.uniform(0.0, 0.45, n_si))[si]
    holder = np.zeros(len(si), dtype=bool)
    holder[3 * np.arange(n_si) + rng.integers(0, 3, n_si)] = True
    X[:, SCALARS.index("k_name")] = holder
    claim = holder & stance_here[si]
    oppose = claim & (rng.random(len(si)) < 0.3)
    X[:, SIDE] = np.where(oppose, -1.0, 1.0)
    y = np.where(oppose, 2, np.where(claim, 1, 0)).astype(np.int8)
    return X, y, np.ones(len(si), dtype=np.float32), si


def test_the_factored_trees_read_the_sentence_and_the_holder_apart(tmp_path):
    from stancemap.extract.features import SENTENCE_ISSUE_SCALARS
    from stancemap.extract.scorers import FactoredScorer, _sigmoid, factored_arrays, load_scorer, save_scorer
    from stancemap.learn import fit as F

    X, y, w, si = _sentence_rows(2000, 0)
    assert (y > 0).sum() >= F.SMALL
    fitted = F.fit_scorer(X, y, w, bag=1, si=si)
    got = factored_arrays(fitted.arrays)
    assert got is not None
    sentence, holder = got
    # the sentence-issue trees split on what is the same for every actor of a sentence, nothing else
    used = {SCALARS[f] for f, leaf in zip(sentence["feature"], sentence["is_leaf"]) if not leaf}
    assert used and used <= set(SENTENCE_ISSUE_SCALARS)
    fact = fitted.scorer().inner
    assert isinstance(fact, FactoredScorer)
    Xt, yt, _, sit = _sentence_rows(600, 1)
    P, inner = fact.predict_proba(Xt), fact.inner.predict_proba(Xt)
    assert np.allclose(P.sum(axis=1), 1.0)
    live = 1.0 - inner[:, 0] >= fact.gate
    two = _sigmoid(fact.sentence.raw(Xt)[:, 0]) * _sigmoid(fact.holder.raw(Xt)[:, 0])
    assert np.allclose(1.0 - P[live, 0], (1 - fact.mix) * (1.0 - inner[live, 0]) + fact.mix * two[live])
    assert np.allclose(P[~live], inner[~live])
    # the sentence factor tells stance-taking sentences from the rest, the holder factor the actor
    here = Xt[:, CLAIM] > 0.5
    p_si = _sigmoid(fact.sentence.raw(Xt)[:, 0])
    assert p_si[here].min() > p_si[~here].max() - 0.5 and p_si[here].mean() > p_si[~here].mean() + 0.5
    p_h = _sigmoid(fact.holder.raw(Xt)[:, 0])
    named = Xt[:, SCALARS.index("k_name")] > 0
    assert p_h[here & named].mean() > p_h[here & ~named].mean() + 0.5
    save_scorer(tmp_path / "weights.npz", fitted.arrays)
    assert np.allclose(load_scorer(tmp_path / "weights.npz", "trees", N).predict_proba(Xt), fitted.scorer().predict_proba(Xt))
    # without the rows' sentence-issue ids, or with few claims, there are none
    assert factored_arrays(F.fit_scorer(X, y, w, bag=1).arrays) is None
    Xs, ys, ws, sis = _sentence_rows(300, 2)
    assert (ys > 0).sum() < F.SMALL
    assert factored_arrays(F.fit_scorer(Xs, ys, ws, bag=1, si=sis).arrays) is None


def test_the_datasets_rows_of_one_sentence_and_issue_share_an_id():
    from stancemap.learn.dataset import Dataset

    class Pair:
        def __init__(self, actor, sent):
            self.actor, self.sent = actor, sent

    class Cands:
        def __init__(self, pairs):
            self.pairs = pairs

    # two articles; their rows interleaved as a dataset's rows are not, to check the lookup by article
    c0 = Cands([Pair("A", 0), Pair("B", 0), Pair("A", 1)])
    c1 = Cands([Pair("A", 0)])
    keys = [[(0, "x"), (1, "x"), (2, "x"), (1, "y")], [(0, "x")]]
    row_article = np.array([0, 0, 1, 0, 0])
    ds = Dataset(np.zeros((5, 1)), np.zeros(5, np.int8), np.ones(5), row_article, [None, None], keys, [c0, c1],
                 np.array(["x", "x", "x", "x", "y"], dtype=object))
    ids = ds.row_si()
    # article 0's rows are 0, 1, 3, 4 in order: (s0,x) (s0,x) (s1,x) (s0,y); article 1's row 2: its own (s0,x)
    assert ids[0] == ids[1]
    assert len({ids[0], ids[3], ids[4], ids[2]}) == 4

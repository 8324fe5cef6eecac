"""The learned extractor and `stancemap train`, on small data written for the tests.

tests/data/citycouncil is a made-up city's politics: a codebook the built-in model never saw
(actors named only in their descriptions, no aliases), 12 training articles and 5 held-out ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.evaluation import load_gold, score
from stancemap.extract.learned import DECISION_REVISION
from stancemap.knowledge.codebook import load_codebook
from stancemap.knowledge.described import description_names, unfindable_actors, with_description_aliases

DATA = Path(__file__).parent / "data" / "citycouncil"
runner = CliRunner()
pytestmark = pytest.mark.model


def _extract(model: Path | None, articles: Path, codebook: Path) -> dict[str, list[dict]]:
    args = ["extract", str(articles), "--codebook", str(codebook)]
    if model:
        args += ["--model", str(model)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    out: dict[str, list[dict]] = {}
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            c = json.loads(line)
            out.setdefault(c["article_id"], []).append(c)
    return out


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "riverton"
    r = runner.invoke(app, ["train", "--gold", str(DATA / "train-gold.jsonl"), "--articles", str(DATA / "train-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--out", str(out), "--folds", "3"])
    assert r.exit_code == 0, r.output
    return out


def test_description_names_become_aliases():
    cb = with_description_aliases(load_codebook(DATA / "codebook.yaml"))
    aliases = {a.id: set(a.aliases) for a in cb.actors}
    assert {"Jane Okafor", "Tom Reyes", "Okafor", "Reyes"} <= aliases["MAYOR"]  # "Mayor" is a title, dropped
    assert {"Priya Nandakumar", "Martin Alvarez"} <= aliases["GREENS"] | aliases["BUSINESS"]
    assert description_names("Senator Bernie Sanders and his campaign") == ["Bernie Sanders"]
    # a name that is another actor's ("The UN" under UNRWA) is not taken; nor an organisation's last word
    gaza = with_description_aliases(load_codebook(Path(__file__).parents[1] / "src/stancemap/data/codebook-gaza.yaml"))
    for a in gaza.actors:
        assert "House" not in a.aliases and "Council" not in a.aliases
        if a.id == "UNRWA":
            assert not any(x.lower() == "the un" for x in a.aliases)


def test_an_actor_nothing_can_find_is_reported(tmp_path):
    cb = tmp_path / "cb.yaml"
    cb.write_text("name: t\nactors:\n  - {id: ZZQ, name: Zorblax Union}\n  - {id: USA, name: United States}\n"
                  "issues:\n  - {id: x, label: Taxes on sugar}\n")
    from stancemap.knowledge.kb import KnowledgeBase

    assert unfindable_actors(load_codebook(cb), KnowledgeBase.builtin()) == ["ZZQ"]
    art = tmp_path / "a.jsonl"
    art.write_text(json.dumps({"id": "a", "date": "2025-01-01", "text": "The United States backed taxes on sugar."}) + "\n")
    r = runner.invoke(app, ["extract", str(art), "--codebook", str(cb)])
    assert r.exit_code == 0, r.output
    assert "'ZZQ'" in r.stderr and "aliases" in r.stderr and "USA" not in r.stderr.split("ZZQ")[0]


def test_train_writes_a_versioned_calibrated_model(trained):
    meta = json.loads((trained / "meta.json").read_text())
    assert meta["name"] == "stancemap.learned" and meta["version"].startswith("1.")
    assert meta["articles"] == 12 and meta["claims"] == 12 and meta["codebooks"] == ["riverton-2025"]
    cal = meta["calibration"]
    assert len(cal["x"]) == len(cal["y"]) and all(b >= a for a, b in zip(cal["y"], cal["y"][1:]))  # isotonic
    assert 0.0 < meta["threshold"] < 1.0
    # twelve articles are too few to calibrate on: the base model's scale is kept, and said
    assert meta["built_on"] and meta["calibrated_on"].startswith("the base model")
    for f in ("weights.npz", "static.npy", "static-weights.npy", "tokenizer.json"):
        assert (trained / f).stat().st_size > 0


def test_same_data_and_seed_give_the_same_model(trained, tmp_path):
    again = tmp_path / "again"
    r = runner.invoke(app, ["train", "--gold", str(DATA / "train-gold.jsonl"), "--articles", str(DATA / "train-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--out", str(again), "--folds", "3"])
    assert r.exit_code == 0, r.output
    a, b = json.loads((trained / "meta.json").read_text()), json.loads((again / "meta.json").read_text())
    assert a["version"] == b["version"]
    with np.load(trained / "weights.npz") as x, np.load(again / "weights.npz") as y:
        assert x.files == y.files and all(np.array_equal(x[k], y[k]) for k in x.files)


def test_a_few_articles_of_a_new_codebook_teach_the_model(trained):
    """Held-out articles of the new codebook: the model trained on 12 of its articles finds claims
    the built-in (untrained for this codebook) model misses, and keeps precision."""
    gold = load_gold(DATA / "test-gold.jsonl")
    before = _extract(None, DATA / "test-articles.jsonl", DATA / "codebook.yaml")
    after = _extract(trained, DATA / "test-articles.jsonl", DATA / "codebook.yaml")
    right = {(a, c["actor"], c["issue"], c["stance"]) for a, cs in gold.items() for c in cs}

    def found(pred):
        return {(a, c["actor"], c["issue"], c["stance"]) for a, cs in pred.items() for c in cs} & right

    # "urged the council to fund the stadium" (riverton-18) is what its training article taught it
    assert found(after) - found(before), (sorted(found(after)), sorted(found(before)))
    taught = score(gold, after)
    assert taught.triple[0] >= 0.8 and taught.triple[1] >= 0.7, taught.lines()


def test_a_model_trained_on_a_few_articles_keeps_the_built_in_cue_model(trained):
    """Twelve articles on top of the built-in model keep its stance trees and its cue model
    (extract/sides.py), and the new codebook's issues stay unknown to both, so the cues pick
    their sides."""
    from stancemap.extract.learned import builtin_model_dir
    from stancemap.extract.sides import ARRAYS, codebook_fingerprints, load_sides

    with np.load(trained / "weights.npz") as z, np.load(builtin_model_dir() / "weights.npz") as b:
        for k in ARRAYS:
            np.testing.assert_array_equal(z[k], b[k])
    sides = load_sides(trained / "weights.npz")
    new = codebook_fingerprints(load_codebook(DATA / "codebook.yaml")).values()
    assert sides is not None and not set(new) & sides.seen


def test_evaluate_with_a_model(trained):
    r = runner.invoke(app, ["evaluate", "--gold", str(DATA / "test-gold.jsonl"), "--articles", str(DATA / "test-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--model", str(trained), "--thresholds"])
    assert r.exit_code == 0, r.output
    assert "triple_f1=" in r.stdout and "confidence >=" in r.stdout


def test_claims_carry_model_version_and_verbatim_evidence(trained):
    meta = json.loads((trained / "meta.json").read_text())
    texts = {json.loads(x)["id"]: json.loads(x)["text"] for x in (DATA / "test-articles.jsonl").read_text().splitlines()}
    got = _extract(trained, DATA / "test-articles.jsonl", DATA / "codebook.yaml")
    assert got
    for aid, cs in got.items():
        for c in cs:
            assert c["extractor"] == "stancemap.learned" and c["extractor_version"] == f"{meta['version']}.{DECISION_REVISION}"
            assert texts[aid][c["start"]:c["end"]] == c["evidence"]
            assert 0.0 <= c["confidence"] <= 1.0 and c["speaker"]


def test_train_from_reviewed_claims_in_a_store(tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["ingest", str(DATA / "train-articles.jsonl"), "--db", db]).exit_code == 0
    r = runner.invoke(app, ["extract", "--db", db, "--codebook", str(DATA / "codebook.yaml")])
    assert r.exit_code == 0, r.output
    from stancemap.store import Store

    store = Store.open(db)
    gold = {(g["article_id"], c["actor"], c["issue"], c["stance"]) for g in map(json.loads, (DATA / "train-gold.jsonl").read_text().splitlines())
            for c in g["claims"]}
    rows = store.claims()
    assert rows, "the built-in model found nothing to review"
    accepted = rejected = 0
    for row in rows:
        right = (row["article_id"], row["actor"], row["issue"], row["stance"]) in gold
        store.set_status(row["id"], "accepted" if right else "rejected", reviewer="test")
        accepted += right
        rejected += not right
    out = tmp_path / "from-db"
    r = runner.invoke(app, ["train", "--db", db, "--out", str(out), "--folds", "2"])
    assert r.exit_code == 0, r.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["claims"] == accepted and meta["articles"] == len({r["article_id"] for r in rows})
    # an empty store has nothing to learn from, and says so
    empty = f"sqlite:///{tmp_path / 'e.db'}"
    r = runner.invoke(app, ["train", "--db", empty, "--out", str(tmp_path / "x")])
    assert r.exit_code == 1 and "no reviewed claim" in r.stderr


def test_train_rejects_a_claim_outside_the_codebook(tmp_path):
    bad = tmp_path / "g.jsonl"
    bad.write_text(json.dumps({"article_id": "riverton-00", "claims": [{"actor": "NOPE", "issue": "stadium",
                                                                       "stance": "support", "evidence": "x"}]}) + "\n")
    r = runner.invoke(app, ["train", "--gold", str(bad), "--articles", str(DATA / "train-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1 and f"{bad}:1" in r.stderr and "NOPE" in r.stderr


def test_a_missing_model_says_how_to_get_one(tmp_path):
    r = runner.invoke(app, ["extract", str(DATA / "test-articles.jsonl"), "--model", str(tmp_path / "none")])
    assert r.exit_code == 1 and "stancemap train" in r.stderr


def test_rules_stay_available(tmp_path):
    got = runner.invoke(app, ["extract", str(DATA / "test-articles.jsonl"), "--codebook", str(DATA / "codebook.yaml"),
                              "--extractor", "rules"])
    assert got.exit_code == 0, got.output
    for line in got.stdout.splitlines():
        assert json.loads(line)["extractor"] == "stancemap.rules"


def test_tree_scorer_reproduces_scikit_learn():
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from stancemap.extract.scorers import TreeScorer
    from stancemap.learn.export import trees_arrays

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 6))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take their learned side
    y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * 2 > 0).astype(int) + (np.nan_to_num(X[:, 2]) > 1.2)
    clf = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X, y)
    ours = TreeScorer(trees_arrays(clf)).predict_proba(X)
    assert np.allclose(ours, clf.predict_proba(X), atol=1e-9)
    clean = np.nan_to_num(X)  # blocks without a missing value skip the test for one
    assert np.allclose(TreeScorer(trees_arrays(clf)).predict_proba(clean), clf.predict_proba(clean), atol=1e-9)


def test_cross_validation_scores_every_article_from_a_model_that_never_saw_it():
    pytest.importorskip("sklearn")
    from stancemap.extract.learned import builtin_model_dir
    from stancemap.learn import crossval
    from stancemap.learn.data import load_gold_files
    from stancemap.learn.dataset import build

    cb = load_codebook(DATA / "codebook.yaml")
    ts = load_gold_files(DATA / "train-gold.jsonl", DATA / "train-articles.jsonl", cb)
    ts = ts.extend(load_gold_files(DATA / "test-gold.jsonl", DATA / "test-articles.jsonl", cb))
    ds = build(ts, builtin_model_dir())
    s, gold, preds, P = crossval.cross_validate(ds, n_folds=4)
    assert s.articles == len(ds.articles) == 20 and set(preds) == set(gold)
    assert P.shape == (len(ds.y), 3) and np.allclose(P.sum(axis=1), 1.0)
    # each fold's rows were scored by a model fitted without them: refitting on all rows changes them
    from stancemap.learn import fit as F

    full = F.fit_scorer(ds.X, ds.y, ds.w).scorer().predict_proba(ds.X)
    assert not np.allclose(full, P)
    lio = crossval.leave_issues_out(ds, n_groups=2, n_folds=2)
    assert lio.gold == sum(len(g.claims) for g in ds.articles)  # every claim scored once, in its group


def _model_copy(tmp_path: Path, features: list[str]) -> Path:
    import shutil

    from stancemap.extract.learned import builtin_model_dir

    out = tmp_path / "older"
    shutil.copytree(builtin_model_dir(), out)
    meta = json.loads((out / "meta.json").read_text())
    meta["features"], meta["n_scalars"] = features, len(features)
    (out / "meta.json").write_text(json.dumps(meta))
    return out


def test_a_model_trained_before_features_were_added_reads_its_own_columns(tmp_path):
    from stancemap.extract.features import SCALARS, STANCE_SCALARS
    from stancemap.extract.learned import LearnedExtractor
    from stancemap.ingest.readers import read_path

    codebook = load_codebook(DATA / "codebook.yaml")
    articles = [r.article for r in read_path(DATA / "test-articles.jsonl") if r.article][:3]
    older = SCALARS[:SCALARS.index(STANCE_SCALARS[0])]  # the 61 features of the models trained before 2026-12-02
    now = LearnedExtractor(codebook).scored(articles)
    then = LearnedExtractor(codebook, _model_copy(tmp_path, list(older))).scored(articles)
    assert sum(len(x) for _ac, _k, x, _p in now) > 0
    for (_a, keys_now, x_now, _p), (_b, keys_then, x_then, _q) in zip(now, then):
        assert keys_now == keys_then
        assert x_then.shape[1] == x_now.shape[1] - (len(SCALARS) - len(older))
        assert np.array_equal(x_then[:, :len(older)], x_now[:, :len(older)])  # its scalars, as they were
        assert np.array_equal(x_then[:, len(older):], x_now[:, len(SCALARS):])  # then the vectors


def test_a_model_with_features_this_version_does_not_compute_is_refused(tmp_path):
    from stancemap.errors import ModelMissing
    from stancemap.extract.features import SCALARS
    from stancemap.extract.learned import LearnedExtractor

    model = _model_copy(tmp_path, ["cos", "tomorrows_feature", *SCALARS[2:]])
    with pytest.raises(ModelMissing, match="tomorrows_feature.*stancemap train"):
        LearnedExtractor(load_codebook(DATA / "codebook.yaml"), model)
    swapped = _model_copy(tmp_path / "b", [SCALARS[1], SCALARS[0], *SCALARS[2:]])
    with pytest.raises(ModelMissing, match="another order"):
        LearnedExtractor(load_codebook(DATA / "codebook.yaml"), swapped)


def test_training_on_a_model_it_cannot_build_on_says_so(tmp_path, trained):
    from stancemap.extract.features import SCALARS, STANCE_SCALARS

    base = _model_copy(tmp_path, list(SCALARS[:SCALARS.index(STANCE_SCALARS[0])]))
    out = tmp_path / "on-older"
    r = runner.invoke(app, ["train", "--gold", str(DATA / "train-gold.jsonl"), "--articles", str(DATA / "train-articles.jsonl"),
                            "--codebook", str(DATA / "codebook.yaml"), "--out", str(out), "--folds", "3", "--base", str(base)])
    assert r.exit_code == 0, r.output
    assert "cannot be built on" in r.output and "learned from scratch" in r.output
    assert json.loads((out / "meta.json").read_text())["built_on"] is None
    # the same data on the built-in model builds on it
    assert json.loads((trained / "meta.json").read_text())["built_on"]

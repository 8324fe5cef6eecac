"""Held-out quality of the learned claim model (issue 9's figures), all from one command:

    .venv/bin/python benchmarks/claim_model.py --shared ../shared [--out benchmarks/results/claim_model.json]

- 5-fold cross-validation by article over every annotated article (Gaza training set, US 2016
  set, the dev set and the articles annotated from the pool), per codebook too;
- leave-issues-out (a quarter of each codebook's issues held out in turn, on held-out articles);
- leave-topic-out (Gaza -> US 2016 and back);
- the dev set, scored by a model trained on everything else;
- precision at confidence thresholds and a reliability table (ECE) on the cross-validated claims;
- the rule extractor on the same articles, for comparison;
- cross-validation and leave-topic-out scored again on the 1,021 articles earlier sessions were
  measured on (marked "earlier sessions"), to compare like with like;
- each figure again without the group stage (claims from each pair's best sentence, as models
  before 2026-12-01 made them), marked "(best row)".
Every figure is nested: no part of what scores an article (row scorer, group stage, calibration,
threshold) learned from it, nor from a model that had seen it.
Needs the train extra (scikit-learn). Takes about an hour on one core for 1,934 articles; on two
cores, run two processes that share the work (each updates --out):

    .venv/bin/python benchmarks/claim_model.py --cache /tmp/ds.pkl --stages groups --parts cv,dev,rules &
    .venv/bin/python benchmarks/claim_model.py --cache /tmp/ds.pkl --stages groups --parts lio,topic
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.setrecursionlimit(10000)

import numpy as np  # noqa: E402

from stancemap.evaluation.scoring import precision_at_thresholds, score  # noqa: E402
from stancemap.extract.learned import builtin_model_dir  # noqa: E402
from stancemap.learn import crossval as CV  # noqa: E402
from stancemap.learn import fit as F  # noqa: E402
from stancemap.learn.data import SHIPPED_POOLS, shipped_training_set  # noqa: E402
from stancemap.learn.dataset import build, fingerprints_of, targets_of  # noqa: E402


def fmt(s) -> dict:
    return {"P": round(s.triple[0], 3), "R": round(s.triple[1], 3), "F1": round(s.triple[2], 3),
            "pair_F1": round(s.pair[2], 3), "stance_acc": round(s.stance_acc, 3), "gold": s.gold, "predicted": s.predicted}


_EARLIER_BATCHES = {"gaza-batch1", "gaza-batch2", "gaza-batch3", "us-batch1", "us-batch2", "us-batch3", "us-batch4"}


def _earlier_articles(ds, annotations: str) -> set[str]:
    """The 1,021 articles the figures of earlier sessions were measured on (the shared sets and the
    first pool batches), to compare like with like after more articles were annotated."""
    later = set()
    for f in Path(annotations).glob("*.jsonl"):
        for line in open(f, encoding="utf-8"):
            row = json.loads(line)
            if row.get("batch") not in _EARLIER_BATCHES:
                later.add(row["article_id"])
    return {g.article.id for g in ds.articles if g.article.id not in later}


def _shared_articles(ds, annotations: str) -> set[str]:
    """The articles of ``../shared/eval`` (Gaza and US 2016 training sets, dev set), annotated by
    the annotators of the articles the issue is judged on; the pool's annotators code more claims."""
    pool = set()
    for f in Path(annotations).glob("*.jsonl"):
        for line in open(f, encoding="utf-8"):
            pool.add(json.loads(line)["article_id"])
    return {g.article.id for g in ds.articles if g.article.id not in pool}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--base", default=None, help="model folder with the static vectors (default: built-in)")
    ap.add_argument("--cache", default=None, help="pickle the candidate rows here and reuse them")
    ap.add_argument("--out", default="benchmarks/results/claim_model.json")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parts", default="cv,lio,topic,dev,rules",
                    help="which figures (run two processes with different parts on two cores; each updates --out)")
    ap.add_argument("--stages", default="groups,rows", help="groups (the shipped model), rows (best sentence only)")
    ap.add_argument("--row-l2", type=float, default=None,
                    help="leaf regularisation of the three-way row trees (default: fit.ROW_L2)")
    ap.add_argument("--dump", default=None, help="write the cross-validated gold and claims of each article here (JSON lines)")
    ap.add_argument("--pools", default=None, help="pool files to learn from, comma-separated (default: "
                    "learn.data.SHIPPED_POOLS); the cache must hold the same articles")
    ap.add_argument("--pool-weight", type=float, default=None,
                    help="weight of the pool's articles' rows (default: learn.data.POOL_WEIGHT)")
    ap.add_argument("--bag", type=int, default=None,
                    help="three-way tree models averaged (default: fit.BAG)")
    a = ap.parse_args()
    if a.row_l2 is not None:
        F.ROW_L2 = a.row_l2
    if a.bag is not None:
        F.BAG = a.bag
    parts, stages = set(a.parts.split(",")), a.stages.split(",")
    t0 = time.time()
    ts = shipped_training_set(a.shared, a.annotations, pool_files=a.pools.split(",") if a.pools else SHIPPED_POOLS)
    dev_ids = {json.loads(line)["id"] for line in open(Path(a.shared) / "eval" / "dev-articles.jsonl")}
    if a.cache and Path(a.cache).exists():
        ds = pickle.load(open(a.cache, "rb"))
        ds.targets = targets_of(ts)  # rows pickled before 2026-12-07 do not carry them
        ds.issue_fps = fingerprints_of(ts)  # nor, before the cue model (2026-12-07, evening), the issues' fingerprints
    else:
        ds = build(ts, a.base or builtin_model_dir())
        if a.cache:
            pickle.dump(ds, open(a.cache, "wb"), protocol=4)
    if a.pool_weight is not None:  # rows cached at POOL_WEIGHT, rescaled
        from stancemap.learn.data import POOL_WEIGHT
        shared_ids = _shared_articles(ds, a.annotations)
        pool_art = np.array([g.article.id not in shared_ids for g in ds.articles])
        ds.w = np.where(pool_art[ds.row_article], ds.w * (a.pool_weight / POOL_WEIGHT), ds.w)
    print(f"{len(ds.articles)} articles, {sum(len(g.claims) for g in ds.articles)} claims, {len(ds.y)} rows "
          f"({time.time() - t0:.0f} s)", flush=True)
    res: dict = {"articles": len(ds.articles), "claims": sum(len(g.claims) for g in ds.articles)}
    P, cue_sides = None, {}
    if "cv" in parts:
        cv, gold, preds, P = CV.cross_validate(ds, seed=a.seed, sides=cue_sides)
        res["cv"] = fmt(cv)
        for cb in sorted({g.codebook for g in ds.articles}):
            ids = {g.article.id for g in ds.articles if g.codebook == cb}
            res[f"cv[{cb}]"] = fmt(score({k: v for k, v in gold.items() if k in ids},
                                         {k: v for k, v in preds.items() if k in ids}))
        earlier = _earlier_articles(ds, a.annotations)
        res["cv[the 1,021 articles of earlier sessions]"] = fmt(score(
            {k: v for k, v in gold.items() if k in earlier}, {k: v for k, v in preds.items() if k in earlier}))
        if a.dump:
            with open(a.dump, "w", encoding="utf-8") as fh:
                for aid in gold:
                    fh.write(json.dumps({"article_id": aid, "gold": gold[aid], "pred": preds.get(aid, [])}) + "\n")
        shared_ids = _shared_articles(ds, a.annotations)
        res["cv[the shared sets' 721 articles]"] = fmt(score(
            {k: v for k, v in gold.items() if k in shared_ids}, {k: v for k, v in preds.items() if k in shared_ids}))
        res["cv_thresholds"] = precision_at_thresholds(gold, preds, (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9))
        conf, right = [], []
        for aid, ps in preds.items():
            g = {(c["actor"], c["issue"], c["stance"]) for c in gold[aid]}
            for p in ps:
                conf.append(p["confidence"])
                right.append((p["actor"], p["issue"], p["stance"]) in g)
        table = F.reliability(np.array(conf), np.array(right, dtype=float))
        res["reliability"], res["ece"] = table, F.ece(table)
        print("cv", res["cv"], f"({time.time() - t0:.0f} s)", flush=True)
    # every figure with the group stage (the shipped model) and, if asked, with each pair's best sentence
    for stage in stages:
        tag = "" if stage == "groups" else " (best row)"
        if stage == "rows" and "cv" in parts:
            res["cv" + tag] = fmt(CV.cross_validate(ds, seed=a.seed, P=P, stage=stage, sides=cue_sides)[0])
        if "lio" in parts:
            res["leave_issues_out" + tag] = fmt(CV.leave_issues_out(ds, seed=a.seed, stage=stage))
            print("lio" + tag, res["leave_issues_out" + tag], f"({time.time() - t0:.0f} s)", flush=True)
        cbs = sorted({g.codebook for g in ds.articles})

        def split(key: str, train_on, test_on) -> None:
            """Train on the articles ``train_on`` takes, score those ``test_on`` takes, and the
            earlier sessions' and the shared sets' among them apart."""
            train = [k for k, g in enumerate(ds.articles) if train_on(g.codebook)]
            test = [k for k, g in enumerate(ds.articles) if test_on(g.codebook)]
            sc, tg, tp = CV._train_and_score(ds, train, test, a.seed, stage)
            res[key] = fmt(sc)
            for name, ids in (("earlier sessions' articles", _earlier_articles(ds, a.annotations)),
                              ("shared sets' articles", _shared_articles(ds, a.annotations))):
                res[f"{key} [{name}]"] = fmt(score({k: v for k, v in tg.items() if k in ids},
                                                   {k: v for k, v in tp.items() if k in ids}))
            print(key, res[key], flush=True)

        for tr in cbs if "topic" in parts else ():
            for te in cbs:
                if tr != te:
                    split(f"topic {tr} -> {te}{tag}", lambda cb, tr=tr: cb == tr, lambda cb, te=te: cb == te)
        for te in cbs if "loco" in parts and len(cbs) > 2 else ():  # leave one codebook out: train on the others
            split(f"codebook out: {te}{tag}", lambda cb, te=te: cb != te, lambda cb, te=te: cb == te)
        if "dev" in parts:
            res["dev" + tag] = fmt(CV.score_on(ds, dev_ids, seed=a.seed, stage=stage)[0])
            print("dev" + tag, res["dev" + tag], flush=True)
    if "rules" in parts:
        gold = {g.article.id: [{"actor": c.actor, "issue": c.issue, "stance": c.stance} for c in g.claims]
                for g in ds.articles}
        rules = {}
        for k, g in enumerate(ds.articles):
            rules[g.article.id] = [{"actor": c.actor, "issue": c.issue, "stance": c.stance.value}
                                   for c in ds.candidates[k].rule_claims if c.issue]
        res["rules"] = fmt(score(gold, rules))
        res["rules_dev"] = fmt(score({k: v for k, v in gold.items() if k in dev_ids},
                                     {k: v for k, v in rules.items() if k in dev_ids}))
    res[f"seconds[{a.parts}]"] = round(time.time() - t0)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(str(a.out) + ".lock", "w") as lock:  # two processes sharing the work write in turn
        fcntl.flock(lock, fcntl.LOCK_EX)
        if parts != {"cv", "lio", "topic", "dev", "rules"} and Path(a.out).exists():
            res = {**json.loads(Path(a.out).read_text()), **res}  # the other process's figures stay
        Path(a.out).write_text(json.dumps(res, indent=1) + "\n")
    for k, v in res.items():
        if isinstance(v, dict) and "F1" in v:
            print(f"| {k} | {v['P']:.3f} | {v['R']:.3f} | {v['F1']:.3f} | {v['pair_F1']:.3f} | {v['stance_acc']:.3f} |")
    if "ece" in res:
        print("ECE", res["ece"])


if __name__ == "__main__":
    main()

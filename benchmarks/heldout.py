"""The shipped extractor on annotated articles it was never trained on (``annotations/heldout-*.jsonl``):

    .venv/bin/python benchmarks/heldout.py [--shared ../shared] [--model MODEL_DIR] [--extractor learned|rules]
        [--dump FILE] [--only FILE,...]

``--only pool-uk-gaza.jsonl`` scores the third codebook's articles (British parties), which the
built-in model learns from since 1.1+b20a9ef005: give ``--model`` a model that did not.

Each file is scored with ``score.py``'s metric against its codebook (``heldout-us2016.jsonl``:
the US 2016 codebook; ``heldout-gaza.jsonl``: the Gaza codebook). The built-in model's training set (``stancemap.learn.data.shipped_training_set``)
reads only ``annotations/pool-*.jsonl``, so these articles are unseen by it. ``--dump`` writes each
article's gold and predicted claims (with confidence and evidence), to read the errors; doing so
turns what is read into a development set, so keep it for explaining a figure, not for tuning.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stancemap.evaluation.scoring import score
from stancemap.extract import make_extractor
from stancemap.knowledge.codebook import load_codebook
from stancemap.learn.data import load_offset_annotations

CODEBOOKS = {"heldout-us2016.jsonl": "eval/us2016/codebook-us-2016.yaml",
             "heldout-gaza.jsonl": "eval/codebook-gaza-2023.yaml",
             # trained on by the built-in model since 1.1+b20a9ef005: scored only when asked for
             # (--only pool-uk-gaza.jsonl), to measure a model that did not learn from it (--model)
             "pool-uk-gaza.jsonl": "annotations/codebook-uk-gaza-2023.yaml"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    ap.add_argument("--model", default=None)
    ap.add_argument("--extractor", default="learned", choices=["learned", "rules"])
    ap.add_argument("--only", default=None, help="these files only (comma-separated names)")
    ap.add_argument("--dump", default=None, help="write each article's gold and predicted claims here (JSON lines)")
    a = ap.parse_args()
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None
    print("| file | extractor | articles | gold | predicted | P | R | triple F1 | pair F1 | stance |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, cb_path in CODEBOOKS.items():
        path = Path(a.annotations) / name
        if not path.exists():
            continue
        if (a.only and name not in a.only.split(",")) or (not a.only and not name.startswith("heldout-")):
            continue
        cb = load_codebook(Path(a.annotations) / Path(cb_path).name if cb_path.startswith("annotations/") else Path(a.shared) / cb_path)
        ts = load_offset_annotations(path, a.shared, cb)
        ex = make_extractor(cb, extractor=a.extractor, model=a.model)
        arts = [g.article for g in ts.articles]
        gold = {g.article.id: [{"actor": c.actor, "issue": c.issue, "stance": c.stance} for c in g.claims] for g in ts.articles}
        pred = {art.id: [{"actor": c.actor, "issue": c.issue, "stance": c.stance.value, "confidence": c.confidence,
                          "evidence": c.evidence} for c in claims if c.issue]
                for art, claims in ex.pipe(arts)}
        s = score(gold, pred)
        for aid in gold if dump else ():
            dump.write(json.dumps({"file": name, "article_id": aid, "gold": gold[aid], "pred": pred.get(aid, [])}) + "\n")
        print(f"| {name} | {ex.name} {ex.version} | {len(arts)} | {s.gold} | {s.predicted} | {s.triple[0]:.3f} | "
              f"{s.triple[1]:.3f} | {s.triple[2]:.3f} | {s.pair[2]:.3f} | {s.stance_acc:.3f} |")


if __name__ == "__main__":
    main()

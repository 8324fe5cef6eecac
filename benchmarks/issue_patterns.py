"""How often the issue patterns find a gold claim's issue in its evidence sentence, without a parse:

    .venv/bin/python benchmarks/issue_patterns.py [--shared ../shared] [--annotations annotations]

For every annotated article of the shipped training set, each sentence's issues are matched the
way the first pass matches them (``IssueIndex.rough_issues`` over ``Extractor._rough_concepts``).
Per codebook it prints the share of gold claims whose evidence sentence matches the claim's issue
(recall), how many sentence-issue matches there are and the share of them a gold claim holds
(precision), and the issues most often missed. A sentence no pattern matches is, for the learned
model, almost never a claim (P(claim) about 0.004 against 0.19 where one matches), so this recall
bounds what a new codebook can reach. About 20 seconds.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from stancemap.extract.pipeline import Extractor
from stancemap.learn.data import shipped_training_set


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--annotations", default="annotations")
    a = ap.parse_args()
    sys.setrecursionlimit(10000)
    ts = shipped_training_set(a.shared, a.annotations)
    print("| codebook | gold claims | recall | sentence-issue matches | sentences | precision |\n|---|---:|---:|---:|---:|---:|")
    missed_all = {}
    for name, cb in ts.codebooks.items():
        ex = Extractor(cb)
        ex._build()
        hit = total = n_matches = n_sents = gold_matches = 0
        missed: Counter = Counter()
        for g in (g for g in ts.articles if g.codebook == name):
            doc, mentions = ex.split(g.article)
            k, sents = 0, []
            for sent in doc.sents:
                here = []
                while k < len(mentions) and mentions[k].start < sent.end:
                    here.append(mentions[k])
                    k += 1
                rough = ex.issues.rough_issues(ex._rough_concepts([t.lower_ for t in sent], here, sent.start))
                sents.append((sent.start_char, sent.end_char, rough))
                n_sents += 1
                n_matches += len(rough)
            gold = set()
            for c in g.claims:
                if c.start < 0:
                    continue
                found = False
                for start, end, rough in sents:
                    if start < c.end and c.start < end:
                        gold.add((start, c.issue))
                        found = found or c.issue in rough
                total += 1
                hit += found
                if not found:
                    missed[c.issue] += 1
            gold_matches += sum((start, i) in gold for start, _end, rough in sents for i in rough)
        print(f"| {name} | {total} | {hit / max(1, total):.3f} | {n_matches} | {n_sents} | "
              f"{gold_matches / max(1, n_matches):.3f} |")
        missed_all[name] = missed
    for name, missed in missed_all.items():
        print(f"\n{name}, gold claims missed by issue: " + ", ".join(f"{i} {n}" for i, n in missed.most_common(8)))


if __name__ == "__main__":
    main()

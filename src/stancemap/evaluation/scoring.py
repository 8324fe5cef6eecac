"""Micro P/R/F1 over (actor, issue, stance) triples and (actor, issue) pairs, and stance accuracy.

This mirrors the reference scorer's definitions exactly: sets of triples per article,
only gold articles scored, an article with no gold claims still counts its predictions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stancemap.errors import InputError

Triple = tuple[str, str, str]


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Score:
    articles: int
    gold: int
    predicted: int
    triple: tuple[float, float, float]
    pair: tuple[float, float, float]
    stance_acc: float
    stance_agree: int
    stance_both: int

    def lines(self) -> list[str]:
        tp, tr, tf = self.triple
        pp, pr, pf = self.pair
        return [
            f"articles {self.articles}  gold triples {self.gold}  predicted {self.predicted}",
            f"triples  P {tp:.3f}  R {tr:.3f}  F1 {tf:.3f}",
            f"pairs    P {pp:.3f}  R {pr:.3f}  F1 {pf:.3f}",
            f"stance accuracy on shared pairs {self.stance_acc:.3f} ({self.stance_agree}/{self.stance_both})",
            f"triple_f1={tf:.3f} pair_f1={pf:.3f} stance_acc={self.stance_acc:.3f}",
        ]


def load_gold(path: str | Path) -> dict[str, list[dict]]:
    """Gold (or predictions) by article: per-article lines, or one claim a line."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                claims = row["claims"] if "claims" in row else [row]
                by_article[row["article_id"]]
                for c in claims:
                    c["actor"], c["issue"], c["stance"]  # noqa: B018 - validate presence
                    by_article[row["article_id"]].append(c)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{n}", f"invalid JSON: {e.msg}", "record") from None
            except KeyError as e:
                raise InputError(f"{path}:{n}", f"field {e.args[0]!r}: missing", str(e.args[0])) from None
    return dict(by_article)


def _triples(claims: Iterable[Mapping]) -> set[Triple]:
    return {(c["actor"], c["issue"], c["stance"]) for c in claims if c.get("issue")}


def score(gold: Mapping[str, list], predicted: Mapping[str, list]) -> Score:
    t_tp = t_pred = t_gold = p_tp = p_pred = p_gold = agree = both = 0
    for a in sorted(gold):
        g, p = _triples(gold[a]), _triples(predicted.get(a, []))
        t_tp += len(g & p)
        t_pred += len(p)
        t_gold += len(g)
        gp: dict = defaultdict(set)
        pp: dict = defaultdict(set)
        for act, iss, st in g:
            gp[(act, iss)].add(st)
        for act, iss, st in p:
            pp[(act, iss)].add(st)
        common = set(gp) & set(pp)
        p_tp += len(common)
        p_pred += len(pp)
        p_gold += len(gp)
        for k in common:
            both += 1
            agree += gp[k] == pp[k]
    return Score(len(gold), t_gold, t_pred, _prf(t_tp, t_pred, t_gold), _prf(p_tp, p_pred, p_gold),
                 agree / both if both else 0.0, agree, both)


@dataclass
class ErrorCase:
    kind: str  # "FP" or "FN"
    article_id: str
    triple: Triple
    evidence: str
    detail: dict = field(default_factory=dict)


def score_errors(gold: Mapping[str, list], predicted: Mapping[str, list]) -> list[ErrorCase]:
    """Every false positive (with the predicted evidence) and false negative (with the gold's)."""
    cases = []
    for a in sorted(gold):
        g = {(c["actor"], c["issue"], c["stance"]): c for c in gold[a] if c.get("issue")}
        p = {(c["actor"], c["issue"], c["stance"]): c for c in predicted.get(a, []) if c.get("issue")}
        for t in sorted(set(p) - set(g)):
            cases.append(ErrorCase("FP", a, t, p[t].get("evidence", ""), {k: p[t].get(k) for k in ("speaker", "cue", "confidence") if k in p[t]}))
        for t in sorted(set(g) - set(p)):
            cases.append(ErrorCase("FN", a, t, g[t].get("evidence", "")))
    return cases


def precision_at_thresholds(gold: Mapping[str, list], predicted: Mapping[str, list],
                            thresholds: Iterable[float] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[dict]:
    """Triple P/R/F1 keeping only predictions with confidence >= t, for each t."""
    rows = []
    for t in thresholds:
        kept = {a: [c for c in cs if c.get("confidence", 1.0) >= t] for a, cs in predicted.items()}
        s = score(gold, kept)
        rows.append({"threshold": t, "predicted": s.predicted, "precision": s.triple[0],
                     "recall": s.triple[1], "f1": s.triple[2]})
    return rows

"""Scoring attribution extraction on PolNeAR (Newell, Margolin and Ruths, LREC 2018).

The corpus is brat standoff: per article a ``text/NAME.txt`` and one or more
``attributions/NAME_ANNOTATOR.ann``. ``T`` lines are spans (``Source``, ``Cue``, ``Content``,
``Attribution``...; a span may be discontinuous, ``START END;START END``) and each ``E`` line
ties one attribution's ``Cue``, ``Content`` and, when it has one, ``Source``.

Several annotators: every ``.ann`` file is scored on its own against the predictions for its
article, and the counts are summed (micro-average over annotation files). An article with
three annotators therefore weighs three times; in PolNeAR that is a few articles per split.

Span scores per role (source, cue, content), each a precision over predicted spans and a
recall over gold spans, spans de-duplicated per file:

- ``exact``: the predicted span equals the gold span's extent (first start to last end of its
  fragments) once surrounding whitespace is stripped;
- ``overlap``: they share at least one character (with any fragment of the gold span);
- ``chars``: character-level precision and recall of the union of the spans (a partial
  measure that credits how much of each span was found).

Relations: a predicted attribution matches a gold one when their cues overlap and their
contents overlap (``relation``), and additionally their sources overlap, or both have none
(``relation+source``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stancemap.errors import InputError

Fragments = tuple[tuple[int, int], ...]
ROLES = ("source", "cue", "content")
MATCHES = ("exact", "overlap", "chars")


@dataclass(frozen=True)
class GoldAttribution:
    source: Fragments | None
    cue: Fragments
    content: Fragments


@dataclass(frozen=True)
class AnnotatedArticle:
    name: str  # the text file's stem
    annotator: str
    text: str
    attributions: tuple[GoldAttribution, ...]


# --------------------------------------------------------------------------- reading
def _fragments(spec: str, where: str) -> Fragments:
    try:
        frags = tuple((int(a), int(b)) for a, b in (part.split() for part in spec.split(";")))
    except ValueError as e:
        raise InputError(where, f"bad span {spec!r}") from e
    return frags


def parse_ann(text: str, where: str = "<ann>") -> tuple[GoldAttribution, ...]:
    """The attribution relations in one brat ``.ann`` file's text."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[dict[str, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        at = f"{where}:{n}"
        if line.startswith("T"):
            if len(parts) < 2 or " " not in parts[1]:
                raise InputError(at, "a T line needs 'ID<TAB>LABEL START END'")
            label, spec = parts[1].split(" ", 1)
            spans[parts[0]] = (label, _fragments(spec, at))
        elif line.startswith("E"):
            roles = dict(r.split(":", 1) for r in parts[1].split() if ":" in r) if len(parts) > 1 else {}
            events.append(roles)
    out = []
    for roles in events:
        get = {re.sub(r"\d+$", "", r): spans[t][1] for r, t in roles.items() if t in spans}
        if "Cue" not in get or "Content" not in get:
            continue  # an incomplete relation (an annotator left it unfinished)
        out.append(GoldAttribution(get.get("Source"), get["Cue"], _merge(get["Content"], roles, spans)))
    return tuple(out)


def _merge(content: Fragments, roles: dict[str, str], spans) -> Fragments:
    """A relation's content with any extra content spans (``Content2``) as more fragments."""
    extra = [spans[t][1] for r, t in roles.items() if re.fullmatch(r"Content\d+", r) and t in spans]
    return tuple(sorted(content + tuple(f for x in extra for f in x)))


def read_split(root: Path) -> Iterator[AnnotatedArticle]:
    """Every annotation file of a PolNeAR split directory (``.../polnear/dev``), by name."""
    ann_dir, text_dir = root / "attributions", root / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise InputError(str(root), "not a PolNeAR split: needs attributions/ and text/")
    for ann in sorted(ann_dir.glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        txt = text_dir / f"{name}.txt"
        if not txt.is_file():
            raise InputError(str(ann), f"no text file {txt.name}")
        yield AnnotatedArticle(name, annotator, txt.read_text(encoding="utf-8"),
                               parse_ann(ann.read_text(encoding="utf-8"), str(ann)))


# --------------------------------------------------------------------------- scoring
@dataclass
class Counts:
    """True positives on each side and totals, for one role and one match type."""

    tp_pred: float = 0.0
    n_pred: float = 0.0
    tp_gold: float = 0.0
    n_gold: float = 0.0

    def add(self, other: Counts) -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    counts: dict[str, Counts] = field(default_factory=dict)  # key "role/match" or "relation..."
    files: int = 0

    def add(self, other: Scores) -> None:
        for k, c in other.counts.items():
            self.counts.setdefault(k, Counts()).add(c)
        self.files += other.files


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(a: Fragments, b: Fragments) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _span_counts(text: str, pred: set[Fragments], gold: set[Fragments], how: str) -> Counts:
    if how == "chars":
        p = {i for f in pred for s, e in f for i in range(s, e) if not text[i].isspace()}
        g = {i for f in gold for s, e in f for i in range(s, e) if not text[i].isspace()}
        both = len(p & g)
        return Counts(both, len(p), both, len(g))
    if how == "exact":
        ext = lambda f: _strip(text, f[0][0], f[-1][1])  # noqa: E731
        p, g = {ext(f) for f in pred}, {ext(f) for f in gold}
        return Counts(len(p & g), len(p), len(p & g), len(g))
    tp_p = sum(any(_overlaps(x, y) for y in gold) for x in pred)
    tp_g = sum(any(_overlaps(y, x) for x in pred) for y in gold)
    return Counts(tp_p, len(pred), tp_g, len(gold))


def _relation_match(p: GoldAttribution, g: GoldAttribution, with_source: bool) -> bool:
    if not (_overlaps(p.cue, g.cue) and _overlaps(p.content, g.content)):
        return False
    if not with_source:
        return True
    if p.source is None or g.source is None:
        return p.source is None and g.source is None
    return _overlaps(p.source, g.source)


def score_file(text: str, predicted: Iterable[GoldAttribution], gold: Iterable[GoldAttribution]) -> Scores:
    """Scores of one annotation file against predictions for its article."""
    pred, gold = list(dict.fromkeys(predicted)), list(dict.fromkeys(gold))
    out = Scores(files=1)
    for role in ROLES:
        ps = {getattr(a, role) for a in pred if getattr(a, role) is not None}
        gs = {getattr(a, role) for a in gold if getattr(a, role) is not None}
        for how in MATCHES:
            out.counts[f"{role}/{how}"] = _span_counts(text, ps, gs, how)
    for name, with_source in (("relation", False), ("relation+source", True)):
        tp_p = sum(any(_relation_match(p, g, with_source) for g in gold) for p in pred)
        tp_g = sum(any(_relation_match(p, g, with_source) for p in pred) for g in gold)
        out.counts[name] = Counts(tp_p, len(pred), tp_g, len(gold))
    return out


def as_gold(attribution) -> GoldAttribution:
    """A predicted ``stancemap.extract.reported.Attribution`` in the gold's shape."""
    src = attribution.source
    return GoldAttribution((src,) if src else None, (attribution.cue,), (attribution.content,))


Extractor = Callable[[list[str]], Iterable[list[GoldAttribution]]]


def spacy_extractor(batch_size: int = 16) -> Extractor:
    """Parse each text with ``load_parser()`` and run ``reported.attributions`` on it."""
    from stancemap.extract.models import load_parser
    from stancemap.extract.reported import attributions

    def run(texts: list[str]) -> Iterator[list[GoldAttribution]]:
        nlp = load_parser()
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield [as_gold(a) for a in attributions(doc)]

    return run


def evaluate(articles: Iterable[AnnotatedArticle], extract: Extractor | None = None) -> Scores:
    """Micro-averaged scores over annotation files; each article's text is processed once."""
    articles = list(articles)
    extract = extract or spacy_extractor()
    texts = list(dict.fromkeys(a.text for a in articles))
    predicted = dict(zip(texts, extract(texts), strict=True))
    total = Scores()
    for art in articles:
        total.add(score_file(art.text, predicted[art.text], art.attributions))
    return total


# --------------------------------------------------------------------------- report
def table(scores: dict[str, Scores]) -> str:
    """A markdown table: one row per split, role and match type."""
    rows = ["| split | measure | P | R | F1 | pred | gold |", "|---|---|---:|---:|---:|---:|---:|"]
    for split, sc in scores.items():
        keys = [f"{r}/{m}" for r in ROLES for m in MATCHES] + ["relation", "relation+source"]
        for k in keys:
            c = sc.counts[k]
            n_pred, n_gold = (f"{c.n_pred:.0f}", f"{c.n_gold:.0f}") if not k.endswith("chars") else ("", "")
            rows.append(f"| {split} | {k} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {n_pred} | {n_gold} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score reported-speech attribution on PolNeAR.")
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[4] / "shared/eval/polnear",
                    help="the polnear directory (default: ../shared/eval/polnear)")
    ap.add_argument("--split", action="append", choices=("train", "dev", "test"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N annotation files")
    args = ap.parse_args(argv)
    results = {}
    try:
        for split in args.split or ["dev"]:
            arts = list(read_split(args.root / split))[: args.limit]
            results[split] = evaluate(arts)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(table(results))
    for split, sc in results.items():
        print(f"\n{split}: {sc.files} annotation files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

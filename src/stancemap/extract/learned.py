"""The learned extractor: candidates from what already works, decisions by a trained model.

1. ``candidates``  sentences, actor names resolved through the knowledge base on the article's
                   date, references, and what the rule extractor attributes (see candidates.py);
2. ``features``    each (sentence, actor) pair against each plausible codebook issue, read from
                   the issue's label, description and keywords only (see features.py);
3. ``score``       the model's probabilities for support, oppose and nothing (numpy and onnxruntime);
4. ``decide``      one decision per (actor, issue) in the article, from all its sentences and the
                   article around them (see aggregate.py): none, support or oppose, with a
                   calibrated confidence, kept when it reaches the model's threshold; the
                   evidence is the pair's most probable sentence for that side.

A model is a folder (``meta.json``, ``weights.npz``, the static vectors and the tokenizer); the
built-in one ships in the package (``stancemap/data/model``), ``stancemap train`` makes others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import numpy as np

from stancemap.errors import ModelMissing
from stancemap.model import Article, Claim, Codebook, Stance

EXTRACTOR_NAME = "stancemap.learned"
_STANCES = {1: Stance.SUPPORT, 2: Stance.OPPOSE}


def builtin_model_dir() -> Path:
    return Path(str(resources.files("stancemap") / "data" / "model"))


def read_meta(model_dir: Path) -> dict:
    try:
        return json.loads((Path(model_dir) / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ModelMissing(f"{model_dir}: no model here (meta.json missing); train one with "
                           f"`stancemap train ... --out {model_dir}` or use the built-in model") from e
    except (OSError, json.JSONDecodeError) as e:
        raise ModelMissing(f"{model_dir}/meta.json: cannot read it ({e})") from e


def model_scalars(meta: dict, model_dir: Path) -> int | None:
    """The feature columns a model was trained on, where they are not all of today's: a model
    trained before scalar features were added (its ``features`` the first of today's ``SCALARS``)
    reads its own scalars and the vectors after them, as it did (how many scalars it reads); one
    whose features this version does not compute cannot be used. None: every column, in order."""
    from stancemap.extract.features import SCALARS

    names = meta.get("features")
    if not names or list(names) == list(SCALARS):
        return None
    if list(names) != list(SCALARS[:len(names)]):
        unknown = [n for n in names if n not in SCALARS]
        what = (f"features this version of stancemap does not compute ({', '.join(unknown[:5])})" if unknown
                else "today's features in another order")
        raise ModelMissing(f"{model_dir}: this model was trained on {what}; retrain it with `stancemap train`")
    return len(names)


# What this code decides from a model's probabilities, beside the model itself: part of the
# version each claim records ("1.1+5ac3695e2e.d3"), so that a store re-extracts its articles when
# it changes, as it does for a new model (their machine claims are replaced, reviewed ones kept).
# d2 (2026-12-07): an issue's target opposes it (extract/targets.py).
# d3 (2026-12-08): the candidates the knowledge base gives (office holders before 2015 from
# Phoenix, the parties' people: knowledge/office_holders.py, docs/knowledge.md).
DECISION_REVISION = "d3"


class Featurizer:
    """Candidates and feature rows for one codebook (what both training and extraction need)."""

    def __init__(self, codebook: Codebook, model_dir: Path, *, kb=None, nlp=None):
        from stancemap.extract.candidates import CandidateFinder
        from stancemap.extract.features import IssueView
        from stancemap.extract.pipeline import Extractor
        from stancemap.extract.static import StaticEmbedder

        self.rules = Extractor(codebook, kb, nlp)
        self.rules._build()
        self.finder = CandidateFinder(self.rules)
        self.embedder = StaticEmbedder(model_dir)
        self.view = IssueView.build(codebook, self.embedder)

    def rows(self, articles: list[Article]):
        from stancemap.extract.features import article_rows

        acs = self.finder.pipe(articles)
        return acs, [article_rows(ac, self.view, self.embedder) for ac in acs]


class LearnedExtractor:
    """Articles in, claims out, like the rule extractor (same ``pipe``/``extract``/``failures``)."""

    name = EXTRACTOR_NAME

    def __init__(self, codebook: Codebook, model_dir: str | Path | None = None, kb=None, nlp=None):
        self.codebook = codebook
        self.model_dir = Path(model_dir) if model_dir else builtin_model_dir()
        self.meta = read_meta(self.model_dir)
        self.version = f"{self.meta['version']}.{DECISION_REVISION}"
        self.threshold = float(self.meta.get("threshold", 0.5))
        self._n_scalars = model_scalars(self.meta, self.model_dir)
        self._kb, self._nlp = kb, nlp
        self._built = False
        self.failures: list[tuple[str, int, str]] = []

    def __reduce__(self):
        return (type(self), (self.codebook, self.model_dir, self._kb))

    def _build(self) -> None:
        if self._built:
            return
        from stancemap.extract.aggregate import load_decider
        from stancemap.extract.scorers import load_scorer
        from stancemap.extract.sides import codebook_fingerprints, load_sides
        from stancemap.extract.targets import issue_targets

        self.featurizer = Featurizer(self.codebook, self.model_dir, kb=self._kb, nlp=self._nlp)
        self.rules = self.featurizer.rules
        self.rules.failures = self.failures
        self.scorer = load_scorer(self.model_dir / "weights.npz", self.meta["scorer"], self.meta.get("n_scalars", 0))
        self.decider = load_decider(self.model_dir, self.meta)
        self.decider.targets = issue_targets(self.codebook)
        self.decider.cue_sides = load_sides(self.model_dir / "weights.npz")
        self.decider.fingerprints = codebook_fingerprints(self.codebook)
        self._built = True

    def extract(self, article: Article) -> list[Claim]:
        return next(iter(self.pipe([article])))[1]

    def pipe(self, articles: Iterable[Article], *, chunk: int = 32) -> Iterator[tuple[Article, list[Claim]]]:
        from stancemap.extract.pipeline import batches

        self._build()
        for batch in batches(articles, chunk):
            yield from self._chunk(batch)

    def scored(self, articles: list[Article]):
        """(candidates, rows' keys, feature rows, probabilities) per article."""
        self._build()
        acs, parts = self.featurizer.rows(articles)
        X = np.vstack([x for x, _k in parts]) if parts else np.zeros((0, 1), dtype=np.float32)
        if self._n_scalars is not None and len(X):  # an older model: its scalars, then the vectors
            from stancemap.extract.features import SCALARS

            X = np.hstack([X[:, :self._n_scalars], X[:, len(SCALARS):]])
        P = self.scorer.predict_proba(X) if len(X) else np.zeros((0, 3))
        out, s = [], 0
        for ac, (x, keys) in zip(acs, parts):
            out.append((ac, keys, X[s:s + len(x)], P[s:s + len(x)]))
            s += len(x)
        return out

    def _chunk(self, articles: list[Article]) -> Iterator[tuple[Article, list[Claim]]]:
        try:
            scored = self.scored(articles)
        except Exception as e:  # noqa: BLE001 - one bad batch is retried article by article
            if len(articles) == 1:
                self.failures.append((articles[0].id, 0, f"{type(e).__name__}: {e}"))
                yield articles[0], []
                return
            for a in articles:
                yield from self._chunk([a])
            return
        for a, (ac, keys, X, P) in zip(articles, scored):
            yield a, self._claims(ac, keys, X, P)

    def _claims(self, ac, keys, X, P) -> list[Claim]:
        claims = []
        labels = {i.id: i.label for i in self.codebook.issues}
        for d, c in self.decider.decide(ac, keys, X, P):
            pi, iid = keys[d.row]
            pair = ac.pairs[pi]
            s = ac.sentences[pair.sent]
            rule = pair.rules.get(iid)
            claims.append(Claim(
                article_id=ac.article.id, date=ac.article.date, actor=d.actor, issue=iid, stance=_STANCES[d.stance],
                evidence=s.text, start=s.start, end=s.end, speaker=pair.speaker, cue=rule[2] if rule else "",
                object=labels[iid], confidence=round(float(c), 4), extractor=self.name,
                extractor_version=self.version))
        # what the rules saw that no issue covers stays visible (``stancemap claims --unmapped``)
        for c in ac.rule_claims:
            if c.issue is None:
                claims.append(c.model_copy(update={"extractor": self.name, "extractor_version": self.version}))
        seen, out = set(), []
        for c in sorted(claims, key=lambda c: (c.start, c.actor, c.issue or "", c.stance.value)):
            key = (c.actor, c.issue, c.stance, c.start)
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

"""The extractor: a driver that reads like the pipeline's story.

1. ``prefilter``  tokenise and split sentences (no model), find actor names and issue words;
                  keep only sentences that have both, and remember who was mentioned.
2. ``parse``      run en_core_web_sm's tagger and parser on the kept sentences only.
3. ``mentions``   resolve actor names, pronouns, definite and collective references.
4. ``issues``     find where the sentence evokes a codebook issue.
5. ``attribution`` climb from each issue mention to the actor who holds it, with polarity.
6. ``claims``     one claim per (actor, issue, stance) per article, with its sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from stancemap.extract import attribution, lexicon
from stancemap.extract.issues import IssueIndex, IssueMatch, token_concepts
from stancemap.extract.mentions import Mention, MentionFinder
from stancemap.extract.models import load_parser
from stancemap.extract.prefilter import DEAL_NOUNS, Candidate, Prefilter, _surface_forms
from stancemap.extract.references import resolve_references
from stancemap.extract.surnames import by_surname
from stancemap.model import Article, Claim, Codebook, Stance

EXTRACTOR_NAME = "stancemap.rules"
EXTRACTOR_VERSION = "0.4.4"
_PARSE_BATCH = 256



class Extractor(Prefilter):
    """Articles in, claims out. Build once per process; ``extract`` is pure."""

    name = EXTRACTOR_NAME
    version = EXTRACTOR_VERSION

    def __init__(self, codebook: Codebook, kb=None, nlp=None):
        """``kb`` defaults to the built-in knowledge base and ``nlp`` to en_core_web_sm (tagger,
        parser, lemmatizer), loaded on first use; pass your own to share or replace them."""
        self.codebook = codebook
        self._kb = kb
        self._nlp = nlp
        self._built = False

    def __reduce__(self):
        return (type(self), (self.codebook, self._kb))

    # ----------------------------------------------------------------- setup
    def _build(self) -> None:
        if self._built:
            return
        from stancemap.knowledge.kb import KnowledgeBase

        from stancemap.knowledge.described import with_description_aliases

        self.kb = self._kb or KnowledgeBase.builtin()
        # names given only in an actor's description ("his running mate Mike Pence") are aliases too
        # (for matching only: ``self.codebook`` stays the user's, as stored)
        agents = self.kb.agent_nouns()
        self.matching = with_description_aliases(
            self.codebook, frozenset(self.kb.demonyms()),
            known=lambda w: w.lower() in agents or self.kb.knows_name(w))
        self.nlp = self._nlp or load_parser()
        self.sentencizer = Sentencizer()
        self.mentions = MentionFinder(self.kb, self.matching, self.nlp.vocab)
        self.mentions.add_patterns(self.nlp.make_doc)
        self.issues = IssueIndex(self.matching, self.nlp, self._codebook_actor_tokens(), self.kb.demonyms())
        self._surface = _surface_forms({c for p in self.issues.patterns for c in {p.anchor} | p.others})
        self._cue_surface = _surface_forms(set(lexicon.cue_words())) | lexicon.INTENT_AUX | {"'ll", "aim", "aims"}
        self._speech_surface = _surface_forms(set(lexicon.SPEECH_VERBS)) | {"said", "told", "says"}
        self._rough: dict[str, str] = {}
        self.failures: list[tuple[str, int, str]] = []
        self._known = self.issues.known
        self._built = True

    def _codebook_actor_tokens(self):
        """In the codebook's own wording, only the codebook's actor names count as actors."""
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        ids = PhraseMatcher(self.nlp.vocab, attr="ORTH")  # "ARE" is an id, "are" a verb
        ids_in_codebook = {a.id for a in self.matching.actors}
        for a in self.matching.actors:
            matcher.add(a.id, [self.nlp.make_doc(s) for s in (a.name, *a.aliases)])
            ids.add(a.id, [self.nlp.make_doc(x) for x in (a.id, *a.cased_aliases)])
        for demonym, actor in self.kb.demonyms().items():  # "Israeli" is Israel, for df purposes
            if actor in ids_in_codebook:
                matcher.add(actor, [self.nlp.make_doc(demonym)])

        def find(doc: Doc) -> dict[int, str]:
            out = {}
            for key, start, end in list(matcher(doc)) + list(ids(doc)):
                for i in range(start, end):
                    out[i] = self.nlp.vocab.strings[key]
            return out

        return find

    # --------------------------------------------------------------- running
    def extract(self, article: Article) -> list[Claim]:
        return next(iter(self.pipe([article])))[1]

    def pipe(self, articles: Iterable[Article], *, chunk: int = 32) -> Iterator[tuple[Article, list[Claim]]]:
        """Claims for each article, in order. Candidate sentences of ``chunk`` articles are
        parsed in one stream, which keeps the parser's batches full."""
        self._build()
        for batch in batches(articles, chunk):
            yield from self._chunk(batch)

    def _chunk(self, articles: list[Article]) -> Iterator[tuple[Article, list[Claim]]]:
        cands = [(k, a, c) for k, a in enumerate(articles) for c in self._guarded(a, None, self._prefilter, a)]
        best: list[dict[tuple[str, str, str], Claim]] = [{} for _ in articles]
        docs = self.nlp.pipe((c.text for _k, _a, c in cands), batch_size=_PARSE_BATCH)
        for (k, article, cand), doc in zip(cands, docs):
            mine = best[k]
            for claim in self._guarded(article, cand, lambda: list(self._sentence_claims(article, cand, doc))):
                key = (claim.actor, claim.issue or "", claim.stance.value)
                if key not in mine or claim.confidence > mine[key].confidence:
                    mine[key] = claim
        for k, a in enumerate(articles):
            yield a, sorted(best[k].values(), key=lambda c: (c.start, c.actor, c.issue or ""))

    def _guarded(self, article: Article, cand: Candidate | None, fn, *args) -> list:
        """Run one stage on one article or sentence; a failure loses that sentence, not the batch.

        Failures are kept in ``self.failures`` (article id, character offset, error) for the job to
        report; they are bugs to fix, so they are never silent.
        """
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001 - one bad sentence must not stop thousands of articles
            self.failures.append((article.id, cand.start if cand else 0, f"{type(e).__name__}: {e}"))
            return []

    # ------------------------------------------------------------- sentences
    def _sentence_claims(self, article: Article, cand: Candidate, doc: Doc) -> Iterator[Claim]:
        names = self.mentions.names(doc, article.date, context=cand.text)
        if cand.surnames:
            names = by_surname(doc, names, cand.surnames)
        refs = resolve_references(doc, names, cand.memory, self.mentions, article.date)
        actor_of: dict[int, list[str]] = {}
        text_of = {m.end - 1: m.text for m in names + refs}
        for m in names + refs:
            for i in range(m.start, m.end):
                actor_of.setdefault(i, [])
                if m.actor not in actor_of[i]:
                    actor_of[i].append(m.actor)
        name_at = {i: m.actor for m in names for i in range(m.start, m.end)}
        concepts = token_concepts(doc, name_at.get, self.issues.known)
        found = self.issues.match(doc, concepts)
        doc.user_data["stancemap.sentence"] = (names, found, refs)  # for the learned extractor's features
        matches = found + self._subject_matches(doc, names)
        matches += _deal_anaphora(doc, matches, cand.deal)
        is_actor = actor_of.__contains__
        by_name = {i for m in names for i in range(m.start, m.end) if m.kind == "name"}
        anchors = {m.anchor for m in matches}
        for match in matches:
            yield from self._claims_for(article, cand, doc, match, actor_of, is_actor, by_name, anchors, text_of)
        covered = {i for m in matches for i in m.tokens}
        yield from self._unmapped(article, cand, doc, actor_of, covered, text_of)

    def _unmapped(self, article, cand, doc: Doc, actor_of, covered: set[int], text_of) -> Iterator[Claim]:
        """A stance word with an actor as subject and an object no issue covers: kept with its
        object's words (``issue`` None) so that users can see what the codebook is missing."""
        for t in doc:
            if t.pos_ != "VERB" or not (sign := attribution.cue_sign(t)):
                continue
            subj_of = t.head if t.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in t.children) else t
            subjects = [c for c in subj_of.children if c.dep_ == "nsubj" and c.i in actor_of]
            objects = [c for c in t.children if c.dep_ == "dobj"] + [
                g for c in t.children if c.dep_ == "prep" and c.lower_ in ("for", "on", "against")
                for g in c.children if g.dep_ == "pobj"]
            if not subjects or not objects:
                continue
            obj = objects[0]
            span = range(obj.left_edge.i, obj.right_edge.i + 1)
            if any(i in covered for i in span) or obj.i in actor_of:
                continue
            if attribution.negated(t):
                sign = -sign
            for actor in dict.fromkeys(a for s in subjects for a in actor_of[s.i]):
                yield Claim(
                    article_id=article.id, date=article.date, actor=actor, issue=None,
                    stance=Stance.SUPPORT if sign > 0 else Stance.OPPOSE, evidence=cand.text,
                    start=cand.start, end=cand.end, speaker=text_of.get(subjects[0].i, subjects[0].text),
                    cue=t.lemma_, object=doc[span.start:span.stop].text[:200], confidence=0.3,
                    extractor=self.name, extractor_version=self.version)

    def _claims_for(self, article, cand, doc, match: IssueMatch, actor_of, is_actor, by_name,
                    anchors: set[int], text_of: dict[int, str]) -> Iterator[Claim]:
        # another issue's word is a co-issue, not a cue: "a pause to fighting to get aid in"
        consumed = set(match.tokens) | anchors
        holding = attribution.climb(doc, match.anchor, consumed, is_actor, harm=match.sign < 0)
        if holding is None:
            return
        if not holding.holders:
            acc = attribution.according_to(doc, is_actor) if holding.seen else []
            if not acc:
                return
            holding = attribution.Holding(tuple(acc), holding.sign, holding.cue + " according to", holding.explicit, 9)
        if match.pattern.source == "actor" and not holding.explicit:
            return  # an actor named as an object needs an explicit stance word ("rejects a return of the PA")
        heads: list[int] = []
        for h in holding.holders:
            heads.extend(attribution.expand_conjuncts(doc, h, is_actor))
        actors = []
        for h in heads:
            for a in actor_of.get(h, []):
                if a not in actors:
                    actors.append(a)
        sign = match.sign * holding.sign
        if match.sign < 0 and not holding.explicit:
            sign = 1  # a harm reported without a stance word ("would lead to civilian deaths") is deplored
        stance = Stance.SUPPORT if sign > 0 else Stance.OPPOSE
        speaker = ", ".join(dict.fromkeys(text_of.get(h) or _mention_text(doc, h) for h in heads[:4]))
        for actor in actors:
            if ("@" + actor) in {match.pattern.anchor} and match.pattern.source != "actor":
                continue
            conf = _confidence(holding, match, all(h in by_name for h in heads))
            yield Claim(
                article_id=article.id, date=article.date, actor=actor, issue=match.issue, stance=stance,
                evidence=cand.text, start=cand.start, end=cand.end, speaker=speaker, cue=holding.cue,
                object=" ".join(doc[i].text for i in match.tokens), confidence=conf,
                extractor=self.name, extractor_version=self.version,
            )

    def _subject_matches(self, doc: Doc, names: list[Mention]) -> list[IssueMatch]:
        """An issue whose label is about an actor ("PA governs Gaza") is evoked by that actor as object."""
        out = []
        for issue, actor in self.issues.subject_actor.items():
            if not actor:
                continue
            for m in names:
                head = doc[m.end - 1]
                if m.actor == actor and m.kind == "name" and head.dep_ not in ("nsubj", "nsubjpass", "poss") and head.head.dep_ != "agent":
                    from stancemap.extract.issues import Pattern

                    p = Pattern(issue, "@" + actor, frozenset(), frozenset(), 1, "actor")
                    out.append(IssueMatch(issue, tuple(range(m.start, m.end)), m.end - 1, 1, p))
        return out

def batches(items: Iterable, n: int) -> Iterator[list]:
    """Lists of ``n`` items (the last shorter) from any iterable, lazily."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _deal_anaphora(doc: Doc, matches: list[IssueMatch], deal: tuple[str, ...]) -> list[IssueMatch]:
    """"Germany backed the deal": a deal noun no issue covers refers to the deal last described
    ("a ceasefire and hostage release deal"), as the first pass recorded it."""
    from stancemap.extract.issues import Pattern

    covered = {i for m in matches for i in m.tokens}
    out = []
    for t in doc:
        if t.lemma_.lower() in DEAL_NOUNS and t.pos_ == "NOUN" and t.i not in covered and deal:
            for issue in deal:
                p = Pattern(issue, t.lemma_.lower(), frozenset(), frozenset(), 1, "anaphora")
                out.append(IssueMatch(issue, (t.i,), t.i, 1, p))
    return out


def _mention_text(doc: Doc, i: int) -> str:
    t = doc[i]
    left = [c for c in t.lefts if c.dep_ in ("compound", "amod", "poss", "nmod") or c.tag_ == "NNP"]
    start = min([t.i] + [c.left_edge.i for c in left])
    return doc[start:t.i + 1].text


def _confidence(h: attribution.Holding, m: IssueMatch, named: bool) -> float:
    c = 0.45
    c += 0.2 if h.explicit else 0.0
    c += 0.1 if m.pattern.source in ("label", "keyword") else 0.0
    c += 0.1 if named else -0.05
    c -= 0.03 * max(0, h.depth - 2)
    return round(min(0.95, max(0.05, c)), 3)

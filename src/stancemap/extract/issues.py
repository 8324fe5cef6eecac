"""Issue mapping: find where a sentence evokes a codebook issue, from the codebook's own words.

Each issue's label, each clause of its description and each user keyword becomes a
*pattern*: a set of concepts (lemmas folded through ``lexicon.SYNONYM_GROUPS``; actor
names become ``@ID``). Words that occur across many of the codebook's issues (say
"Gaza" in a Gaza codebook) or are generic in news ("forces", "plan") cannot identify an
issue alone. A pattern matches when its *anchor* (its most specific noun or verb) and,
if the pattern has more specific words, one of them occur close together.

A match carries a polarity relative to the pattern: "civilian casualties" evokes
"protect civilians" as the harm (-1); "reduce civilian casualties" as the goal (+1).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from stancemap.extract import lexicon
from stancemap.model import Codebook, Issue

WINDOW = 10  # tokens: how far apart a pattern's words may stand
_SPLIT = re.compile(r";|\(|\)|:|, or |, and | or (?=[a-z]+ing\b)|, ")
_VAGUE_POS = {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "NUM", "SYM", "SPACE", "X", "INTJ"}


@dataclass(frozen=True)
class Pattern:
    issue: str
    anchor: str
    others: frozenset[str]  # one of these must also match (empty: the anchor alone)
    optional: frozenset[str]  # words that may widen the match but decide nothing
    sign: int  # the lexical polarity of the pattern's own wording
    source: str  # "label", "description", "keyword", "actor"
    anchor_pos: str = ""
    # a description clause anchored on a name ("resettling refugees from Syria"): two of its
    # common nouns and verbs ("resettle refugees") match it without the name, as a label's do
    common: frozenset[str] = frozenset()

    @property
    def concepts(self) -> frozenset[str]:
        return frozenset({self.anchor}) | self.others | self.optional


@dataclass(frozen=True)
class IssueMatch:
    issue: str
    tokens: tuple[int, ...]  # token indices in the Doc
    anchor: int
    sign: int
    pattern: Pattern

    @property
    def head(self) -> int:
        return self.anchor


def token_concepts(doc: Doc, actor_at: Callable[[int], str | None],
                   known: Container[str] | None = None) -> list[str]:
    """One concept per token: an actor (``@ID``), a synonym group head, or '' for function words.

    A hyphenated compound ("cease-fire", "time-limited") is one word: its concept sits on its
    first token and the rest are blank, so "limited" in "time-limited" evokes nothing alone.
    Given the concepts a codebook's patterns use (``known``), a compound that is neither in the
    lexicon nor among them is read as its words: "gun-control measures" evokes "gun laws".
    """
    out: list[str] = []
    skip = 0
    for t in doc:
        if skip:
            skip -= 1
            out.append("")
            continue
        actor = actor_at(t.i)
        if actor:
            out.append("@" + actor)
        elif _is_compound_start(t) and (
                (joined := _compound(t) or lexicon.norm(f"{t.lemma_}-{doc[t.i + 2].lemma_}")) in lexicon.CONCEPT.values()
                or known is None or joined in known):
            out.append(joined)
            skip = 2
        elif t.pos_ in _VAGUE_POS or t.is_stop or not t.text.strip():
            out.append("")
        else:
            out.append(_compound(t) or lexicon.concept(t.lemma_, t.text))
    return out


def _is_compound_start(t: Token) -> bool:
    doc = t.doc
    return (t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_
            and not doc[t.i + 1].whitespace_ and t.is_alpha and doc[t.i + 2].is_alpha)


def _compound(t: Token) -> str | None:
    """Hyphenated compounds ("two-state", "cease-fire") and phrasal verbs ("root out")."""
    doc = t.doc
    if t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_ and not doc[t.i + 1].whitespace_:
        c = lexicon.concept(f"{t.lemma_}-{doc[t.i + 2].lemma_}")
        if c in lexicon.CONCEPT.values() or c in lexicon.CONCEPT:
            return c
    if t.pos_ == "VERB":
        for ch in t.children:
            if ch.dep_ == "prt":
                c = lexicon.concept(f"{t.lemma_}-{ch.lemma_}")
                if c in lexicon.CONCEPT:
                    return c
    return None


class IssueIndex:
    """The patterns of one codebook, and the matcher over parsed sentences."""

    def __init__(self, codebook: Codebook, nlp, actor_finder, demonyms=()):
        self.codebook = codebook
        self._nlp = nlp
        self._find_actors = actor_finder  # Doc -> {token index: actor id}
        self._demonyms = frozenset(demonyms)
        raw = self._raw_patterns(codebook.issues)
        df = self._document_frequency(raw)
        self._df = df
        threshold = max(2, math.ceil(0.25 * len(codebook.issues)))
        self.codebook_generic = frozenset(c for c, n in df.items() if n >= threshold)
        self.patterns = [p for r in raw for variant in _split_compounds(r)
                         if (p := self._pattern(*variant)) is not None]
        self.patterns = list(dict.fromkeys(self.patterns))
        self.known = frozenset(c for p in self.patterns for c in p.concepts)
        self._by_anchor: dict[str, list[Pattern]] = defaultdict(list)
        for p in self.patterns:
            # a label's words are all essential: any two of them start a match; a description
            # clause is matched from its most specific word, or from its common words
            for c in ({p.anchor} | p.others) if p.source in ("label", "keyword") else {p.anchor} | p.common:
                self._by_anchor[c].append(p)
        self.subject_actor = {iss.id: self._label_subject(iss) for iss in codebook.issues}

    # ------------------------------------------------------------ building
    def _raw_patterns(self, issues: Sequence[Issue]) -> list[tuple[Issue, str, list[tuple[str, str, bool]]]]:
        """(issue, source, [(concept, pos, is_nationality)]) for every label, clause and keyword."""
        raw = []
        for iss in issues:
            texts = [(iss.label, "label")]
            texts += [(c, "description") for c in _clauses(iss.description)]
            texts += [(k, "keyword") for k in iss.keywords]
            for text, source in texts:
                doc = self._nlp(text)
                actors = self._find_actors(doc)
                concepts = token_concepts(doc, actors.get)
                purpose: set[int] = set()
                items = [(c, _pattern_pos(doc[i], source),
                          doc[i].tag_ == "NNP" or c.startswith("@") or doc[i].lower_ in self._demonyms)
                         for i, c in enumerate(concepts) if c and i not in purpose]
                if items:
                    root = next((concepts[t.i] for t in doc if t.dep_ == "ROOT" and concepts[t.i]), None)
                    raw.append((iss, source, items, root if source == "label" else None))
        return raw

    @staticmethod
    def _document_frequency(raw) -> Counter:
        per_issue: dict[str, set[str]] = defaultdict(set)
        for iss, _source, items, _root in raw:
            per_issue[iss.id].update(c for c, _p, _n in items)
        return Counter(c for cs in per_issue.values() for c in cs)

    def _pattern(self, iss: Issue, source: str, items, root: str | None = None) -> Pattern | None:
        news_generic = {lexicon.concept(w) for w in lexicon.GENERIC_WORDS}
        # a label's head word names the issue, however often the codebook uses it
        generic = (self.codebook_generic - {root}) | news_generic
        concepts = list(dict.fromkeys(c for c, _p, _n in items))
        pos = {c: p for c, p, _n in items}
        proper = {c for c, _p, n in items if n}
        adjectives = {c for c in concepts if pos[c] == "ADJ" and c not in proper
                      and (c not in lexicon.CONCEPT.values() or c in generic)}
        # a stance word in a description ("continuing", "keeps", "encouraging") is a cue, not content
        cues = {c for c in concepts if source != "label" and lexicon.predicate_sign(c) > 0 and c != root}
        core = [c for c in concepts if c not in generic and c not in adjectives and c not in cues]
        if cues & set(concepts) and len(core) <= 1:
            return None  # "letting aid in": without its verb the clause is just another issue's word
        nouns_verbs = [c for c in core if pos[c] in ("NOUN", "VERB", "PROPN") or c.startswith("@")]
        sign = -1 if sum(c in lexicon.NEGATIVE_CONCEPTS for c in core) % 2 else 1
        if source == "description" and not any(not c.startswith("@") and pos[c] != "PROPN" for c in core):
            return None  # a description clause that only names places or actors
        if source == "description" and len(core) == 1 and lexicon.predicate_sign(core[0]):
            return None  # "continuing", "letting in": a cue word, not an issue
        if not nouns_verbs:
            vague = {c for c in adjectives if c in generic}
            required = [c for c in concepts if c not in self.codebook_generic and c not in vague]
            if not required or (len(required) == 1 and (required[0] in generic or pos[required[0]] == "ADJ")):
                return None
            # every word is needed: "Palestinian state", "international force"
            anchor = _most_specific(required, pos, self._df)
            rest = [c for c in required if c != anchor]
            if len(rest) > 1:
                return None
            return Pattern(iss.id, anchor, frozenset(rest), frozenset(), sign, source, pos.get(anchor, ""))
        anchor = _most_specific(nouns_verbs, pos, self._df)
        others = frozenset(c for c in core if c != anchor)
        optional = frozenset(c for c in concepts if c != anchor and c not in others)
        common: frozenset[str] = frozenset()
        if source == "description" and (anchor in proper or anchor.startswith("@")):
            common = frozenset(c for c in nouns_verbs if c not in proper and not c.startswith("@")
                               and pos[c] in ("NOUN", "VERB") and self._df.get(c, 0) <= 1)
            if len(common) < 2 or not any(pos[c] == "NOUN" for c in common):
                common = frozenset()
        return Pattern(iss.id, anchor, others, optional, sign, source, pos.get(anchor, ""), common)

    def _label_subject(self, iss: Issue) -> str | None:
        """The actor a label is *about* as its subject ("Palestinian Authority governs Gaza")."""
        doc = self._nlp(iss.label)
        actors = self._find_actors(doc)
        for t in doc:
            if t.dep_ in ("nsubj", "nsubjpass") and actors.get(t.i):
                return actors[t.i]
            if t.dep_ == "ROOT" and t.pos_ in ("PROPN", "NOUN") and actors.get(t.i) and len(doc) > 2:
                # a verbless label headed by the actor: "Palestinian Authority governs" parsed as NP
                nxt = [c for c in t.children if c.pos_ == "VERB"]
                if nxt:
                    return actors[t.i]
        return None

    # ------------------------------------------------------------ matching
    def match(self, doc: Doc | Span, concepts: Sequence[str]) -> list[IssueMatch]:
        """Every issue the tokens evoke, longest match kept where two overlap."""
        offset = doc[0].i if isinstance(doc, Span) else 0
        positions: dict[str, list[int]] = defaultdict(list)
        for i in range(len(doc)):
            c = concepts[offset + i]
            if c:
                positions[c].append(offset + i)
        found: list[IssueMatch] = []
        for c, idxs in positions.items():
            for p in self._by_anchor.get(c, ()):
                for i in idxs:
                    t = doc.doc[i] if isinstance(doc, Span) else doc[i]
                    if t.dep_ in ("amod", "acl") and t.tag_ == "VBN":
                        continue  # "displaced Palestinians": a state, not the proposition
                    if p.anchor_pos == "NOUN" and t.pos_ == "VERB" and lexicon.norm(t.lemma_) == p.anchor:
                        continue  # "the US would aid Israel": the verb, not the noun the issue names
                    m = self._complete(p, i, positions, concepts)
                    if m:
                        found.append(m)
        return _prefer_longest(found)

    def could_match(self, concepts: Sequence[str]) -> bool:
        """The first pass's test: would some pattern match these (roughly lemmatised) words?"""
        return bool(self.rough_issues(concepts, first=True))

    def rough_issues(self, concepts: Sequence[str], *, first: bool = False) -> set[str]:
        """The issues whose patterns match these (roughly lemmatised) words."""
        positions: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(concepts):
            if c:
                positions[c].append(i)
        found: set[str] = set()
        for c, idxs in positions.items():
            for p in self._by_anchor.get(c, ()):
                if p.issue not in found and any(self._complete(p, i, positions, concepts) for i in idxs):
                    found.add(p.issue)
                    if first:
                        return found
        return found

    def _complete(self, p: Pattern, i: int, positions, concepts) -> IssueMatch | None:
        """A match around token ``i``: two of the pattern's specific words (one if it has one)."""
        def near(c: str) -> list[int]:
            return [j for j in positions.get(c, ()) if abs(j - i) <= WINDOW and j != i]

        core = {p.anchor} | p.others
        tokens = [i]
        found = {concepts[i]}
        for c in core - found:
            hits = near(c)
            if hits:
                tokens.extend(hits)
                found.add(c)
        if p.others and len(found) < 2:
            return None
        if p.source not in ("label", "keyword") and p.anchor not in found and len(found & p.common) < 2:
            return None
        tokens.extend(j for c in p.optional if not c.startswith("@") for j in near(c))
        matched_sign = -1 if sum(concepts[j] in lexicon.NEGATIVE_CONCEPTS for j in set(tokens)) % 2 else 1
        return IssueMatch(p.issue, tuple(sorted(set(tokens))), i, matched_sign * p.sign, p)


def _split_compounds(raw):
    """A pattern's text as written and, where it joins words by a hyphen into a compound the
    lexicon does not know ("Tuition-free", "Trans-Pacific"), as those words: news writes
    "free tuition" and "Trans Pacific" too, and a sentence's unknown compounds are read apart."""
    iss, source, items, root = raw
    yield raw
    split, changed = [], False
    for c, pos, proper in items:
        if "-" in c and not c.startswith("@") and c not in lexicon.CONCEPT.values() and c not in lexicon.CONCEPT:
            parts = [lexicon.concept(w) for w in c.split("-") if len(w) > 2 and w.isalpha() and w not in _STOP]
            if parts:
                split.extend((w, pos, proper) for w in parts)
                changed = True
                continue
        split.append((c, pos, proper))
    if changed:
        yield iss, source, split, root


_STOP = frozenset("and the for off out non pre".split())


def _most_specific(cands: Iterable[str], pos: dict[str, str], df: Counter | None = None) -> str:
    rank = {"PROPN": 0, "NOUN": 1, "VERB": 2, "ADJ": 3}
    return sorted(cands, key=lambda c: ((df or {}).get(c, 0), 0 if c.startswith("@") else rank.get(pos.get(c, ""), 4)))[0]


def _pattern_pos(t: Token, source: str) -> str:
    """POS for pattern building: participles modifying nouns are adjectives; a label's head is a noun."""
    if t.tag_ == "VBN" and t.dep_ == "amod":
        return "ADJ"
    if source == "label" and t.dep_ == "ROOT" and t.pos_ == "ADJ":
        return "NOUN"  # "Israeli offensive in Rafah": the parser may read "offensive" as an adjective
    return t.pos_


def _purpose_tokens(doc) -> set[int]:
    """Tokens of purpose clauses ("to let aid in"): they say why, not what, an issue is."""
    out: set[int] = set()
    for t in doc:
        if t.dep_ in ("advcl", "acl", "relcl", "xcomp") and any(c.lower_ == "to" and c.dep_ in ("aux", "mark") for c in t.children):
            if t.head.pos_ in ("NOUN", "PROPN", "VERB"):
                out.update(x.i for x in t.subtree)
    return out


def _prefer_longest(found: list[IssueMatch]) -> list[IssueMatch]:
    """Drop a match whose tokens are a strict subset of another issue's match."""
    keep = []
    for m in found:
        s = set(m.tokens)
        if any(s < set(o.tokens) for o in found):
            continue
        keep.append(m)
    best: dict[tuple[str, int], IssueMatch] = {}
    for m in keep:
        k = (m.issue, m.anchor)
        if k not in best or len(m.tokens) > len(best[k].tokens):
            best[k] = m
    return list(best.values())


def _clauses(description: str) -> list[str]:
    """Split a description into the alternatives it lists; drop negated ones ("not short pauses")."""
    out = []
    for part in _SPLIT.split(description):
        part = part.strip(" .")
        if not part or re.match(r"^(not|except|other than|excluding|before|without|instead of)\b", part, re.I):
            continue
        out.append(part)
    return out

"""The rules' first pass, without a parse: the article tokenised and split into sentences, its
actor names found, and the sentences worth parsing kept (an issue's words, a stance word and an
actor named or referred to), each with what the article said before it.

:class:`Prefilter` is a part of :class:`stancemap.extract.pipeline.Extractor`; it reads the
extractor's parser, sentencizer, mention finder and issue index.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from stancemap.extract import lexicon
from stancemap.extract.mentions import BOTH, COLLECTIVE, DESCRIPTIONS, PERSONAL, Memory, Mention
from stancemap.extract.segment import split_glued
from stancemap.model import Article

_FUNCTION_WORDS = frozenset("the a an of to in on for and or but with by at from as that this is was were be been has have had it its".split())
_REFERRING = PERSONAL | COLLECTIVE | frozenset(DESCRIPTIONS) | frozenset({"we", "our"})


@dataclass
class Candidate:
    """A sentence worth parsing, with its place in the article and what came before it."""

    start: int
    end: int
    text: str
    memory: Memory
    deal: tuple[str, ...] = ()  # the issues of the deal last described before this sentence
    surnames: dict[str, tuple[str, int]] | None = None  # people introduced before it, by surname


class Prefilter:
    """Stage 1 of the extractor (``split`` and ``_prefilter``)."""

    def split(self, article: Article) -> tuple[Doc, list[Mention]]:
        """The article tokenised and split into sentences, and its actor names (no parse)."""
        doc = split_glued(self.nlp.make_doc(article.text))  # link headlines glued to the text
        for t in doc[1:]:  # a line break ends a sentence, whatever the punctuation
            if "\n" in doc[t.i - 1].text or "\n" in doc[t.i - 1].whitespace_:
                t.is_sent_start = True
        doc = self.sentencizer(doc)
        names = self.mentions.names(doc, article.date)  # one pass over the whole article
        return doc, self.mentions.with_surnames(doc, names)

    def _prefilter(self, article: Article, split: tuple[Doc, list[Mention]] | None = None) -> list[Candidate]:
        doc, mentions = split or self.split(article)
        lower = [t.lower_ for t in doc]
        memory = Memory()
        out: list[Candidate] = []
        k = 0
        deal: tuple[str, ...] = ()
        surnames = doc.user_data.get("stancemap.surnames", {})
        for sent in doc.sents:
            names = []
            while k < len(mentions) and mentions[k].start < sent.end:
                names.append(mentions[k])
                k += 1
            words = lower[sent.start:sent.end]
            has_deal = any(w in DEAL_NOUNS or w[:-1] in DEAL_NOUNS for w in words)
            worth = self._worth_parsing(words, names, sent.start, bool(memory.actors))
            if not worth and deal and has_deal and names and any(w in self._cue_surface for w in words):
                worth = True  # "... backed the deal": the deal described earlier
            told = deal
            if has_deal:  # "a new ceasefire proposal": remember what the deal is about
                described = self.issues.rough_issues(self._rough_concepts(words, names, sent.start))
                deal = tuple(sorted(described)) or deal
            if worth:
                raw = sent.text
                text = raw.strip()
                start = sent.start_char + (len(raw) - len(raw.lstrip()))
                if text:
                    known = {k: (a, -1) for k, (a, at) in surnames.items() if at <= sent.start}
                    out.append(Candidate(start, start + len(text), text, _copy(memory), told, known))
            memory.note_sentence(names, self.mentions.kind)
        return out

    def _worth_parsing(self, words: list[str], names: list[Mention], start: int, remembered: bool) -> bool:
        """An issue's pattern, a stance word, and an actor named here or referred to as a subject."""
        if not any(w in self._cue_surface for w in words) and not _have_to(words) and not (
                any(w in self._speech_surface for w in words)
                and any(self._rough_concept(w) in lexicon.NEGATIVE_CONCEPTS for w in words)):
            return False  # no stance word, nor a harm that someone reports
        if not (any(w in self._surface for w in words) or any("@" + m.actor in self._surface for m in names)):
            return False
        concepts = self._rough_concepts(words, names, start)
        subject_actors = {a for a in self.issues.subject_actor.values() if a}
        if not self.issues.could_match(concepts) and not any(m.actor in subject_actors for m in names):
            return False
        if names:
            return True
        # a reference in subject position ("They ...", "The emirate has ...") or a pair ("both sides")
        return remembered and (any(w in _REFERRING for w in words[:3]) or any(w in BOTH for w in words))

    def _rough_concepts(self, words: list[str], names: list[Mention], start: int) -> list[str]:
        """Concepts of a sentence's words without a parse, actors marked ``@ID``."""
        concepts = [self._rough_concept(w) for w in words]
        for i in range(len(words) - 2):  # "cease-fire", "two-state"
            if words[i + 1] == "-":
                joined = lexicon.concept(f"{words[i]}-{words[i + 2]}")
                if joined in lexicon.CONCEPT.values() or joined in self._known:
                    concepts[i], concepts[i + 1], concepts[i + 2] = joined, "", ""
        for i in range(len(words) - 1):  # "root out", "wipe out"
            phrasal = f"{concepts[i] or words[i]}-{words[i + 1]}"
            if words[i + 1] in ("out", "off", "up") and phrasal in lexicon.CONCEPT:
                concepts[i] = lexicon.CONCEPT[phrasal]
        for m in names:
            for i in range(max(0, m.start - start), min(len(words), m.end - start)):
                concepts[i] = "@" + m.actor
        return concepts

    def _rough_concept(self, word: str) -> str:
        """A word's concept without a parse (lower-cased form, regular inflections stripped)."""
        c = self._rough.get(word)
        if c is None:
            c = "" if word in _FUNCTION_WORDS or not word.isalpha() and "-" not in word else lexicon.concept(word, word)
            if c not in self._known:  # "cards" -> "card" when "card" is a word of some issue
                c = next((stem for stem in lexicon.stems(word) if stem in self._known), c)
            if c not in self._known and "-" in word and "." in word:  # "U.S.-Mexico" as "US-Mexico"
                c = next((d for d in (lexicon.concept(word.replace(".", "")),) if d in self._known), c)
            self._rough[word] = c
        return c


DEAL_NOUNS = frozenset("deal agreement accord proposal".split())


def _have_to(words: list[str]) -> bool:
    """"there had to be a ceasefire": have to, a demand."""
    return any(w in ("have", "has", "had") and nxt == "to" for w, nxt in zip(words, words[1:]))


def _copy(m: Memory) -> Memory:
    return Memory(actors=list(m.actors[-20:]), people=list(m.people[-10:]), kinds=dict(m.kinds),
                  subjects=list(m.subjects[-10:]), surface=dict(m.surface), titles=list(m.titles[-10:]),
                  titled=list(m.titled[-10:]))


def _surface_forms(concepts: set[str]) -> set[str]:
    """Lower-case word forms that can realise the given concepts (for the cheap first pass)."""
    words = {w for w, c in lexicon.CONCEPT.items() if c in concepts} | {c for c in concepts}
    out = set()
    for w in words:
        if w.startswith("@"):
            out.add(w)
            continue
        for part in w.split("-"):
            out.add(part)
        stems = {w, w[:-1] if w.endswith("e") else w, w.replace("ize", "ise")}
        for s in stems:
            out.update({s, s + "s", s + "es", s + "ed", s + "d", s + "ing", s + "ion", s + "ions"})
        if w.endswith("y"):
            out.update({w[:-1] + "ies", w[:-1] + "ied"})
    return out

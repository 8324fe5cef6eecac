"""Reported speech: attribution relations (source, cue, content) over a dependency parse.

An attribution is someone (the *source*) saying, believing or announcing something (the
*content*), signalled by a *cue* ("said", "according to", a colon in a transcript). The
rules are general English, read off spaCy's parse in one pass over the tokens:

- a verb of saying, reporting or believing with a clausal complement: "X said (that) Y",
  "Y, X said", "X told reporters Y", "the report found that Y"; with an infinitival or
  nominal complement for verbs that take one ("X vowed to Y", "X urged Z to Y",
  "X called for Y", "X denied the allegations", "X called Y a disgrace");
- the by-agent of a passive ("it was announced by X that Y") and the subject inherited
  from a governing verb ("X attacked Z, saying Y"; "X, who said Y");
- a parenthetical cue ("The plan, officials said, will fail"): content is the host clause;
- "according to X": the rest of the clause is the content;
- nouns of saying with a that-clause ("X's claim that Y", "a warning by X that Y");
- transcripts ("NAME: text" at the start of a paragraph).

Content that sits inside quotation marks is widened to the whole quotation, which may run
over several sentences of one paragraph. Offsets are characters into ``doc.text``, end
exclusive. Nothing here knows a corpus: the word lists are general English.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from stancemap.extract import lexicon
from stancemap.extract.spans import (CharSpan, _chars, _continued, _extent, _inside, _source_span, _subtree, _widen,
                                     char_span, quotations)

__all__ = ["Attribution", "CharSpan", "attributions", "char_span", "quotations"]

Kind = Literal["verb", "quote", "parenthetical", "according", "noun", "transcript", "signoff"]

# Verbs whose clausal complement (ccomp) is reported content. SPEECH_VERBS minus the light
# verbs ("make", "describe") that report only with particular objects.
CLAUSE_VERBS = (lexicon.SPEECH_VERBS - {"make", "describe", "express", "voice"}) | frozenset("""
announce claim argue insist add note warn deny believe report write tweet accuse urge vow
pledge promise suggest acknowledge admit confirm explain predict allege assert contend
maintain concede recommend propose demand ask caution complain boast brag reveal disclose
testify estimate find show conclude agree disagree fear hope expect know feel mention recall
remark observe point reply respond retort answer quip joke charge threaten inform assure
remind predict forecast project cite read chant shout yell scream whisper cry learn hear
tell say indicate signal imply hint guess figure assume suspect doubt question wonder
realize realise understand recognize recognise worry speculate theorize declare proclaim
swear vow promise reiterate stress emphasize emphasise insist convince persuade show
demonstrate document reveal suggest rule decide order
""".split())

# Verbs whose infinitival complement (xcomp) is content: "vowed to", "urged X to".
XCOMP_VERBS = frozenset("""
vow pledge promise threaten urge ask tell call plan want refuse decline agree offer demand
hope seek intend expect claim appear seem wish encourage beg implore warn advise
order propose
""".split())

# Verbs whose direct object is content: "denied the allegations", "announced sanctions".
DOBJ_VERBS = frozenset("""
announce deny confirm propose support oppose reject criticize criticise blast slam praise
endorse back demand predict accuse blame condemn denounce welcome dismiss defend question
dispute reveal cite promise pledge vow call describe label dub want favor favour
""".split())

# Verbs whose object and object predicate together are content: "called X a disgrace".
OPRD_VERBS = frozenset("call label dub describe deem consider brand name".split())

# Prepositions that introduce content after a particular verb ("call for", "accuse of").
PREP_CONTENT = {
    "call": ("for",), "ask": ("for",), "plead": ("for",),
    "accuse": ("of",), "blame": ("for",), "criticize": ("for",), "criticise": ("for",),
    "praise": ("for",), "warn": ("of", "about", "against"), "complain": ("about",),
    "talk": ("about",), "speak": ("about", "of"), "comment": ("on",), "insist": ("on",),
    "argue": ("for", "against"), "advocate": ("for",), "testify": ("about", "that"),
}

# Nouns of saying whose that-clause is content: "her claim that Y".
NOUN_CUES = frozenset("""
claim statement assertion allegation argument belief view warning promise pledge vow
accusation suggestion announcement report remark remarks comment comments insistence charge
assurance prediction testimony admission denial contention suspicion fear hope message
notion idea conclusion finding findings evidence indication word news rumor rumour
speculation estimate opinion position argument concern concerns complaint threat
""".split())

CUE_VERBS = CLAUSE_VERBS | XCOMP_VERBS | DOBJ_VERBS

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
QUOTE_OPEN = "\u201c\""
# A dash and a short capitalised name closing a paragraph, after a quotation.
SIGNOFF = re.compile(r"[ \t]*(\u2015|\u2014|\u2013|--?)[ \t]*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,4})[ \t.]*(?:\n|$)")


@dataclass(frozen=True)
class Attribution:
    """One attribution relation. Offsets are characters in ``doc.text`` (end exclusive)."""

    source: CharSpan | None
    cue: CharSpan
    content: CharSpan
    kind: Kind = "verb"
    cue_token: int = -1  # index of the cue's head token in the Doc (-1: none)

    def text(self, doc: Doc) -> dict[str, str | None]:
        """The three spans' text, for display and tests."""
        t = doc.text
        return {
            "source": t[self.source[0]:self.source[1]] if self.source else None,
            "cue": t[self.cue[0]:self.cue[1]],
            "content": t[self.content[0]:self.content[1]],
        }





def _signoffs(doc: Doc, quotes: list[CharSpan]) -> list[Attribution]:
    """A quotation signed with a dash and a name: "“...” ― Karen Smith." (vox pops, epigraphs)."""
    out = []
    for qs, qe in quotes:
        m = SIGNOFF.match(doc.text, qe)
        if m:
            end = m.start(2) + len(m.group(2).rstrip("."))
            out.append(Attribution((m.start(2), end), (m.start(1), m.end(1)), (qs, qe), "signoff"))
    return out



# --------------------------------------------------------------------------- verb cues
def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The source of a cue verb: (token, is_agent). Climbs through xcomp/conj/advcl."""
    t = verb
    for _ in range(4):
        agent = next((c for c in t.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, True
        subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            if subj.dep_ == "nsubjpass":
                return None, False
            return subj, False
        if t.dep_ in ("xcomp", "conj", "advcl", "acl") and t.head is not t:
            if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return t.head, False  # "officials saying ..."
            t = t.head
            continue
        break
    return None, False


def _complement(verb: Token) -> tuple[int, int] | None:
    """Token range of a cue verb's content, by the complements its class takes."""
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    ccomp = next((c for c in kids if c.dep_ == "ccomp"), None)
    if ccomp is not None:
        lo, hi = _subtree(ccomp)
        # "announced by X that Y": the parser may hang "that" on the verb as its object.
        mark = next((m for m in kids if m.dep_ == "dobj" and m.lower_ == "that" and m.i == lo - 1), None)
        return (mark.i if mark is not None else lo), hi
    preps = PREP_CONTENT.get(lemma, ())
    for c in kids:
        if c.dep_ == "prep" and c.lower_ in preps and c.i > verb.i:
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            xc = next((x for x in kids if x.dep_ == "xcomp" and x.i > c.i), None)
            if obj is not None:
                dobj = next((d for d in kids if d.dep_ == "dobj" and verb.i < d.i < c.i), None)
                lo = dobj.left_edge.i if dobj is not None and c.lower_ != "for" else obj.left_edge.i
                hi = (xc.right_edge.i if xc is not None else obj.right_edge.i) + 1
                return lo, hi
    if lemma in XCOMP_VERBS:
        xc = next((c for c in kids if c.dep_ == "xcomp" and c.i > verb.i), None)
        if xc is not None:
            return xc.left_edge.i, xc.right_edge.i + 1  # "urged Congress [to act]"
    if lemma in OPRD_VERBS:
        oprd = next((c for c in kids if c.dep_ == "oprd"), None)
        dobj = next((c for c in kids if c.dep_ == "dobj"), None)
        if oprd is not None and dobj is not None:
            return dobj.left_edge.i, oprd.right_edge.i + 1
    if lemma in DOBJ_VERBS:
        dobj = next((c for c in kids if c.dep_ == "dobj" and c.i > verb.i), None)
        if dobj is not None and dobj.pos_ != "PRON":
            return dobj.left_edge.i, dobj.right_edge.i + 1
    return None


def _cue_chars(doc: Doc, verb: Token, content: tuple[int, int] | None) -> CharSpan:
    """The verb with its auxiliaries and negation ("has not said"), a particle ("point out")
    or the preposition before its content ("call for")."""
    first = verb
    for c in sorted((c for c in verb.children if c.i < verb.i), key=lambda c: -c.i):
        if c.dep_ in ("aux", "auxpass", "neg") and c.i == first.i - 1:
            first = c
    last = verb
    for c in verb.children:
        if c.dep_ == "prt" and c.i == last.i + 1:
            last = c
        if c.dep_ == "prep" and content and c.i == content[0] - 1 and c.i == last.i + 1:
            last = c
    return _chars(first, last)


def _adjacent_quote(doc: Doc, verb: Token, quotes: list[CharSpan], starts: list[int]) -> CharSpan | None:
    """A quotation just before the cue's clause or just after the cue (the parser split them)."""
    words = [t for t in verb.subtree if not t.is_punct]
    lo = words[0].idx
    k = bisect.bisect_right(starts, lo) - 1
    if k >= 0 and quotes[k][1] <= lo and not doc.text[quotes[k][1]:lo].strip(" \t,"):
        return quotes[k]
    k = bisect.bisect_left(starts, verb.idx)
    if k < len(quotes) and not doc.text[verb.idx + len(verb.text):quotes[k][0]].strip(" \t,:"):
        return quotes[k]
    return None


def _verb_cue(doc: Doc, verb: Token, quotes: list[CharSpan], starts: list[int]) -> Attribution | None:
    rng = _complement(verb)
    kind: Kind = "verb"
    content: CharSpan | None = None
    if rng is None and verb.lemma_.lower() in CLAUSE_VERBS:
        content = _adjacent_quote(doc, verb, quotes, starts)
    if content is not None:
        kind = "quote"
    elif rng is None:
        host = verb.head
        if verb.dep_ in ("parataxis", "advcl", "conj") and host.i != verb.i and host.pos_ in ("VERB", "AUX") and host.i < verb.i + 40:
            # "The plan, officials said, will fail": the host clause is the content.
            if verb.dep_ != "parataxis" and not verb.i > host.i:
                return None
            if verb.dep_ != "parataxis" and not _parenthetical(verb):
                return None
            sent = verb.sent
            skip = set(range(verb.left_edge.i, verb.right_edge.i + 1))
            lo, hi = max(host.left_edge.i, sent.start), min(host.right_edge.i + 1, sent.end)
            content = _extent(doc, lo, hi, skip, anchor=host.i)
            kind = "parenthetical"
        else:
            return None
    elif rng is not None:
        content = _extent(doc, *rng, anchor=verb.i)
    if content is None:
        return None
    subj, _ = _subject(verb)
    source = _source_span(doc, subj) if subj is not None else None
    return Attribution(source, _cue_chars(doc, verb, rng), content, kind, verb.i)


def _parenthetical(verb: Token) -> bool:
    """A cue verb set off by commas or ending its sentence after the host ("Y, he said")."""
    prev = verb.left_edge.nbor(-1) if verb.left_edge.i > 0 else None
    return prev is not None and prev.text in (",", "\u201d", '"')


# --------------------------------------------------------------------------- other cues
def _according(doc: Doc, tok: Token) -> Attribution | None:
    """ "according to X, Y" / "Y, according to X" """
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None or (obj.tag_ == "NN" and not any(c.dep_ in ("det", "poss", "compound") for c in obj.children)):
        return None  # "according to plan", "according to schedule": a norm, not a source
    host = tok.head
    while host.pos_ not in ("VERB", "AUX") and host.dep_ != "ROOT" and host.head is not host:
        host = host.head
    sent = tok.sent
    skip = set(range(tok.left_edge.i, tok.right_edge.i + 1))
    lo, hi = max(host.left_edge.i, sent.start), min(host.right_edge.i + 1, sent.end)
    if host is tok:
        lo, hi = sent.start, sent.end
    content = _extent(doc, lo, hi, skip) if tok.i < lo or tok.i >= hi else _side(doc, lo, hi, tok)
    if content is None:
        return None
    return Attribution(_source_span(doc, obj), _chars(tok, to), content, "according", tok.i)


def _side(doc: Doc, lo: int, hi: int, tok: Token) -> CharSpan | None:
    """Content around an "according to" phrase: the whole clause without the phrase."""
    skip = set(range(tok.left_edge.i, tok.right_edge.i + 1))
    return _extent(doc, lo, hi, skip)


def _noun_cue(doc: Doc, noun: Token) -> Attribution | None:
    """ "X's claim that Y", "a warning by X that Y", "the report's finding that Y" """
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    content = _extent(doc, *_subtree(clause))
    src = next((c for c in noun.children if c.dep_ == "poss"), None)
    if src is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
        src = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
    if src is None and noun.dep_ in ("dobj", "attr"):
        src = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)  # "X made the claim that"
    source = _source_span(doc, src) if src is not None else None
    if content is None:
        return None
    return Attribution(source, _chars(noun, noun), content, "noun", noun.i)


def _transcript(doc: Doc, tok: Token) -> Attribution | None:
    """ "NAME: text" at the start of a paragraph (interviews, debate transcripts)."""
    colon = tok
    i = colon.i - 1
    first = i
    while first > 0 and doc[first - 1].pos_ == "PROPN" and "\n" not in doc[first - 1].whitespace_:
        first -= 1
    while first <= i and doc[first].text in QUOTE_OPEN:
        first += 1
    if first > i or i - first > 3 or not all(doc[k].pos_ == "PROPN" or doc[k].is_title or doc[k].is_upper
                                              for k in range(first, i + 1)):
        return None
    before = doc.text[:doc[first].idx].rstrip(" \t\"\u201c")
    if before and not before.endswith("\n"):
        return None
    para_end = doc.text.find("\n", colon.idx)
    para_end = len(doc.text) if para_end < 0 else para_end
    text = doc.text[colon.idx + 1:para_end]
    s = colon.idx + 1 + (len(text) - len(text.lstrip()))
    e = colon.idx + 1 + len(text.rstrip())
    if e <= s:
        return None
    return Attribution(_chars(doc[first], doc[i]), (colon.idx, colon.idx + 1), (s, e), "transcript", colon.i)


# --------------------------------------------------------------------------- entry point
def attributions(doc: Doc, *, nested: bool = False) -> list[Attribution]:
    """Every attribution relation found in ``doc`` (parsed by spaCy), in text order.

    A cue inside a quotation ("I think ...") belongs to the quoted speaker's own words; it
    is skipped unless ``nested`` is set, so that the relations returned are the outer ones.
    """
    quotes = quotations(doc.text)
    starts = [q[0] for q in quotes]
    out: list[Attribution] = []
    for tok in doc:
        if tok.text == ":" and tok.i > 0:
            found = _transcript(doc, tok)  # "\"NAME: ..." opens a quotation it is not inside
            if found is not None:
                out.append(found)
            continue
        if not nested and _inside(tok.idx, quotes, starts):
            continue
        found = None
        low = tok.lower_
        if tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_VERBS:
            found = _verb_cue(doc, tok, quotes, starts)
        elif low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = _according(doc, tok)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            found = _noun_cue(doc, tok)
        if found is not None:
            widened = _widen(found.content, quotes, starts)
            widened = _continued(doc.text, widened, found.cue, quotes, starts)
            if widened != found.content:
                found = Attribution(found.source, found.cue, widened, found.kind, found.cue_token)
            out.append(found)
    out += _signoffs(doc, quotes)
    return sorted(out, key=lambda a: a.cue)

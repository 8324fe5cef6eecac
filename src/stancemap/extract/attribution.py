"""Attribution and stance: who holds the position an issue mention sits in, and which way.

From each issue mention the stage climbs the dependency tree. On the way it multiplies
the polarity of what governs the issue ("reject" -1, "not" -1, "call for" +1), notes
whether a position was reported at all (a cue, a verb of saying, an intention: "will",
"vowed"), and stops at the first governor whose subject, by-agent, possessor or nominal
modifier is an actor, once a cue has been seen. "According to X" gives a holder too.
An actor who only acts ("Israel struck") holds no position; its clause passes upwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from stancemap.extract import lexicon

SUBJECT_DEPS = ("nsubj", "csubj")
# Passive subjects hold a position only with verbs of resolve ("Israel is determined to").
RESOLVE_PASSIVES = frozenset("determine commit prepare set resolve")
DEONTIC = frozenset("must should ought")


@dataclass(frozen=True)
class Holding:
    holders: tuple[int, ...]  # token indices of the holder mentions' heads (empty: none found)
    sign: int
    cue: str  # the cue words seen, for explanation
    explicit: bool  # a stance word (not only saying or intending) was on the path
    depth: int
    seen: bool = True  # a position was reported on the path


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children)


def _intent(t: Token) -> bool:
    """The verb states its subject's own intention or commitment ("will", "is going to")."""
    if t.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "aux" and c.lower_ in lexicon.INTENT_AUX for c in t.children)


def _evaluation(t: Token, seen: set[int] | frozenset = frozenset()) -> int:
    """An evaluative predicate on this verb: "it would be a mistake" (-1), "is essential" (+1),
    "would be seen as a violation" (-1)."""
    words = [c for c in t.children if c.dep_ in ("attr", "acomp", "oprd")]
    words += [g for c in t.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
    for c in words:
        if c.i in seen:
            continue  # already counted on the way up
        n = lexicon.norm(c.lemma_)
        whole = t.doc[c.left_edge.i:c.i + 1].text.lower().replace(" ", "")
        if whole.endswith("no-brainer"):
            n = "no-brainer"
        if n in lexicon.NEGATIVE_EVALUATION:
            return -1
        if n in lexicon.POSITIVE_EVALUATION:
            return 1
    return 0


def _cue_subject(t: Token, consumed: set[int]) -> Token | None:
    """"Its aim is to destroy Hamas", "Hamas' conditions entailed ...": a cue noun as subject."""
    if t.pos_ not in ("VERB", "AUX"):
        return None
    for c in t.children:
        if c.dep_ == "nsubj" and c.pos_ == "NOUN" and c.i not in consumed and lexicon.predicate_sign(c.lemma_):
            return c
    return None


def holder_candidates(t: Token, is_actor) -> list[Token]:
    """Tokens that could hold the position at governor ``t``: subject, agent, possessor, modifier."""
    found: list[Token] = []
    for c in t.children:
        if c.dep_ in SUBJECT_DEPS or (c.dep_ == "nsubjpass" and lexicon.norm(t.lemma_) in RESOLVE_PASSIVES):
            found.append(c)
            if not is_actor(c.i):  # "a resolution backed by the US demanded ...": its backers
                found.extend(_backers(c))
                # "The United Nations and aid groups urged": coordination read as a modifier
                found.extend(m for m in c.children if m.dep_ in ("nmod", "compound") and is_actor(m.i)
                             and any(x.dep_ == "cc" for x in m.children))
                # "The head of the agency, Philippe Lazzarini, told ...": the appositive names the holder
                found.extend(m for m in c.children if m.dep_ == "appos" and is_actor(m.i))
                if lexicon.norm(c.lemma_) in HEAD_NOUNS:  # "the head of the UN agency"
                    found.extend(g for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                                 for g in p.children if g.dep_ == "pobj" and is_actor(g.i))
        elif c.dep_ == "agent":
            found.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "poss" and t.pos_ in ("NOUN", "PROPN"):
            found.append(c)
        elif (c.dep_ in ("amod", "compound", "nmod", "npadvmod") and t.pos_ == "NOUN" and is_actor(c.i)
              and lexicon.predicate_sign(t.lemma_)):
            found.append(c)  # "an Egyptian-Qatari ceasefire proposal"
        elif c.dep_ == "acl":
            found.extend(_backers(t))
    if t.dep_ == "acl" and t.pos_ == "VERB" and lexicon.norm(t.lemma_) in BACKING:
        found.extend(g for a in t.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj")
        noun = t.head  # "X and Y held talks mediated by Z": the parties hold it too
        if noun.dep_ == "dobj":
            found.extend(s for s in noun.head.children if s.dep_ == "nsubj")
    return found


HEAD_NOUNS = frozenset("head chief leader director spokesman spokeswoman spokesperson minister official envoy".split())
BACKING = frozenset("back broker mediate sponsor support conduct draft propose table host".split())


def _backers(noun: Token) -> list[Token]:
    """"a resolution backed by the United States", "talks brokered by Egypt": the by-agents."""
    out = []
    for c in noun.children:
        if c.dep_ == "acl" and lexicon.norm(c.lemma_) in BACKING:
            out.extend(g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj")
    return out


def _deontic(t: Token) -> bool:
    """"X must agree", "X should stop", "there had to be": a demand by whoever says it."""
    if any(c.dep_ == "aux" and c.lower_ in DEONTIC for c in t.children):
        return True
    return t.lemma_ == "have" and any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in t.children)


def cue_sign(t: Token) -> int:
    """The stance a word gives its complement: +1, -1, or 0 when it reports no position."""
    return _cue_sign(t)


def negated(t: Token) -> bool:
    return _negated(t)


def _cue_sign(t: Token) -> int:
    n = lexicon.norm(t.lemma_)
    if n in lexicon.REMOVAL_VERBS and any(
            c.lower_ in lexicon.REMOVAL_PARTICLES and c.dep_ in ("prt", "advmod", "prep") for c in t.children):
        return -1  # "keep the Palestinian Authority out of Gaza"
    need = lexicon.NEEDS_PARTICLE.get(n)
    if need and not any(c.dep_ == "prt" and c.lower_ == need for c in t.children):
        return 0
    preps = lexicon.NEEDS_COMPLEMENT.get(n)
    if preps and not any((c.dep_ == "prep" and c.lower_ in preps) or c.dep_ in ("xcomp", "ccomp") for c in t.children):
        return 0
    if t.tag_ == "VBN" and t.dep_ == "amod":
        return 0  # "Hamas-ruled", "US-backed": a description, not a stance
    return lexicon.predicate_sign(t.lemma_)


def _light_verb_object(t: Token, consumed: set[int]) -> Token | None:
    """"expressed concern", "re-affirmed their support": the object noun carries the stance."""
    if lexicon.norm(t.lemma_) not in lexicon.LIGHT_VERBS and lexicon.norm(t.lemma_) not in lexicon.SPEECH_VERBS:
        return None
    for c in t.children:
        if c.dep_ == "dobj" and c.i not in consumed and lexicon.predicate_sign(c.lemma_):
            return c
    return None


def _background(t: Token) -> bool:
    """The issue sits in a temporal or circumstantial frame ("after a brief truce")."""
    if t.dep_ == "prep" and t.lower_ in lexicon.BACKGROUND_MARKERS:
        return True
    if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in lexicon.BACKGROUND_MARKERS for c in t.children):
        return True
    return False


def _purpose(t: Token) -> bool:
    """A purpose clause ("in order to allow ..."): what it says is wanted, whatever governs it."""
    return t.dep_ in ("advcl", "xcomp", "acl") and any(
        c.dep_ in ("aux", "mark") and c.lower_ in ("to", "order") for c in t.children) and any(
        c.lower_ == "order" for c in t.subtree if c.i < t.i)


def _infinitival_aim(t: Token) -> bool:
    """"a campaign to destroy Hamas": an aim, unless the infinitive has a subject of its own
    ("a mistake for Israel to launch ...")."""
    return t.dep_ in ("acl", "advcl") and t.pos_ == "VERB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in t.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in t.children)


def climb(doc: Doc, anchor: int, consumed: set[int], is_actor, *, harm: bool = False) -> Holding | None:
    """Walk from the issue's anchor to the root; return who holds it, or None."""
    t = doc[anchor]
    sign, cues, explicit, depth = 1, [], False, 0
    seen_position = False
    skip_sign = False
    via_conj = False  # coordinated predicates share a subject, not a polarity
    visited: set[int] = set()
    while True:
        if _background(t):
            return None
        if via_conj:
            pass
        elif _negated(t):
            sign = -sign
            cues.append("not")
        if t.i not in consumed and not via_conj:
            s = _cue_sign(t)
            if s:
                if not skip_sign:
                    sign *= s
                cues.append(t.lemma_)
                explicit = True
                seen_position = True
            elif lexicon.norm(t.lemma_) in lexicon.SPEECH_VERBS and t.pos_ == "VERB":
                cues.append(t.lemma_)
                if harm:  # "saying that too many civilians had been killed": a harm reported is deplored
                    seen_position = True
            obj = _light_verb_object(t, consumed) or _cue_subject(t, consumed)
            if obj is not None:
                sign *= lexicon.predicate_sign(obj.lemma_)
                cues.append(obj.lemma_)
                explicit = True
                seen_position = True
        skip_sign = _purpose(t) or (t.lemma_ == "order" and t.head.lower_ == "in") or (
            skip_sign and t.dep_ == "prep")  # "in order to": what follows is wanted
        if _infinitival_aim(t):
            seen_position = True  # "a campaign to destroy Hamas": a stated aim
            cues.append("to")
        visited.add(t.i)
        ev = 0 if via_conj else _evaluation(t, visited)
        if ev:
            sign *= ev
            explicit = True
            seen_position = True
            cues.append("evaluation")
        if _intent(t) and not via_conj:
            seen_position = True
            cues.append("will")
        holders = [h for h in holder_candidates(t, is_actor) if h.i not in consumed and is_actor(h.i)]
        if obj_noun := (_cue_subject(t, consumed) if not via_conj else None):
            holders += [c for c in obj_noun.children if c.dep_ == "poss" and is_actor(c.i)]
        if _deontic(t):
            seen_position = True
            cues.append("must")
            holders = []
        if holders and seen_position and all(h.dep_ in ("amod", "compound", "nmod") for h in holders):
            # "an Israeli ceasefire proposal": the proposal's author; whoever backs it may stand higher
            outer = climb(doc, t.i, consumed | {h.i for h in holders} | {t.i}, is_actor) if t.head.i != t.i else None
            extra = outer.holders if outer and outer.seen and outer.sign > 0 else ()
            return Holding(tuple(h.i for h in holders) + tuple(extra), sign, " ".join(cues), explicit, depth)
        if holders and seen_position:
            if t.dep_ == "dobj" and any(c.dep_ == "acl" for c in t.children):
                # "X and Y held talks mediated by Z": the parties hold it too
                holders += [c for c in t.head.children if c.dep_ == "nsubj" and is_actor(c.i)]
            return Holding(tuple(h.i for h in holders), sign, " ".join(cues), explicit, depth)
        if t.head.i == t.i:
            return Holding((), sign, " ".join(cues), explicit, depth, seen_position)
        if lexicon.norm(t.head.lemma_) in lexicon.ACCUSE and t.dep_ == "prep" and t.lower_ in ("of", "for"):
            return None  # "accused X of not doing enough": X's conduct, not a position
        via_conj = t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and t.head.pos_ in ("VERB", "AUX")
        if via_conj and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return Holding((), sign, " ".join(cues), explicit, depth, seen_position)  # its own subject
        t = t.head
        depth += 1
        if depth > 12:
            return None


def according_to(doc: Doc, is_actor) -> list[int]:
    """Holders named by "according to X" anywhere in the sentence."""
    out = []
    for t in doc:
        if t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lower_ == "according":
            for c in t.children:
                if c.dep_ == "pobj" and is_actor(c.i):
                    out.append(c.i)
    return out


def expand_conjuncts(doc: Doc, idx: int, is_actor) -> list[int]:
    """"The UK, Germany and France" -> all three heads."""
    out = [idx]
    for c in doc[idx].conjuncts:
        if is_actor(c.i):
            out.append(c.i)
    return out

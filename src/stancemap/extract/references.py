"""References: pronouns, definite descriptions and collective nouns resolved to actors.

"He" is the last person named, "they"/"it" the last subject (possessives echo a possessor,
plurals take in conjoined antecedents), "we" the quote's speaker, "the emirate" the most
salient state with an emir, "both countries" the last two states. A pronoun is never an
argument of its own verb ("They urged Israel": not Israel), and an "it" that stands for a
clause ("it would be a mistake to ...") has no referent.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from stancemap.extract import lexicon
from stancemap.extract.mentions import (
    BOTH,
    COLLECTIVE,
    DESCRIPTIONS,
    PAIR_NOUNS,
    PERSONAL,
    Memory,
    Mention,
    MentionFinder,
)


def resolve_references(doc: Doc, names: list[Mention], memory: Memory, finder: MentionFinder,
                       on: dt.date | None = None) -> list[Mention]:
    """Pronouns, "the emirate", "both countries": resolved to actors already mentioned ("the
    government", where none is, to the codebook's one actor in government on ``on``)."""
    out = []
    for t in doc:
        low = t.lower_
        before = [m for m in names if m.end <= t.i]
        actor = None
        if t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass", "poss", "pobj"):
            if low in PERSONAL:
                people = [m.actor for m in before if m.person]
                actor = people[-1] if people else (memory.people[-1] if memory.people else None)
            elif low in COLLECTIVE and low != "it" or (low == "it" and t.dep_ != "nsubj" or low == "it"):
                if low == "it" and (t.dep_ != "nsubj" or expletive(t)):
                    continue  # "it would be a mistake to ...", "made it clear": no referent
                named = [m for m in before if m.kind == "name"]
                subjects = [m for m in named if doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")]
                possessors = [m for m in named if doc[m.end - 1].dep_ == "poss"]
                # "rejected the UN's warnings and its calls": a possessive echoes a possessor
                pick = (possessors if t.dep_ == "poss" and possessors else None) or subjects or named
                actor = pick[-1].actor if pick else (memory.subjects[-1] if memory.subjects else None)
                if pick and low in ("they", "them", "their"):
                    # "Germany, France and Britain ... their support": all the conjoined
                    heads = {c.i for c in doc[pick[-1].end - 1].conjuncts}
                    for m in named:
                        if m.end - 1 in heads and m.actor != actor:
                            out.append(Mention(t.i, t.i + 1, m.actor, m.text, "pronoun"))
        elif low in ("we", "our", "us") and t.dep_ in ("nsubj", "nsubjpass", "poss"):
            actor = speaker_of_quote(doc, names)
        elif low in DESCRIPTIONS and t.i > 0 and doc[t.i - 1].lower_ == "the" and t.pos_ == "NOUN":
            kinds = [m.actor for m in before if finder.kind(m.actor) == DESCRIPTIONS[low]]
            allowed = finder.states_with_office(low)
            if allowed:
                kinds = [a for a in kinds if a in allowed]
            actor = kinds[-1] if kinds else memory.last_of_kind(DESCRIPTIONS[low], allowed)
            if actor is None and low == "government" and on is not None and not _foreign(doc, finder):
                # a codebook of one country's parties: "the government" is the party in office
                actor = finder.kb.sole_government(on, finder.codebook)
        elif low in PAIR_NOUNS and t.i > 0 and doc[t.i - 1].lower_ in BOTH:
            for a in memory.last_two(kind="state") or memory.last_two():
                out.append(Mention(t.i, t.i + 1, a, t.text, "collective"))
            continue
        if actor and actor in coarguments(t, names):
            continue  # "They urged Israel ...": a pronoun is not an argument of its own verb
        if actor:
            said = next((m.text for m in reversed(before) if m.actor == actor), memory.surface.get(actor, t.text))
            out.append(Mention(t.i, t.i + 1, actor, said, "pronoun"))
    return out


def _foreign(doc: Doc, finder: MentionFinder) -> bool:
    """Whether the sentence names a state or its people ("Israel", "Israeli"): its "the government"
    may be theirs, not the codebook's party in office."""
    demonyms, kb = finder._demonyms, finder.kb
    for t in doc:
        if t.lower_ in demonyms:
            return True
        if t.text[:1].isupper() and t.i > 0:
            e = kb.get(kb.resolve(t.text).actor or "")
            if e is not None and e.kind == "state":
                return True
    return False


def speaker_of_quote(doc: Doc, names: list[Mention]) -> str | None:
    """"We ..." in a quote is whoever says it: the named subject of the sentence's verb of saying."""
    by_token = {i: m for m in names if m.kind == "name" for i in range(m.start, m.end)}
    for t in doc:
        if t.pos_ == "VERB" and lexicon.norm(t.lemma_) in lexicon.SPEECH_VERBS:
            for c in t.children:
                if c.dep_ == "nsubj" and c.i in by_token:
                    return by_token[c.i].actor
    return None


def coarguments(t, names: list[Mention]) -> set[str]:
    """Actors named as other arguments of the pronoun's own verb (binding: "they" is not them)."""
    verb = t.head
    args = {c.i for c in verb.children if c.dep_ in ("dobj", "iobj", "dative", "attr") and c.i != t.i}
    args |= {c.i for a in list(args) for c in verb.doc[a].conjuncts}
    return {m.actor for m in names if m.end - 1 in args}


def expletive(t) -> bool:
    """"It would be a mistake for X to ...", "it is crucial to ...": an "it" that stands for a clause."""
    head = t.head
    if head.lemma_ != "be" and head.pos_ != "ADJ":
        return False
    return any(c.dep_ in ("ccomp", "xcomp", "csubj", "advcl") and c.i > t.i for c in head.subtree
               if c.head.i == head.i or c.head.head.i == head.i)

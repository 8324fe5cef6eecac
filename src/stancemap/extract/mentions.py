"""Actor mentions: names, titles, demonym + role noun, and references (pronouns, "the emirate").

The knowledge base says what a name means on the article's date; this stage finds the
names in text (a spaCy PhraseMatcher over the KB's surface forms, on lower-case text),
widens a demonym to the role noun after it ("Israeli" + "officials"), and keeps a
running memory of who was mentioned, for pronouns and definite descriptions.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from stancemap.knowledge.described import person_alias
from stancemap.knowledge.text import norm
from stancemap.model import Codebook

PERSONAL = frozenset({"he", "she", "him", "her", "his"})
COLLECTIVE = frozenset({"they", "them", "their", "it", "its"})
# Definite descriptions that refer back to an actor of a kind.
DESCRIPTIONS = {
    "emirate": "state", "kingdom": "state", "country": "state", "nation": "state", "republic": "state",
    "government": "state", "administration": "state",
    "group": "group", "movement": "group", "militants": "group",
    "agency": "organisation", "court": "organisation", "bloc": "organisation",
}
BOTH = frozenset({"both", "two"})
PAIR_NOUNS = frozenset({"countries", "allies", "sides", "nations", "governments", "leaders", "powers", "states"})


@dataclass(frozen=True)
class Mention:
    start: int  # token index (in the Doc the mention was found in)
    end: int
    actor: str
    text: str
    kind: str  # "name", "pronoun", "description", "collective"
    person: bool = False
    governing: bool = False  # a state the codebook lacks, read as the party governing it
    title: str = ""  # a person's office on the article's date, as the knowledge base knows it


@dataclass
class Memory:
    """Who the article has mentioned so far, most recent last."""

    actors: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    surface: dict[str, str] = field(default_factory=dict)  # actor -> how it was last named
    titles: list[str] = field(default_factory=list)  # each of ``people``'s office, where known ("" if not)
    titled: list[tuple[str | None, str]] = field(default_factory=list)  # (actor or None: outside the codebook, office)

    def note_sentence(self, mentions: list["Mention"], kind_of) -> None:
        """Remember a sentence's mentions; its first is taken as its topic (usually the subject)."""
        for m in mentions:
            self.note(m, kind_of(m.actor))
        if mentions:
            self.subjects.append(mentions[0].actor)

    def note(self, m: Mention, kind: str) -> None:
        self.actors.append(m.actor)
        self.surface[m.actor] = m.text
        self.kinds[m.actor] = kind
        if m.person:
            self.people.append(m.actor)
            self.titles.append(m.title)
            if m.title:
                self.titled.append((m.actor, m.title.lower()))

    def note_outside(self, title: str) -> None:
        """A person the codebook has no actor for was named, holding ``title``."""
        self.titled.append((None, title))

    def person_titled(self, title: str, skip: set[str]) -> tuple[bool, str | None]:
        """(found, actor) for the last person named who holds ``title`` ("prime minister"), not one
        of ``skip``: actor None when that person is no actor of the codebook."""
        for a, t in reversed(self.titled):
            if t == title and (a is None or a not in skip):
                return True, a
        return False, None

    def last_of_kind(self, kind: str, allowed: frozenset[str] | None = None) -> str | None:
        """The most salient actor of a kind so far: the most mentioned, the latest on a tie."""
        counts: dict[str, tuple[int, int]] = {}
        for pos, a in enumerate(self.actors):
            if self.kinds.get(a) == kind and (not allowed or a in allowed):
                n, _ = counts.get(a, (0, 0))
                counts[a] = (n + 1, pos)
        return max(counts, key=counts.get) if counts else None

    def last_two(self, kind: str | None = None) -> list[str]:
        out: list[str] = []
        for a in reversed(self.actors):
            if kind and self.kinds.get(a) != kind:
                continue
            if a not in out:
                out.append(a)
            if len(out) == 2:
                break
        return out


class MentionFinder:
    """Finds codebook actors in a Doc, resolving through the knowledge base on a date."""

    def __init__(self, kb, codebook: Codebook, vocab):
        self.kb = kb
        self.codebook = codebook
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.cased = PhraseMatcher(vocab, attr="ORTH")  # "US" but not "us", "WHO" but not "who"
        self._cased_forms = sorted({s for s, _e in kb.cased_surface_forms()} | {a.id for a in codebook.actors}
                                   | {s for a in codebook.actors for s in a.cased_aliases})
        forms: dict[str, None] = {}
        for surface, _entry in kb.surface_forms():
            forms.setdefault(surface.lower(), None)
        for actor in codebook.actors:
            for s in (actor.name, *actor.aliases):
                forms.setdefault(s.lower(), None)
        tokenizer = vocab  # noqa: F841 - kept for clarity; patterns are made with make_doc below
        self._forms = list(forms)
        self.agents = frozenset(kb.agent_nouns())
        self._kind_cache: dict[str, str] = {}
        self._office_cache: dict[str, frozenset[str]] = {}
        self._demonyms = kb.demonyms()
        self._resolve_cache: dict[tuple[str, dt.date], tuple[str | None, bool]] = {}
        self._actors = {a.id: a for a in codebook.actors}
        self._alias_people: dict[tuple[str, str, dt.date], bool] = {}
        self._governing: set[tuple[str, dt.date]] = set()
        self._titles: dict[tuple[str, dt.date], str] = {}
        self._holders: dict[tuple[str, dt.date], str | None] = {}
        self._all_titles: frozenset[str] | None = None
        self._offices = None  # an OfficeFinder, made on first use
        self._known: set[str] | None = None
        self._no_short: frozenset[str] = frozenset()

    def add_patterns(self, make_doc) -> None:
        self.matcher.add("ACTOR", [make_doc(f) for f in self._forms])
        for f in self._cased_forms:
            doc = make_doc(f)
            self.cased.add("ACTOR", [doc])
            if len(doc) == 1:  # "the US"
                self.cased.add("ACTOR", [make_doc("the " + f), make_doc("The " + f)])

    # A description that names a form of government: "the emirate" is a state with an emir.
    _OFFICES = {"emirate": ("emir",), "kingdom": ("king", "queen"), "republic": ("president",)}

    def states_with_office(self, noun: str) -> frozenset[str] | None:
        titles = self._OFFICES.get(noun)
        if not titles:
            return None
        if noun not in self._office_cache:
            found = set()
            for entry in self.kb.actors():
                for role in entry.roles:
                    if any(role.title.lower() == t or role.title.lower().startswith(t + " ") for t in titles):
                        found.add(role.of)
            self._office_cache[noun] = frozenset(found)
        return self._office_cache[noun]

    def _demonym_actor(self, demonym: str, on: dt.date) -> str | None:
        state = self.kb.get(self._demonyms[demonym])
        return self.resolve(state.name, on)[0] if state else None

    def title(self, text: str, on: dt.date) -> str:
        """The office of the person ``text`` names on ``on`` ("" if none is known)."""
        self.resolve(text, on)
        return self._titles.get((text.lower(), on), "")

    def holder(self, title: str, on: dt.date) -> str | None:
        """The party whose person held ``title`` on ``on`` in a state the codebook has no actor for
        ("the prime minister" in 2005: Labour, whose leader Tony Blair was; named in the codebook or
        given the party role by the knowledge base); None if none or several, and in a codebook of
        states (whose offices speak as the state: no party holds them)."""
        key = (title, on)
        if key not in self._holders:
            self._holders[key] = self.kb.office_holder(title, on, self.codebook)
        return self._holders[key]

    def offices(self):
        """The offices held in one state only (:class:`stancemap.extract.offices.OfficeFinder`), made on first use."""
        if self._offices is None:
            from stancemap.extract.offices import OfficeFinder

            self._offices = OfficeFinder(self.kb, self.codebook)
        return self._offices

    def office_holder(self, title: str, on: dt.date) -> tuple[str | None, bool]:
        """The party governing the one state that has office ``title`` ("the home secretary":
        Britain's), where the codebook has no actor for that state; (None, False) otherwise."""
        hit = self.offices().offices.get(tuple(title.split()))
        actor, governing = self.kb.government_of(hit[1], on, self.codebook) if hit else (None, False)
        # a codebook of states keeps reading the office as the last person named ("US Defence
        # Secretary Lloyd Austin ... the defence secretary"): only a party codebook needs it
        return (actor, True) if governing else (None, False)

    def is_title(self, words: str) -> bool:
        """Whether ``words`` ("prime minister") are an office some person of the knowledge base holds."""
        if self._all_titles is None:
            self._all_titles = frozenset(r.title.lower() for e in self.kb.actors() for r in e.roles)
        return words in self._all_titles

    def governing(self, text: str, on: dt.date) -> bool:
        """Whether ``text`` resolved to its actor as the party that governs a state the codebook
        has no actor for ("Downing Street" for the Conservatives in 2023)."""
        self.resolve(text, on)
        return (text.lower(), on) in self._governing

    def kind(self, actor_id: str) -> str:
        if actor_id not in self._kind_cache:
            entry = self.kb.get(actor_id)
            k = entry.kind if entry else "other"
            self._kind_cache[actor_id] = {"party": "group", "company": "organisation"}.get(k, k)
        return self._kind_cache[actor_id]

    def resolve(self, text: str, on: dt.date, context: str | None = None) -> tuple[str | None, bool]:
        key = (text.lower(), on)
        if key not in self._resolve_cache or context:
            r = self.kb.resolve(text, on, codebook=self.codebook, context=context)
            via = r.via or {}
            if via.get("kind") == "governing" and context is None:
                self._governing.add(key)
            if context is None and r.actor:
                inner = via.get("from") if via.get("kind") in ("part_of", "governing") else via
                while isinstance(inner, dict) and inner.get("kind") in ("part_of", "governing"):
                    inner = inner.get("from")
                if isinstance(inner, dict) and inner.get("kind") in ("role", "title") and (inner.get("title") or inner.get("agent")):
                    self._titles[key] = str(inner.get("title") or inner.get("agent"))  # "the US president": its agent
            while via.get("kind") in ("part_of", "governing") and isinstance(via.get("from"), dict):
                via = via["from"]  # "Francis" -> UNGA -> UN: it is the person who matched
            person = via.get("kind") in ("role", "title") or str(via.get("entry", "")).startswith("person")
            if not person and via.get("kind") == "codebook alias":  # "Bernie Sanders", "Mrs. Clinton"
                person = self._alias_person(str(via.get("entry")), str(via.get("alias", text)), on)
            value = (r.actor, person)
            if context is None:
                self._resolve_cache[key] = value
            return value
        return self._resolve_cache[key]

    def _alias_person(self, actor_id: str, alias: str, on: dt.date) -> bool:
        """A codebook alias names a person: as the knowledge base says, or by its shape where the
        knowledge base does not know it (``person_alias``). Read on the codebook's own spelling of
        the alias, not the article's ("ADA BRENNAN PUSHES ..." in a headline)."""
        actor = self._actors.get(actor_id)
        key = (actor_id, norm(alias).removeprefix("the "), on)
        if key not in self._alias_people:
            if actor is not None:
                alias = next((f for f in (actor.name, *actor.aliases, *actor.cased_aliases)
                              if norm(f).removeprefix("the ") == key[1]), alias)
            r = self.kb.resolve(alias, on)
            via = r.via or {}
            self._alias_people[key] = (via.get("kind") in ("role", "title") or str(via.get("entry", "")).startswith("person")
                                       if r.actor else actor is not None and person_alias(alias, actor))
        return self._alias_people[key]

    def names(self, doc: Doc | Span, on: dt.date, context: str | None = None) -> list[Mention]:
        """Named mentions: longest non-overlapping phrase matches, demonyms widened to role nouns."""
        d = doc.doc if isinstance(doc, Span) else doc
        found = list(self.matcher(doc)) + list(self.cased(doc))  # indices into the Doc, even for a Span
        spans = [d[start:end] for _key, start, end in found]
        spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
        out: list[Mention] = []
        last_end = -1
        for s in spans:
            if s.start < last_end:
                continue
            end = s.end
            # widen "Israeli" -> "Israeli officials", "US" -> "US negotiators", "senior US officials"
            j = end
            while j < len(d) and j - end < 2 and d[j].lower_ in ("senior", "top", "military", "foreign", "defence", "defense"):
                j += 1
            through_head = False
            if j < len(d) and d[j].lower_ in self.agents:
                end = j + 1
            elif end == s.end:
                end = _agent_head_end(d, s, self.agents)
                through_head = end != s.end
            text = d[s.start:end].text
            actor, person = self.resolve(text, on, context if person_like(text) else None)
            if actor is None and through_head:
                # "the UN child rights committee": the body speaks for the name that heads it
                actor, person = self.resolve(s.text, on)
            longer = _longer_name(d, s.start) if actor and person and end - s.start == 1 else None
            if longer is not None:
                # "Pope Francis" is not whoever else is called Francis: the whole name must resolve
                full = d[longer:end].text
                actor, person = self.resolve(full, on, context)
            if actor is None and end != s.end:
                actor, person = self.resolve(s.text, on)
                if actor and _is_modifier(d, s.start, s.end):
                    actor = None
            kind = "name"
            if actor is None and end == s.end and s.text.lower() in self._demonyms:
                # a bare demonym ("an Egyptian-Qatari proposal") names its state, as a modifier only
                actor = self._demonym_actor(s.text.lower(), on)
                if actor:
                    out.append(Mention(s.start, end, actor, s.text, "modifier"))
                    last_end = end
                continue
            if actor and end == s.end and _is_modifier(d, s.start, s.end) and not _possessive(d, s.end):
                # "Israeli hostages", "US strikes": a name used as a modifier is no agent of its own
                if not _agentive_compound(d, s.end, self.agents):
                    kind = "modifier"
            if actor:
                out.append(Mention(s.start, end, actor, text, kind, person, self.governing(text, on),
                                   self.title(text, on) if person else ""))
                last_end = end
            elif person_like(text):
                # a person the codebook has no actor for, in an office ("Israeli Prime Minister
                # Benjamin Netanyahu" in a codebook of British parties): "the prime minister" after
                # it is that person, no one of the codebook (``Memory.person_titled``)
                via = self.kb.resolve(text, on).via or {}
                if via.get("kind") in ("role", "title") and (via.get("title") or via.get("agent")):
                    d.user_data.setdefault("stancemap.outside", []).append(
                        (s.start, str(via.get("title") or via.get("agent")).lower()))
        return self._with_offices(d, doc, on, out)

    def _with_offices(self, d: Doc, doc: Doc | Span, on: dt.date, out: list[Mention]) -> list[Mention]:
        """The mentions, with offices before names nobody knows ("Home Secretary Charles Clarke";
        :mod:`stancemap.extract.offices`)."""
        lo, hi = (doc.start, doc.end) if isinstance(doc, Span) else (0, len(d))
        taken = [False] * len(d)
        for m in out:
            for i in range(m.start, min(m.end, len(d))):
                taken[i] = True
        found = self.offices().find(d, lo, hi, taken, on)
        if not found:
            return out
        extra = [Mention(a, b, actor, d[a:b].text, "name", True, gov, title) for a, b, actor, title, gov in found]
        return sorted(out + extra, key=lambda m: m.start)


    def with_surnames(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """The article's mentions, with people the knowledge base does not know named again by
        surname (:func:`stancemap.extract.surnames.with_surnames`)."""
        from stancemap.extract.surnames import name_forms, with_surnames

        if self._known is None:
            self._known, self._no_short = name_forms(self.kb, self._forms)
        return with_surnames(doc, mentions, _agent_heads(self.agents), self._known, self._no_short)


def _agent_head_end(doc: Doc, span: Span, agents) -> int:
    """"the UN child rights committee": a name modifying an agent noun speaks through it."""
    last = doc[span.end - 1]
    head = last.head
    heads = _agent_heads(agents)
    if (last.dep_ in ("compound", "amod", "nmod", "poss") and span.end <= head.i <= span.end + 4
            and (head.lower_ in heads or head.lemma_.lower() in heads)):
        return head.i + 1
    return span.end


@functools.lru_cache(maxsize=4)
def _agent_heads(agents: frozenset[str]) -> frozenset[str]:
    """The head words of the role nouns ("minister" of "foreign minister")."""
    return frozenset(a.split()[-1] for a in agents)


def _longer_name(doc: Doc, i: int) -> int | None:
    """Start of a proper name that the token at ``i`` ends ("Pope Francis"), if any."""
    j = i
    while j > 0 and doc[j - 1].pos_ == "PROPN" and doc[j - 1].dep_ == "compound" and doc[j - 1].head.i == i:
        j -= 1
    return j if j < i else None


def person_like(text: str) -> bool:
    return any(w[:1].isupper() for w in text.split()) and len(text.split()) <= 3


def _is_modifier(doc: Doc, start: int, end: int) -> bool:
    """True when the phrase modifies a following noun ("Israeli hostages", "US-brokered").

    Not when a conjunction stands between ("the United Nations and aid groups": a parse that
    makes the name a modifier across "and" is coordination misread)."""
    last = doc[end - 1]
    if not (last.dep_ in ("amod", "compound", "nmod") and last.head.i >= end and last.head.pos_ in ("NOUN", "PROPN")):
        return False
    return not any(t.dep_ == "cc" or t.lower_ in ("and", "or") for t in doc[end:last.head.i])


def _possessive(doc: Doc, end: int) -> bool:
    return end < len(doc) and doc[end].tag_ == "POS"


def _agentive_compound(doc: Doc, end: int, agents) -> bool:
    head = doc[end - 1].head
    return head.lower_ in agents

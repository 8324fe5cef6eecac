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


@dataclass
class Memory:
    """Who the article has mentioned so far, most recent last."""

    actors: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    surface: dict[str, str] = field(default_factory=dict)  # actor -> how it was last named

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
            while via.get("kind") == "part_of" and isinstance(via.get("from"), dict):
                via = via["from"]  # "Francis" -> UNGA -> UN: it is the person who matched
            person = via.get("kind") in ("role", "title") or str(via.get("entry", "")).startswith("person")
            value = (r.actor, person)
            if context is None:
                self._resolve_cache[key] = value
            return value
        return self._resolve_cache[key]

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
                out.append(Mention(s.start, end, actor, text, kind, person))
                last_end = end
        return out


    def with_surnames(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """The article's mentions, with people the knowledge base does not know named again by
        surname. News introduces a person once with the actor they speak for and their office,
        before the name ("US Deputy National Security Adviser Jon Finer", "UN human rights chief
        Volker Türk") or after it ("Jon Finer, the White House deputy national security advisor,"),
        and then writes "Finer said", "Mr Finer": after such an introduction, the surname alone
        names that actor, as a person. A surname that two actors would claim, or a known name, is left."""
        heads = _agent_heads(self.agents) | _MORE_OFFICES
        known = set(self._forms)
        taken = [False] * len(doc)
        for m in mentions:
            for i in range(m.start, min(m.end, len(doc))):
                taken[i] = True
        owner: dict[str, tuple[str, int]] = {}  # surname -> (actor, token after its introduction)
        clash: set[str] = set()
        # a mention that is an office ("UN High Commissioner for Human Rights") is a person's
        # (its role words, not its name: "UN" is no office, "the UN Population Fund" no person)
        found = [(m.actor, _office_then_name(doc, m.end, heads, taken, m.person or any(
                     _is_office(t, heads) for t in doc[m.start:m.end] if not t.text.isupper())))
                 for m in mentions]
        found += _name_then_office(doc, mentions, heads, taken)
        for actor, span in found:
            if span is None:
                continue
            a, b = span
            surname = doc[b - 1].text
            if (surname.lower() in known or doc[a:b].text.lower() in known or doc[a].is_stop
                    or doc[b - 1].is_stop or surname.lower() in heads or surname.lower() in _RANKS):
                continue  # "In Tel Aviv", "Deputy Spokesperson", "Secretary General"
            if surname in owner and owner[surname][0] != actor:
                clash.add(surname)
            owner.setdefault(surname, (actor, b))
        for name in clash:
            del owner[name]
        doc.user_data["stancemap.surnames"] = owner  # for the sentences parsed later on their own
        return by_surname(doc, mentions, owner, taken)


def by_surname(doc: Doc, mentions: list[Mention], owner: dict[str, tuple[str, int]],
               taken: list[bool] | None = None) -> list[Mention]:
    """``mentions`` with each later surname of ``owner`` (surname -> (actor, first token after the
    introduction); -1: any token) as a mention of that actor, a person ("Finer", "Mr Finer")."""
    if taken is None:
        taken = [False] * len(doc)
        for m in mentions:
            for i in range(m.start, min(m.end, len(doc))):
                taken[i] = True
    extra = []
    for i, t in enumerate(doc):
        o = owner.get(t.text)
        if o is None or taken[i] or i < o[1]:
            continue
        honorific = i > 0 and doc[i - 1].text.rstrip(".") in _HONORIFICS
        if (i > 0 and not honorific and _title_word(doc[i - 1]) and not doc[i - 1].is_sent_start) or \
                (i + 1 < len(doc) and _title_word(doc[i + 1])):
            continue  # inside another name: "the Gaza Strip", "Iron Dome", "General Mark Smith"
        start = i - 1 if honorific else i
        extra.append(Mention(start, i + 1, o[0], doc[start:i + 1].text, "name", True))
    return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions


_HONORIFICS = frozenset("Mr Ms Mrs Dr Gen Sen Rep Lord Lady Sir".split())
_RANKS = frozenset("general colonel col major captain lieutenant sergeant admiral commander deputy".split())
_MORE_OFFICES = frozenset("aide aides coordinator coordinators".split())


_RELATIVE = frozenset("who whom whose which that".split())
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december morning evening night""".split())


def _title_word(t) -> bool:
    return t.is_alpha and t.text[:1].isupper() and t.text[1:].islower() and t.lower_ not in _CALENDAR


def _is_office(t, heads: frozenset[str]) -> bool:
    """One person's office: "adviser", "chief", not "troops" or "officials"."""
    return t.lower_ in heads and not t.lower_.endswith("s")


def _office_then_name(doc: Doc, end: int, heads: frozenset[str], taken: list[bool],
                      office: bool = False) -> tuple[int, int] | None:
    """After an actor's name, an office and a person's name ("[US] Deputy National Security Adviser
    Jon Finer", "[UN] High Commissioner for Human Rights Volker Türk"): the person's name as (start,
    end) tokens: the last two words of the first run of capitalised words, where the run ends the
    phrase (at most eight words, none another mention's) and holds or follows an office's head word."""
    j = end
    if j < len(doc) and doc[j].text in ("'s", "’s"):
        j += 1
    k = j
    while k < len(doc) and k - j < 8 and doc[k].is_alpha and not taken[k]:
        k += 1
    i = next((x for x in range(j, k) if _title_word(doc[x])), None)
    if i is None:
        return None
    e = i
    while e < len(doc) and not taken[e] and _title_word(doc[e]):
        e += 1
    if e - i < 2 or e > k or (e < len(doc) and taken[e]):  # one word, a run that goes on past the
        return None  # phrase, or one cut short by a known name ("Deputy Spokesperson [Farhan Haq]")
    # the office is in the run ("Deputy National Security Adviser Jon Finer"), or just before it
    # ("human rights chief Volker Türk"), or is the mention itself: not "forces in Gaza City"
    before = doc[e - 3] if e - 3 >= j else None
    if (any(_is_office(t, heads) for t in doc[i:e - 2]) or (before is not None and _is_office(before, heads))
            or (e - 2 == j and office)):
        return e - 2, e
    return None


def _name_then_office(doc: Doc, mentions: list[Mention], heads: frozenset[str], taken: list[bool]):
    """A person's name followed by an apposition with an office and an actor ("Jon Finer, the White
    House deputy national security advisor,", "Georgios Petropoulos, head of the UN Office ..."):
    (actor, name span) for each. The apposition starts with "the", an office or the actor, and ends
    at its comma or a relative pronoun ("Jon Smith, who met the US envoy," is no US official)."""
    at = {m.start: m for m in mentions}
    i = 0
    while i < len(doc):
        if taken[i] or not _title_word(doc[i]):
            i += 1
            continue
        e = i
        while e < len(doc) and e - i < 3 and not taken[e] and _title_word(doc[e]):
            e += 1
        first = doc[e + 1] if e + 1 < len(doc) else None
        if (e - i >= 2 and first is not None and doc[e].text == "," and not doc[i].is_stop
                and (first.lower_ == "the" or _is_office(first, heads) or e + 1 in at)):
            window = doc[e + 1:e + 12]  # the apposition, to its closing comma (no relative clause)
            stop = next((t.i for t in window if t.text in (",", ".", ";", ":") or t.lower_ in _RELATIVE), e + 12)
            m = next((at[x] for x in range(e + 1, stop) if x in at), None)
            if m is not None and any(_is_office(t, heads) for t in doc[e + 1:stop]):
                yield m.actor, (i, e)
        i = e


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

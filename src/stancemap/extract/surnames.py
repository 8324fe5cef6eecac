"""People the knowledge base does not know, named by surname after news introduces them.

News introduces a person once with the actor they speak for and their office, before the name
("US Deputy National Security Adviser Jon Finer", "UN human rights chief Volker Türk") or after it
("Jon Finer, the White House deputy national security advisor,"), and then writes "Finer said",
"Mr Finer". After such an introduction the surname alone names that actor, as a person.
"""

from __future__ import annotations

from spacy.tokens import Doc

from stancemap.extract.mentions import Mention


def with_surnames(doc: Doc, mentions: list[Mention], agent_heads: frozenset[str], known: set[str]) -> list[Mention]:
    """The article's ``mentions``, with people the knowledge base does not know named again by
    surname (the module docstring says when). ``agent_heads``: the head words of role nouns;
    ``known``: the lower-case names the knowledge base and codebook know. A surname that two
    actors would claim, or a known name, is left."""
    heads = agent_heads | _MORE_OFFICES
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



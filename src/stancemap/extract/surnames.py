"""People the knowledge base does not know, named by surname after news introduces them.

News introduces a person once with the actor they speak for and their office, before the name
("US Deputy National Security Adviser Jon Finer", "UN human rights chief Volker Türk") or after it
("Jon Finer, the White House deputy national security advisor,"), and then writes "Finer said",
"Mr Finer". After such an introduction the surname alone names that actor, as a person.
"""

from __future__ import annotations

from spacy.tokens import Doc

from stancemap.extract.mentions import Mention


def name_forms(kb, forms) -> tuple[set[str], frozenset[str]]:
    """(``known``, ``no_short``) for :func:`with_surnames`, from the knowledge base and the lower-case
    ``forms`` a finder matches. ``known`` leaves out the office holders imported from Phoenix: a
    person who held office in 2005 is, in 2023, as unknown as any ("EU Commissioner Thierry Breton
    ... Breton said"). ``no_short`` are the full names of the people the knowledge base knows
    without a short name of their own (those office holders; "Gordon Brown", "Vince Cable"):
    named in full, their surname names them after ("Charles Clarke ... Mr Clarke")."""
    from stancemap.knowledge.office_holders import SOURCE

    imported = {s.lower() for s, e in kb.surface_forms() if getattr(kb.get(e), "description", "") == SOURCE}
    no_short = frozenset(f.lower() for e in kb.entries() if e.actor.kind == "person" and e.short == ()
                         for f in (e.actor.name, *e.actor.aliases))
    return set(forms) - imported, no_short


def with_surnames(doc: Doc, mentions: list[Mention], agent_heads: frozenset[str], known: set[str],
                  no_short: frozenset[str] = frozenset()) -> list[Mention]:
    """The article's ``mentions``, with people the knowledge base does not know named again by
    surname (the module docstring says when). ``agent_heads``: the head words of role nouns;
    ``known``: the lower-case names the knowledge base and codebook know. A surname that two
    actors would claim, or a known name, is left. ``no_short``: the lower-case full names of
    people the knowledge base knows without a short name of their own (the office holders
    imported from Phoenix, "Gordon Brown"): named in full as a person, their surname names them
    after ("Mr Brown"; not a month: "Theresa May ... in May")."""
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
    introduced = {(m.actor, m.start, m.end) for m in mentions
                  if m.person and m.end - m.start >= 2 and m.text.lower() in no_short
                  and doc[m.end - 1].lower_ not in _CALENDAR}  # "Theresa May ... in May"
    found += [(actor, (a, b)) for actor, a, b in sorted(introduced, key=lambda x: x[1])]
    for actor, span in found:
        if span is None:
            continue
        a, b = span
        surname = doc[b - 1].text
        ours = (actor, a, b) in introduced  # a full name the knowledge base knows: its surname is its own
        if ((surname.lower() in known and not ours) or (doc[a:b].text.lower() in known and not ours)
                or doc[a].is_stop
                or doc[b - 1].is_stop or surname.lower() in heads or surname.lower() in _RANKS):
            continue  # "In Tel Aviv", "Deputy Spokesperson", "Secretary General"
        if surname in owner and owner[surname][0] != actor:
            clash.add(surname)
        if _other_name(doc, surname, doc[b - 2].text, heads):
            clash.add(surname)  # "Michael Howard ... John Howard ... Mr Howard": whose?
        owner.setdefault(surname, (actor, b))
    for name in clash:
        owner.pop(name, None)
    doc.user_data["stancemap.surnames"] = owner  # for the sentences parsed later on their own
    return by_surname(doc, mentions, owner, taken)


def _other_name(doc: Doc, surname: str, first: str, heads: frozenset[str]) -> bool:
    """Whether the article names someone else with ``surname``: another capitalised word before
    it than ``first`` ("John Howard" beside "Michael Howard"), not an honorific or an office
    ("Mr Howard", "Prime Minister Howard")."""
    for i, t in enumerate(doc):
        if t.text != surname or i == 0:
            continue
        prev = doc[i - 1]
        if (_title_word(prev) and prev.text != first and prev.text.rstrip(".") not in _HONORIFICS
                and prev.lower_ not in heads and prev.lower_ not in _RANKS and not prev.is_stop
                and prev.lower_ not in _OFFICE_WORDS):
            return True
    return False


# Words of an office before a surname that are not a given name ("Prime Minister Howard").
_OFFICE_WORDS = frozenset("""minister secretary chancellor president premier leader senator governor
speaker king queen prince judge justice chairman chairwoman ambassador envoy commissioner mayor
shadow foreign home defence defense deputy prime vice interior finance health""".split())


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



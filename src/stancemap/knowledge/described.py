"""Names a codebook gives only in an actor's description count as the actor's aliases.

"Donald Trump, his running mate Mike Pence, his campaign staff (Kellyanne Conway, ...)": a user
writing a codebook names its people where it describes the actor, and should not have to list
them again. Multi-word capitalised names are taken from the description (titles dropped:
"President Barack Obama" -> "Barack Obama"), with their surname when no other actor of the
codebook uses it. A name that another actor of the codebook already uses, that contains another
actor's name or id ("The UN" under UNRWA), or that is a demonym ("South African"), is not taken.
"""

from __future__ import annotations

import re

from stancemap.model import Actor, Codebook

_NAME = re.compile(r"\b([A-Z][a-z]+(?:[ -](?:al-|bin |de |van |von )?[A-Z][a-zA-Z'’-]+)+)\b")
_TITLES = frozenset("the president vice-president vice senator secretary prime minister mr mrs ms dr mayor deputy councillor "
                    "governor speaker leader chairman chair general".split())

_ORG_WORDS = frozenset("""department house council commission committee brigades brigade chamber party office ministry
court union assembly army forces force authority group agency bank fund nations states kingdom republic
government administration movement front league federation organisation organization association institute
allah guard guards police service services board bureau senate congress parliament""".split())


def person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 3 and not any(w.lower() in _ORG_WORDS for w in words)


def description_names(description: str) -> list[str]:
    out = []
    for m in _NAME.finditer(description or ""):
        words = m.group(1).split()
        while words and words[0].lower() in _TITLES:
            words = words[1:]
        if len(words) >= 2:
            out.append(" ".join(words))
    return list(dict.fromkeys(out))


def with_description_aliases(codebook: Codebook, demonyms: set[str] | frozenset[str] = frozenset()) -> Codebook:
    """The codebook with each actor's description names (and unambiguous surnames) as aliases."""
    forms_of = {a.id: {a.id.lower(), a.name.lower(), *(x.lower() for x in a.aliases)} for a in codebook.actors}
    derived: dict[str, list[str]] = {}
    for a in codebook.actors:
        others = set().union(*(f for k, f in forms_of.items() if k != a.id)) if len(forms_of) > 1 else set()
        names = []
        for n in description_names(a.description):
            low = n.lower()
            if low in forms_of[a.id] or low in others or low in demonyms:
                continue
            if any(re.search(rf"\b{re.escape(o)}\b", low) for o in others if len(o) > 1):
                continue
            names.append(n)
        derived[a.id] = names
    surnames: dict[str, set[str]] = {}
    for aid, names in derived.items():
        for n in names:
            surnames.setdefault(n.split()[-1], set()).add(aid)
    all_forms = set().union(*forms_of.values())
    actors = []
    for a in codebook.actors:
        extra = list(derived[a.id])
        for n in derived[a.id]:
            last = n.split()[-1]
            if (person_like(n) and surnames.get(last) == {a.id} and last.lower() not in all_forms
                    and len(last) > 3):
                extra.append(last)
        new = [x for x in dict.fromkeys(extra) if x.lower() not in forms_of[a.id]]
        actors.append(a if not new else a.model_copy(update={"aliases": tuple(a.aliases) + tuple(new)}))
    return codebook.model_copy(update={"actors": tuple(actors)})


def unfindable_actors(codebook: Codebook, kb) -> list[str]:
    """Actors nothing but their codebook name can find: not in the knowledge base (no id, no part_of,
    no name it knows), no aliases, no names in the description. Reported when a codebook loads."""
    out = []
    for a in codebook.actors:
        if a.aliases or description_names(a.description) or a.part_of:
            continue
        if kb is not None and (kb.get(a.id) is not None or kb.resolve(a.name).actor is not None):
            continue
        out.append(a.id)
    return out

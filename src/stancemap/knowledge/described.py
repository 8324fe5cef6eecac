"""Names a codebook gives only in an actor's description count as the actor's aliases.

"Donald Trump, his running mate Mike Pence, his campaign staff (Kellyanne Conway, ...)": a user
writing a codebook names its people where it describes the actor, and should not have to list
them again. Multi-word capitalised names are taken from the description (titles dropped:
"President Barack Obama" -> "Barack Obama"), with their surname when no other actor of the
codebook uses it. A name that another actor of the codebook already uses, that contains another
actor's name or id ("The UN" under UNRWA), or that is a demonym ("South African"), is not taken.

An actor the codebook gives no aliases for is also found by the short forms its name and
description imply, matched with exact case only (``Actor.cased_aliases``), so that "Labour" is not
"labour" and "Green" not "green":

- the name without its organisation word: "Labour Party" -> "Labour"; "Conservative Party" ->
  "Conservative", "Conservatives"; "Democratic Party" -> "Democrat", "Democrats";
- the initials of a name of three words or more: "Scottish National Party" -> "SNP",
  "UK Independence Party" -> "UKIP";
- acronyms and single proper nouns of the description: "UKIP and its leader ...", "Tory MPs" ->
  "Tory", "Tories"; "The Green group on the council" -> "Green", "Greens".

A short form is not taken when another actor uses it, when it is a title, a role noun, a demonym or
a common word, when it is part of a longer name ("Chamber of Commerce"), or when ``known`` says the
knowledge base already resolves it ("Pentagon", "Yemen"): the knowledge base is right about those.
"""

from __future__ import annotations

import re

from collections.abc import Callable

from stancemap.model import Actor, Codebook

_NAME = re.compile(r"\b([A-Z][a-z]+(?:[ -](?:al-|bin |de |van |von )?[A-Z][a-zA-Z'’-]+)+)\b")
_TITLES = frozenset("the president vice-president vice senator secretary prime minister mr mrs ms dr mayor deputy councillor "
                    "governor speaker leader chairman chair general".split())
# More titles, dropped before a name with the words that qualify them ("Home Secretary Suella
# Braverman", "Shadow Foreign Secretary David Lammy", "Sir Keir Starmer"); the qualifiers alone are
# not dropped ("Foreign Office", "Home Office" stay names).
_MORE_TITLES = frozenset("secretaries ministers chancellor sir dame ambassador commissioner spokesman spokeswoman "
                         "spokesperson envoy".split())
_QUALIFIERS = frozenset("""foreign home shadow defence defense justice health education interior finance treasury
business trade culture environment transport energy work pensions chief junior first second attorney
exchequer state""".split())

_ORG_WORDS = frozenset("""department house council commission committee brigades brigade chamber party office ministry
court union assembly army forces force authority group agency bank fund nations states kingdom republic
government administration movement front league federation organisation organization association institute
allah guard guards police service services board bureau senate congress parliament""".split())


_POSSESSIVE = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")  # "Kennedy's", "the Greens'"


def _untitled(words: list[str]) -> list[str]:
    """The words of a name without its leading titles: "President Barack Obama" -> Barack Obama,
    "Home Secretary Suella Braverman" -> Suella Braverman (a qualifier goes only with a title:
    "Foreign Office" stays)."""
    k = 1 if words and words[0].lower() == "the" else 0
    start, titled = k, False
    while k < len(words) and (words[k].lower() in _TITLES or words[k].lower() in _MORE_TITLES
                              or words[k].lower() in _QUALIFIERS) and words[k].lower() != "the":
        titled = titled or words[k].lower() in _TITLES or words[k].lower() in _MORE_TITLES
        k += 1
    if titled:
        return words[k:]
    words = words[start:] if start else words
    while words and words[0].lower() in _TITLES:
        words = words[1:]
    return words


def person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 3 and not any(w.lower() in _ORG_WORDS for w in words)


_GROUP_PLURALS = frozenset("republicans democrats dems conservatives liberals tories greens socialists".split())
# Words of a name that is not a person's: "Trump Campaign", "Clinton Foundation", "Fox News",
# "Wall Street", "Muslim Brotherhood".
_NOT_PERSON = frozenset("""campaign foundation news times post journal network media street avenue hill square
brotherhood caucus society center centre institution trust coalition alliance club team fund corps network
matter parenthood""".split())


def person_alias(alias: str, actor: Actor) -> bool:
    """Whether a codebook alias names a person, so that "he" or "her" can refer back to it, where
    the knowledge base does not know the name: "Bernie Sanders", "Mrs. Clinton", "Sanders" when
    the actor's aliases also name him in full; not "the Trump campaign", "GOP", "Senate
    Republicans", "Republican Party", "Tory MPs", "Clinton Foundation", "Fox News". A name of two
    capitalised words no list knows ("Sinn Fein") still reads as a person's."""
    words = alias.replace(".", " ").split()
    if not words or words[0].lower() == "the" or len(words) > 4:
        return False
    if not all(w[:1].isupper() for w in words) or any((len(w) > 1 and w.isupper()) or (len(w) > 2 and w.endswith('s') and w[:-1].isupper()) for w in words):
        return False  # lower-case words, acronyms: "GOP", "DNC", "Tory MPs"
    if any(w.lower() in _ORG_WORDS or w.lower() in _HEAD_ORG or w.lower() in _GROUP_PLURALS or w.lower() in _NOT_PERSON
           for w in words):
        return False
    name = _untitled(words)
    if not name:
        return False  # a title alone: "Prime Minister"
    if name[-1].lower() in _ROLE_NOUNS and name[-1].lower().endswith("s"):
        return False  # "Labour Members"
    if actor.kind == "person" or len(words) >= 2:
        return True  # "Bernie Sanders", "President Obama"
    return any(len(o.split()) >= 2 and o.replace(".", " ").split()[-1] == alias and person_alias(o, actor)
               for o in (actor.name, *actor.aliases) if o != alias)  # a surname


def description_names(description: str) -> list[str]:
    out = []
    for m in _NAME.finditer(description or ""):
        for part in _POSSESSIVE.split(m.group(1)):  # "Charles Kennedy's Liberal Democrats": two names
            words = _untitled(part.split())
            if len(words) >= 2 and words[-1].lower() not in _ROLE_NOUNS:  # not "Backbench MPs", "Tory MPs"
                out.append(" ".join(words))
    return list(dict.fromkeys(out))


def with_description_aliases(codebook: Codebook, demonyms: set[str] | frozenset[str] = frozenset(),
                             known: Callable[[str], bool] | None = None) -> Codebook:
    """The codebook with each actor's description names (and unambiguous surnames) as aliases, and
    the short forms of actors without aliases as cased aliases (see the module docstring)."""
    forms_of = {a.id: {a.id.lower(), a.name.lower(), *(x.lower() for x in a.aliases)} for a in codebook.actors}
    others_of = {a.id: set().union(set(), *(f for k, f in forms_of.items() if k != a.id)) for a in codebook.actors}
    derived: dict[str, list[str]] = {}
    for a in codebook.actors:
        others = others_of[a.id]
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
                    and len(last) > 3 and not (last.lower() in _NOT_PERSON and known is not None and known(n))):
                # (a place the knowledge base knows is no person: "Downing Street" gives no "Street")
                extra.append(last)
        new = [x for x in dict.fromkeys(extra) if x.lower() not in forms_of[a.id]]
        update = {"aliases": tuple(a.aliases) + tuple(new)} if new else {}
        if not a.aliases:
            taken = others_of[a.id] | {x.lower() for x in new} | {a.name.lower()}
            short = [f for f in short_forms(a, demonyms, known)  # the id is matched cased: "GREENS", not "Greens"
                     if f.lower() not in taken and f not in (a.id, *a.cased_aliases)]
            if short:
                update["cased_aliases"] = tuple(a.cased_aliases) + tuple(dict.fromkeys(short))
        actors.append(a.model_copy(update=update) if update else a)
    return codebook.model_copy(update={"actors": tuple(actors)})


_HEAD_ORG = frozenset("party movement front alliance league coalition group bloc caucus".split())
_ROLE_NOUNS = frozenset("""mp mps member members councillor councillors lawmaker lawmakers legislator legislators senator
senators minister ministers official officials leader leaders activist activists supporter supporters candidate candidates
deputies delegates peers lords staff spokesman spokeswoman spokespeople""".split())
_FUNCTION = frozenset("of for the and de la du des del".split())
_COMMON = frozenset("""the a an its it their his her all any each both other others former senior new national
people government spokesperson monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december""".split())
_ACRO = re.compile(r"(?<![\w&.-])([A-Z][A-Z0-9&]{1,6})(?![\w&.-])")
_WORD1 = re.compile(r"(?<![\w&.'’-])([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)(?:['’]s)?(?![\w&-])")


# What the press calls a party by convention, not by any word of its name: "the Tories" are the
# Conservatives (in Britain and Canada), the "GOP" the Republicans.
_NICKNAMES = {"conservative": ("Tory", "Tories"), "conservatives": ("Tory", "Tories"), "republican": ("GOP",),
              "republicans": ("GOP",)}


def _plurals(word: str) -> list[str]:
    """Party members' plural of a party's adjective or noun: Tory -> Tories, Conservative ->
    Conservatives, Green -> Greens, Democratic -> Democrat, Democrats."""
    low = word.lower()
    if low.endswith("atic"):
        return [word[:-2], word[:-2] + "s"]
    if low.endswith("y") and len(low) > 3 and low[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if low.endswith(("ive", "an", "ist", "ite", "at", "een", "i", "er")):
        return [word + "s"]
    return []


def _singular(word: str) -> str:
    """Tories -> Tory, Democrats -> Democrat, Greens -> Green."""
    return word[:-3] + "y" if word.lower().endswith("ies") else word[:-1]


def _clipped(words: list[str]) -> list[str]:
    """A two-word name clipped as the press clips it: "Liberal Democrats" -> Lib Dem, Lib Dems,
    LibDems (each word of six letters or more, to its first three; a party's organisation word
    dropped first: "Liberal Democrat Party" -> the same)."""
    if len(words) == 3 and words[-1].lower() in _HEAD_ORG:
        words = words[:2]
    if len(words) != 2 or not all(w.isalpha() and w[:1].isupper() and w[1:].islower() and len(w) >= 6 for w in words):
        return []
    a, b = words[0][:3], words[1][:3]
    return [f"{a} {b}", f"{a} {b}s", f"{a}{b}", f"{a}{b}s"]


def short_forms(actor: Actor, demonyms=frozenset(), known: Callable[[str], bool] | None = None) -> list[str]:
    """Cased short forms of an actor's name and description (see the module docstring)."""
    known = known or (lambda _w: False)

    def ok(w: str) -> bool:
        low = w.lower()
        return (low not in _TITLES and low not in _ORG_WORDS and low not in _COMMON and low not in _ROLE_NOUNS
                and low not in _MORE_TITLES and low not in demonyms
                and low.rstrip("s") not in demonyms and not known(w))

    if known(actor.name):
        return []
    out: list[str] = []
    words = _POSSESSIVE.sub("", actor.name).split()
    if len(words) >= 2 and words[-1].lower() in _HEAD_ORG:
        head = " ".join(words[:-1])
        if all(w[:1].isupper() for w in words[:-1]) and ok(head):
            out.append(head)
            if len(words) == 2:
                out += [p for p in _plurals(head) if ok(p)]
    if len(words) >= 2 and words[-1].lower() in _GROUP_PLURALS and all(w[:1].isupper() for w in words):
        # "Liberal Democrats" -> "Liberal Democrat" (leader, spokesman, MP): the party's adjective
        single = " ".join([*words[:-1], _singular(words[-1])])
        if ok(single):
            out.append(single)
    out += [c for c in _clipped(words) if ok(c)]
    party = words[:-1] if len(words) == 2 and words[-1].lower() in _HEAD_ORG else words
    if len(party) == 1:  # "Conservative Party", "Conservatives"; not "Conservative Friends of Israel"
        out += [n for n in _NICKNAMES.get(party[0].lower(), ()) if ok(n)]
    caps = [w for w in words if w.lower() not in _FUNCTION]
    if len(caps) >= 3 and all(w[:1].isupper() for w in caps):
        initials = "".join(w if w.isupper() else w[0] for w in caps)
        if 3 <= len(initials) <= 6 and ok(initials):
            out.append(initials)
    desc = actor.description or ""
    in_names = []  # spans of the longer names (titles dropped: "The Labour" is one word)
    for m in _NAME.finditer(desc):
        parts = _untitled(m.group(1).split())
        # "Tory MPs": "Tory" is the name; not "Keir Starmer" (a surname the knowledge base knows)
        # nor "Scottish Government"
        role_after = len(parts) == 2 and parts[1].lower() in _ROLE_NOUNS
        if len(parts) >= 2 and not role_after:  # "Tory MPs": "Tory" is the name
            titled = any(w.lower() != "the" for w in m.group(1).split()[:-len(parts)])
            in_names.append((m.start() if titled else m.end() - len(" ".join(parts)), m.end()))
    for m in _ACRO.finditer(desc):
        if ok(m.group(1)):
            out.append(m.group(1))
    for m in _WORD1.finditer(desc):
        w = m.group(1)
        if any(a <= m.start() < b for a, b in in_names):
            continue  # a word of a longer name ("Riverton Chamber")
        before = desc[:m.start()].rstrip()
        after = desc[m.end():].split()
        if (re.search(r"(\b[a-z]{2,}|\b\w{4,})[.!?]$", before) and after and after[0].lower().strip(",.;:") in _ROLE_NOUNS
                and not re.search(rf"[a-z,(]\s+{re.escape(w)}\b", desc)):
            continue  # a later sentence's first word before a role noun: "... Backbench MPs do not count."
        prev = before.split()[-1] if before.split() else ""
        if prev.lower() in _FUNCTION and prev[:1].islower() and len(before.split()) >= 2 and before.split()[-2][:1].isupper():
            continue  # "Chamber of Commerce": the end of an organisation's name
        if not ok(w):
            continue
        out.append(w)
        out += [p for p in _plurals(w) if ok(p)]
    return list(dict.fromkeys(out))


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

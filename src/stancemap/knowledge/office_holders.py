"""Office holders from a CAMEO/Phoenix country dictionary, for the built-in knowledge base.

Phoenix's ``Phoenix.Countries.actors.txt`` (from CountryInfo) dates who sat in each state's
government, 1945-2014, with most of its records from 2003-2011: "CHARLES_CLARKE_ [GBRGOV
050101-060531]". The knowledge base's own people (``data/people.yaml``) begin around 2015, so a
corpus of 2005 news met almost no one it knew. :func:`office_holders` keeps, of a Phoenix import
(:func:`stancemap.knowledge.phoenix.read_actors`), what can be trusted to speak for a state:

- people only (two words or more in the name, none of them a word of an institution);
- roles of a state's government (``GOV`` codes) with a date; a role with no end ends on the
  dictionary's date (``until``), since the file says nothing after it;
- each role's title is "government minister" (with the sector's word, "government minister
  (health)"): the codes say who was in government, not which office (the title counts as
  an office of the executive, see ``KnowledgeBase._executive``, and is never written in news, so
  "the minister" is not read as any one of them);
- no one the knowledge base already knows by a name or alias (its curated entry wins), no alias
  that is already another entry's form, and no short name: "Brown" alone is nobody until
  "Gordon Brown" has been named in the article.

The built-in ``data/office-holders.tsv`` is made by ``stancemap kb import
../shared/knowledge/phoenix/Phoenix.Countries.actors.txt --office-holders --out
src/stancemap/knowledge/data/office-holders.tsv`` (docs/knowledge.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from stancemap.model.types import Actor, Role
from stancemap.knowledge.loader import Entry
from stancemap.knowledge.text import norm, slug

# What marks an entry as one of these office holders (its description).
SOURCE = "office holder (Phoenix, CountryInfo.140130)"
# CountryInfo.140130: the Phoenix dictionaries' date; an open role ends there.
PHOENIX_DATE = dt.date(2014, 1, 30)
# Words that make a "person" record an institution or a description, not a name.
_NOT_A_NAME = re.compile(
    r"\b(government|ministry|minister|forces?|army|party|council|office|department|police|court|"
    r"committee|commission|parliament|assembly|cabinet|authority|agency|bank|union|front|movement|"
    r"republic|kingdom|state|national|people|official|officials|spokesman|president|the|of)\b", re.I)
_SECTOR = re.compile(r"^government ?(.*)$")


def _title(title: str) -> str | None:
    """'government health' -> 'government minister (health)'; None for a role that is not a
    government's ('elite', 'military', 'opposition')."""
    m = _SECTOR.match(title)
    if m is None:
        return None
    sector = m.group(1).strip()
    if sector == "legislature":  # a speaker or a senator ("USAGOVLEG"): a parliament, not a government
        return None
    return "government minister" + (f" ({sector})" if sector else "")


def office_holders(actors: Iterable[Actor], known_forms: Iterable[str], states: Iterable[str] | None = None, *,
                   until: dt.date = PHOENIX_DATE) -> list[Actor]:
    """The people of a Phoenix import who held a dated office of a state's government, with
    those roles only (see the module docstring). ``known_forms`` are the knowledge base's
    existing surface forms (any case): a person named by one of them is left out; ``states``,
    the knowledge base's states (a role of another, "AIA", is dropped; default: any)."""
    state_ids = set(states) if states is not None else None
    known = {norm(f) for f in known_forms}
    taken: set[str] = set()
    out = []
    for a in actors:
        if a.kind != "person" or len(a.name.split()) < 2 or _NOT_A_NAME.search(a.name):
            continue
        if norm(a.name) in known or any(norm(x) in known for x in a.aliases):
            continue  # the knowledge base's own entry for this person wins
        roles = []
        for r in a.roles:
            title = _title(r.title)
            if title is None or (r.start is None and r.end is None) or len(r.of) != 3 or not r.of.isupper():
                continue
            if state_ids is not None and r.of not in state_ids:
                continue
            end = r.end if r.end is not None else until
            if r.start is not None and r.start > end:
                continue
            roles.append(Role(of=r.of, title=title, start=r.start, end=end))
        if not roles:
            continue
        aliases = tuple(x for x in a.aliases if len(x.split()) >= 2 and norm(x) not in known
                        and norm(x) not in taken and not _NOT_A_NAME.search(x))
        taken.update(norm(x) for x in (a.name, *aliases))
        out.append(Actor(id=a.id, name=a.name, kind="person", aliases=aliases,
                         roles=tuple(sorted(set(roles), key=lambda r: (r.start or dt.date.min, r.of, r.title)))))
    return out


HEADER = """\
# Office holders of the world's governments, 1945-2014, from the Phoenix actor dictionary
# Phoenix.Countries.actors.txt (generated from CountryInfo.140130) of the PETRARCH2 event coder:
# MIT licence, Copyright (c) 2014 Open Event Data Alliance. Made by
#   stancemap kb import ../shared/knowledge/phoenix/Phoenix.Countries.actors.txt --office-holders --out THIS_FILE
# (stancemap.knowledge.office_holders): people with a dated role in a state's government, titled
# "government minister" (the codes say who was in government, not which office); a role with no end
# ends on the dictionary's date; no short names; people in people.yaml are left out (theirs wins).
# Do not edit by hand: add or correct people in people.yaml or in a file of your own.
# One person a line, tab-separated: name, aliases ("|" between), roles ("|" between; each
# "STATE,title,start,end", dates YYYY-MM-DD or empty).
"""


def dump(actors: Iterable[Actor]) -> str:
    """The office holders as a tab-separated file (see HEADER): YAML takes seconds to parse
    17,000 people; this takes a fraction of one."""
    lines = [HEADER]
    for a in actors:
        for text in (a.name, *a.aliases):
            if any(c in text for c in "\t|\n"):
                raise ValueError(f"{a.id}: a name with a tab or '|': {text!r}")
        roles = "|".join(f"{r.of},{r.title},{r.start or ''},{r.end or ''}" for r in a.roles)
        lines.append(f"{a.name}\t{'|'.join(a.aliases)}\t{roles}\n")
    return "".join(lines)


def load(path) -> list[Entry]:
    """Read a file written by :func:`dump` into knowledge-base entries (no short names);
    errors name the file and line."""
    from stancemap.errors import KnowledgeError

    out = []
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            try:
                name, aliases, roles = line.rstrip("\n").split("\t")
                parsed = []
                for r in roles.split("|"):
                    of, title, start, end = r.split(",")
                    parsed.append(Role(of=of, title=title, start=dt.date.fromisoformat(start) if start else None,
                                       end=dt.date.fromisoformat(end) if end else None))
                actor = Actor(id=f"person:{slug(name)}", name=name, kind="person", description=SOURCE,
                              aliases=tuple(aliases.split("|")) if aliases else (), roles=tuple(parsed))
            except ValueError as exc:
                raise KnowledgeError(f"{path}:{n}: expected name, aliases, roles "
                                     f"(STATE,title,start,end): {exc}") from exc
            out.append(Entry(actor=actor, short=()))
    return out

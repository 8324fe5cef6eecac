"""The actor knowledge base: who speaks for whom, and from when to when.

>>> kb = KnowledgeBase.builtin()
>>> kb.resolve("Blinken", dt.date(2023, 12, 7)).actor
'USA'

The built-in data lives in ``knowledge/data/*.yaml`` (see docs/knowledge.md);
users add their own files with :meth:`KnowledgeBase.extended_from` or
:meth:`KnowledgeBase.load`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from stancemap.model.types import Actor, Codebook
from stancemap.knowledge.index import Index
from stancemap.knowledge.loader import Entry, KBFile, load_file, load_files
from stancemap.knowledge.resolver import Found, Resolver
from stancemap.knowledge.text import norm

DATA_DIR = Path(__file__).parent / "data"
# The curated files, and the office holders imported from Phoenix (first: a curated entry of the
# same person replaces theirs; see knowledge/office_holders.py)
CURATED_FILES = ("states.yaml", "organisations.yaml", "people.yaml", "groups.yaml", "agents.yaml")
BUILTIN_FILES = ("office-holders.tsv", *CURATED_FILES)


class Resolution(BaseModel):
    """How a mention resolved: ``actor`` (an id, or ``None``), ``via`` (what matched,
    with its dates) and ``reason`` (why, in words; always set when unresolved)."""

    model_config = ConfigDict(frozen=True)

    actor: str | None = None
    via: dict | None = None
    reason: str = ""


def _narrowed(res: Resolution, mention: str, codebook: Codebook) -> Resolution:
    """A codebook may narrow an actor: ``exclude: [IDF, Knesset]`` on ISR keeps those out."""
    actor = codebook.actor(res.actor) if res.actor else None
    if not actor or not actor.exclude:
        return res
    said = {norm(mention).removeprefix("the ")}
    via = res.via or {}
    while isinstance(via, dict):
        said |= {norm(str(via[k])).removeprefix("the ") for k in ("alias", "entry") if via.get(k)}
        via = via.get("from")
    hit = next((x for x in actor.exclude if norm(x).removeprefix("the ") in said), None)
    if hit is None:
        return res
    return Resolution(actor=None, via=res.via, reason=f"excluded by codebook {codebook.name}: {actor.id} leaves out {hit!r}")


# Offices of a government (a head of state or government, a minister); not an opposition's.
_GOVERNMENT_TITLE = re.compile(r"\b(prime minister|president|chancellor|premier|minister|secretary)\b", re.I)
# What speaks for a state's government: its executive ("Downing Street", "British officials",
# "the US administration"), not its parliament, army or capital ("Congress", "the RAF", "London").
_EXECUTIVE = re.compile(r"\b(government|administration|officials?|ministers?|ministry|cabinet|downing|no\.? 10|"
                        r"number 10|whitehall|white house|oval office|state department|department of state|"
                        r"foreign office|fcdo|home office|treasury|kremlin|elys[ée]e|spokes\w+|authorities)\b", re.I)
_NOT_GOVERNMENT = re.compile(r"\b(shadow|opposition|party|general|UN|former)\b", re.I)


class _CodebookMap:
    """KB ids -> codebook ids (by id, by name, by the codebook's own aliases)."""

    def __init__(self, kb: "KnowledgeBase", codebook: Codebook):
        self.ids = {a.id for a in codebook.actors}
        self.to_cb: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        for a in codebook.actors:
            if a.id in kb.index.actors:
                self.to_cb[a.id] = a.id
        for a in codebook.actors:
            for form in (a.name, a.id, *a.aliases):
                found = kb.resolver.resolve(form, None, None)
                if found.actor and found.via and found.via.get("kind") == "alias":
                    self.to_cb.setdefault(found.actor, a.id)
            own = [*a.aliases, *a.cased_aliases]
            if a.id not in kb.index.actors and not kb.resolver.resolve(a.name, None, None).actor:
                own.append(a.name)  # a codebook actor the KB does not know goes by its name too
            if a.id not in kb.index.actors and not kb.resolver.resolve(a.id, None, None).actor:
                # and by its id, where the text writes it so ("UKIP", "SNP"; matched cased only),
                # even where the KB knows its name ("Scottish National Party", a party of its own)
                own.append(a.id)
            for form in own:
                self.aliases[norm(form).removeprefix("the ")] = a.id
        # people named in the codebook (its aliases, and the names its descriptions give), for
        # the party that governs a state the codebook has no actor for (:meth:`governing`)
        self.people = [(a.id, form) for a in codebook.actors for form in a.aliases if len(form.split()) >= 2]
        # and the people the knowledge base gives a party role: a party whose leader holds a
        # government office governs too, named in the codebook or not ("Tony Blair", Labour's
        # leader and prime minister in 2005)
        parties = {e.id for e in kb.index.actors.values() if e.kind == "party"}
        self.partisans = [e for e in kb.index.actors.values()
                          if e.kind == "person" and any(r.of in parties for r in e.roles)]
        self._governing: dict[dt.date, list[tuple[str | None, str, str, str]]] = {}

    def governing(self, kb: "KnowledgeBase", state: str, on: dt.date) -> tuple[str | None, str]:
        """The codebook actor that governs ``state`` on ``on``: the only one whose named people
        include someone who then held an office of its government ("Rishi Sunak", prime
        minister of GBR until 5 July 2024, makes GBR the Conservatives'; "Tony Blair" makes it
        Labour's in 2005). (None, "") where no actor or more than one does, or where a party the
        codebook lacks holds office too (a coalition: the Conservatives and Liberal Democrats in
        2012, in a codebook without the Liberal Democrats, are neither's government)."""
        holders = {aid: entry for aid, of, entry, _t in self.in_office(kb, on) if of == state}
        return next(iter(holders.items())) if len(holders) == 1 and None not in holders else (None, "")

    def in_office(self, kb: "KnowledgeBase", on: dt.date) -> list[tuple[str | None, str, str, str]]:
        """(codebook actor, state, person, office) for each office of the government of a state
        the codebook has no actor for held on ``on`` by a person the codebook names, or by a
        person the knowledge base gives a role in a party (the codebook actor None where the
        codebook has no actor for that party: a coalition partner it leaves out)."""
        if on not in self._governing:
            found: list[tuple[str, str, str, str]] = []
            for aid, form in self.people:
                via = kb._cached(form, on, None).via or {}
                # the person the form names, not one it only contains ("Brian Fallon" is not
                # Michael Fallon: the resolver reads "Brian" there as a title, via kind "title")
                e = kb.index.actors.get(str(via.get("entry", ""))) if via.get("kind") == "role" else None
                if e is not None and e.kind == "person":
                    found += [(aid, of, e.id, title) for of, title in self._offices(kb, e, on)]
            for e in self.partisans:
                parties = {r.of for r in e.roles if r.active(on) and getattr(kb.index.actors.get(r.of), "kind", "") == "party"}
                if len(parties) == 1:  # a party's person, not one who changed sides that day
                    side = self.map(kb, next(iter(parties)))[0]
                    found += [(side, of, e.id, title) for of, title in self._offices(kb, e, on)]
            self._governing[on] = list(dict.fromkeys(found))
        return self._governing[on]

    def _offices(self, kb: "KnowledgeBase", person: Actor, on: dt.date) -> list[tuple[str, str]]:
        """(state, office) for each office of the government of a state the codebook has no actor
        for that ``person`` holds on ``on``."""
        out = []
        for r in person.roles:
            st = kb.index.actors.get(r.of)
            if (r.active(on) and st is not None and st.kind == "state" and _GOVERNMENT_TITLE.search(r.title)
                    and not _NOT_GOVERNMENT.search(r.title) and self.map(kb, r.of)[0] is None):
                out.append((r.of, r.title.lower()))
        return out

    def sole_government(self, kb: "KnowledgeBase", on: dt.date) -> str | None:
        """The codebook actor that is the only one in government anywhere on ``on``, of one state:
        in a codebook of one country's parties, "the government" is that party's."""
        found = self.in_office(kb, on)
        return found[0][0] if found and len({(a, of) for a, of, _e, _t in found}) == 1 else None  # None: a party it lacks

    def map(self, kb: "KnowledgeBase", actor: str) -> tuple[str | None, list[str]]:
        path: list[str] = []
        current: str | None = actor
        while current and current not in path:
            path.append(current)
            if current in self.to_cb:
                return self.to_cb[current], path
            if current in self.ids:
                return current, path
            parent = kb.index.actors.get(current)
            current = parent.part_of if parent else None
        return None, path


class KnowledgeBase:
    """Actors, their names and offices, indexed for fast, date-aware resolution."""

    def __init__(self, data: KBFile):
        self.data = data
        self.index = Index.build(data)
        self.resolver = Resolver(self.index)
        self._codebooks: dict[int, tuple[Codebook, _CodebookMap]] = {}
        self._cached = functools.lru_cache(maxsize=200_000)(self.resolver.resolve)

    # -- construction ---------------------------------------------------------------
    @classmethod
    @functools.cache
    def builtin(cls) -> "KnowledgeBase":
        """The shipped knowledge base (loaded once, then cached)."""
        return cls(load_files([DATA_DIR / name for name in BUILTIN_FILES]))

    @classmethod
    @functools.cache
    def curated(cls) -> "KnowledgeBase":
        """The shipped knowledge base without the office holders imported from Phoenix."""
        return cls(load_files([DATA_DIR / name for name in CURATED_FILES]))

    @classmethod
    def load(cls, paths: Iterable[str | Path], *, builtin: bool = True, office_holders: bool = True) -> "KnowledgeBase":
        """The built-in KB (unless ``builtin=False``; without its Phoenix office holders if
        ``office_holders=False``) plus the given KB files."""
        data = KBFile()
        if builtin:
            data.merge((cls.builtin() if office_holders else cls.curated()).data)
        data.merge(load_files(list(paths)))
        return cls(data)

    def extended(self, actors: Iterable[Actor] = (), groups: Mapping[str, str] | None = None) -> "KnowledgeBase":
        """A new KB with more actors (an actor with a known id replaces it) and group phrases."""
        data = KBFile(list(self.data.entries), dict(self.data.groups), dict(self.data.agents))
        data.entries.extend(Entry(actor=a) for a in actors)
        data.groups.update(groups or {})
        return KnowledgeBase(data)

    def extended_from(self, *paths: str | Path) -> "KnowledgeBase":
        """A new KB with the entries of the given KB files added."""
        data = KBFile(list(self.data.entries), dict(self.data.groups), dict(self.data.agents))
        for path in paths:
            data.merge(load_file(path))
        return KnowledgeBase(data)

    # -- lookups ------------------------------------------------------------------------
    def get(self, entry_id: str) -> Actor | None:
        """The actor with this id, or ``None``."""
        return self.index.actors.get(entry_id)

    def actors(self) -> Iterator[Actor]:
        """Every actor, in load order."""
        return iter(self.index.actors.values())

    def entries(self) -> list[Entry]:
        """Every entry (actor plus demonyms, metonyms...), the last per id."""
        return list(self.index.entries.values())

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(text as written, entry id) for every case-insensitive form: aliases and their
        dotted variants, demonyms, metonyms, group phrases, people's names and short names.
        Forms that must match case-sensitively ("US", "WHO") are in :meth:`cased_surface_forms`."""
        return iter(self.index.surfaces)

    def cased_surface_forms(self) -> Iterator[tuple[str, str]]:
        """(text, entry id) for forms to match with exact case (attr="ORTH"): "US", "WHO"."""
        return iter(self.index.cased_surfaces)

    def agent_nouns(self) -> frozenset[str]:
        """Lower-case role nouns, singular and plural ("officials", "prime minister")."""
        return frozenset(self.index.agents)

    def demonyms(self) -> dict[str, str]:
        """Lower-case demonym -> state id ("israeli": "ISR"; "palestinian": "PSE", though
        "Palestinian officials" resolves to PA through the state's ``agent_of``)."""
        return dict(self.index.demonyms)

    def check(self) -> list[str]:
        """Problems in the data: references to ids that do not exist."""
        return self.index.check()

    def stats(self) -> dict[str, int]:
        """Counts of entries by kind, forms, roles."""
        kinds = Counter(a.kind for a in self.index.actors.values())
        people = [a for a in self.index.actors.values() if a.kind == "person"]
        out = {f"kind {k}": n for k, n in sorted(kinds.items())}
        out.update(
            actors=len(self.index.actors), roles=sum(len(a.roles) for a in people),
            people_states=len({r.of for a in people for r in a.roles if self.index.actors.get(r.of)
                               and self.index.actors[r.of].kind == "state"}),
            surface_forms=len(self.index.surfaces) + len(self.index.cased_surfaces),
            demonyms=len(self.index.demonyms), group_phrases=len(self.index.groups),
            agent_nouns=len(self.index.agents),
        )
        return out

    # -- resolution --------------------------------------------------------------------
    def resolve(self, mention: str, on: dt.date | None = None, *, codebook: Codebook | None = None,
                context: str | None = None) -> Resolution:
        """Resolve ``mention`` (as it appears in text) on date ``on``; see docs/knowledge.md."""
        if codebook is not None:
            cb = self._codebook(codebook)
            own = cb.aliases.get(norm(mention).removeprefix("the "))
            if own:
                return Resolution(actor=own, via={"kind": "codebook alias", "entry": own, "alias": mention},
                                  reason=f"alias of {own} in codebook {codebook.name}")
        found: Found = self._cached(mention, on, context)
        if codebook is None or found.actor is None:
            return Resolution(actor=found.actor, via=found.via, reason=found.reason)
        res = self._in_codebook(found, cb, codebook.name, on)
        return _narrowed(res, mention, codebook)

    def _codebook(self, codebook: Codebook) -> _CodebookMap:
        cached = self._codebooks.get(id(codebook))
        if cached is None or cached[0] is not codebook:
            if len(self._codebooks) > 64:
                self._codebooks.clear()
            cached = (codebook, _CodebookMap(self, codebook))
            self._codebooks[id(codebook)] = cached
        return cached[1]

    def _executive(self, state: str, via: dict, on: dt.date) -> bool:
        """Whether what resolved to ``state`` is its government speaking: an office holder in a
        government office ("Grant Shapps", defence secretary), or a phrase of its executive whose
        other words name the state ("the UK government", "British officials"; not "the Trump
        administration" while Trump holds no office, nor "Congress", "the RAF", "London")."""
        kind = via.get("kind")
        if kind in ("role", "title"):
            title = str(via.get("title") or via.get("agent") or "")
            return bool(_GOVERNMENT_TITLE.search(title)) and not _NOT_GOVERNMENT.search(title)
        if kind not in ("group", "demonym+agent"):
            return False  # the bare name ("Britain"), a capital ("Washington"), a demonym
        said = str(via.get("alias", "")) + " " + str(via.get("agent", ""))
        m = _EXECUTIVE.search(said)
        if m is None:
            return False
        before = [w for w in re.findall(r"[\w.'’]+", said[:m.start()]) if w.lower() not in ("the", "'s", "’s")]
        return all(w.lower() in self.index.demonyms or self._cached(w, on, None).actor == state for w in before)

    def government_of(self, state: str, on: dt.date, codebook: Codebook) -> tuple[str | None, bool]:
        """Who speaks for ``state``'s government on ``on`` in ``codebook``: its own actor (the state,
        or what the state is part of there), else the party that governs it (:meth:`_CodebookMap.governing`);
        and whether it is the latter. (None, False) if neither."""
        cb = self._codebook(codebook)
        mapped, _path = cb.map(self, state)
        if mapped is not None:
            return mapped, False
        gov, _holder = cb.governing(self, state, on)
        return gov, gov is not None

    def sole_government(self, on: dt.date, codebook: Codebook) -> str | None:
        """The codebook's one actor in government on ``on`` (:meth:`_CodebookMap.sole_government`)."""
        return self._codebook(codebook).sole_government(self, on)

    def knows_name(self, words: str) -> bool:
        """Whether ``words`` name an actor of the knowledge base, for a codebook's short forms
        (``described.short_forms``): a party it knows only by its full names ("Labour Party", which
        its people's roles name) still gets the press's short forms ("Labour", "Tories")."""
        actor = self.resolve(words).actor
        return actor is not None and getattr(self.get(actor), "kind", "") != "party"

    def office_holder(self, title: str, on: dt.date, codebook: Codebook) -> str | None:
        """The codebook actor whose person holds the government office ``title`` ("prime minister")
        on ``on``, of a state the codebook has no actor for (:meth:`_CodebookMap.in_office`): Labour
        in 2005; None where none or several do."""
        found = {aid for aid, _of, _e, t in self._codebook(codebook).in_office(self, on) if t == title.lower()}
        return next(iter(found)) if len(found) == 1 else None  # (a None in found is a party it lacks)

    def _in_codebook(self, found: Found, cb: _CodebookMap, name: str, on: dt.date | None = None) -> Resolution:
        tried = []
        for actor, via in found.options or ((found.actor, found.via),):
            mapped, path = cb.map(self, actor)
            if mapped is None and on is not None:
                # the state itself, as its executive speaks ("Downing Street", "British officials",
                # its ministers); not its bare name, capital or demonym ("Britain", "London",
                # "British troops": as often the addressee or a place), its parliament or army
                e = self.index.actors.get(actor)
                state = actor if e is not None and e.kind == "state" and self._executive(actor, via or {}, on) else None
                gov, holder = cb.governing(self, state, on) if state else (None, "")
                if gov is not None:
                    # a state the codebook has no actor for speaks as the party that governs it:
                    # "Downing Street", "the UK government", the foreign secretary
                    return Resolution(actor=gov, via={"kind": "governing", "state": state, "holder": holder, "from": via},
                                      reason=f"{found.reason}; {state} is governed by {gov} ({holder}) on {on}")
            if mapped is None:
                tried.append(actor)
                continue
            if len(path) > 1:
                via = {"kind": "part_of", "path": path, "from": via}
            elif mapped != actor:
                via = {**via, "kb_actor": actor}
            return Resolution(actor=mapped, via=via, reason=f"{found.reason}; {actor} -> {mapped} in codebook {name}")
        return Resolution(actor=None, via=found.via, reason=f"not in codebook: {', '.join(tried)}")

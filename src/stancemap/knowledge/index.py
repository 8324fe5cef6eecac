"""The knowledge base's lookup tables, built once when a KB is loaded.

Every form is stored under its :func:`~stancemap.knowledge.text.norm` key in a
dict, so that resolving a mention is a handful of dict lookups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from stancemap.errors import KnowledgeError
from stancemap.model.types import Actor
from stancemap.knowledge.loader import Entry, KBFile
from stancemap.knowledge.text import demonym_plural, dotted, norm, pluralize

# How a form names its entry. "name"/"short" are a person's full and short names.
ALIAS, METONYM, GROUP, NAME, SHORT = "alias", "metonym", "group", "name", "short"
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "von", "van", "de", "der", "da", "di", "du", "la", "le"}


@dataclass(frozen=True)
class Hit:
    """One form of one entry: ``surface`` as written in the data."""

    entry: str
    surface: str
    how: str


@dataclass
class Index:
    """Dicts from normalised forms to entries, plus the agent-noun vocabulary."""

    actors: dict[str, Actor] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    cased: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, str] = field(default_factory=dict)
    plural_demonyms: set[str] = field(default_factory=set)
    agent_of: dict[str, str] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)
    qualifiers: set[str] = field(default_factory=set)
    modifiers: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)
    long_aliases: dict[str, list[str]] = field(default_factory=dict)
    surfaces: list[tuple[str, str]] = field(default_factory=list)
    cased_surfaces: list[tuple[str, str]] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, data: KBFile) -> "Index":
        idx = cls()
        for entry in data.entries:
            idx.add_entry(entry)
        for phrase, actor_id in data.groups.items():
            idx.add_group(phrase, actor_id)
        idx.add_agents(data.agents)
        return idx

    # -- entries ---------------------------------------------------------------
    def _add(self, surface: str, entry: str, how: str) -> None:
        key = norm(surface).removeprefix("the ")
        if not key:
            return
        bucket = self.names[key]
        if not any(h.entry == entry and h.how == how for h in bucket):
            bucket.append(Hit(entry, surface, how))
            self.surfaces.append((surface, entry))

    def add_entry(self, entry: Entry) -> None:
        """Index one entry's names; a later entry with the same id replaces the actor."""
        a = entry.actor
        self.actors[a.id] = a
        self.entries[a.id] = entry
        is_person = a.kind == "person"
        main = NAME if is_person else ALIAS
        for form in (a.name, *a.aliases):
            self._add(form, a.id, main)
            dot = dotted(form)
            if dot and not is_person:
                self._add(dot, a.id, main)
        if a.kind not in ("person", "state") and a.id.isalpha() and a.id.isupper() and a.id not in entry.cased:
            # ids such as UNRWA, HAMAS, NATO are names too (ISO state codes are not: AND, CAN)
            self._add(a.id, a.id, main)
        for form in entry.cased:
            self.cased[norm(form, lower=False)].append(Hit(a.id, form, main))
            self.cased_surfaces.append((form, a.id))
            dot = dotted(form)
            if dot:
                self._add(dot, a.id, main)
        for form in entry.metonyms:
            self._add(form, a.id, METONYM)
        if is_person:
            for form in self._short_names(entry):
                self._add(form, a.id, SHORT)
            self.long_aliases[a.id] = [k for k in (norm(f) for f in (a.name, *a.aliases)) if " " in k]
        for dem in entry.demonyms:
            self.demonyms[norm(dem)] = a.id
            self.surfaces.append((dem, a.id))
            plural = demonym_plural(dem)
            if plural:
                self.demonyms[norm(plural)] = a.id
                self.plural_demonyms.add(norm(plural))
                self.surfaces.append((plural, a.id))
        if entry.agent_of:
            self.agent_of[a.id] = entry.agent_of

    @staticmethod
    def _short_names(entry: Entry) -> tuple[str, ...]:
        if entry.short is not None:
            return entry.short
        words = entry.actor.name.split()
        if len(words) < 2:
            return ()
        last = words[-1]
        if len(words) >= 3 and words[-2].lower() in _NAME_PARTICLES:
            last = " ".join(words[-2:])
        return (last,)

    def add_group(self, phrase: str, actor_id: str) -> None:
        self.groups[phrase] = actor_id
        self._add(phrase, actor_id, GROUP)

    # -- agent nouns -------------------------------------------------------------
    def add_agents(self, agents: dict[str, list[str]]) -> None:
        for cls_name in ("titles", "collective"):
            kind = "title" if cls_name == "titles" else "collective"
            for word in agents.get(cls_name, ()):
                self.agents.setdefault(norm(word), kind)
                self.agents.setdefault(norm(pluralize(word)), "collective")
        self.qualifiers.update(norm(w) for w in agents.get("qualifiers", ()))
        self.modifiers.update(norm(w) for w in agents.get("modifiers", ()))
        self.ambiguous.update(norm(w) for w in agents.get("ambiguous_names", ()))

    def check(self) -> list[str]:
        """References to unknown ids (``part_of``, role ``of``, groups, ``agent_of``)."""
        problems = []
        for a in self.actors.values():
            if a.part_of and a.part_of not in self.actors:
                problems.append(f"{a.id}: part_of {a.part_of!r} is unknown")
            problems += [f"{a.id}: role of {r.of!r} is unknown" for r in a.roles if r.of not in self.actors]
        problems += [f"group {p!r}: {i!r} is unknown" for p, i in self.groups.items() if i not in self.actors]
        problems += [f"{s}: agent_of {t!r} is unknown" for s, t in self.agent_of.items() if t not in self.actors]
        return problems

    def require_known(self, actor_id: str, where: str) -> None:
        if actor_id not in self.actors:
            raise KnowledgeError(f"{where}: unknown actor id {actor_id!r}")

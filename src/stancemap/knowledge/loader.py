"""Reading knowledge-base YAML files into :class:`Entry` records.

A KB file is either a list of entries, or a mapping with any of the sections
``actors`` (a list of entries), ``groups`` (actor id -> phrases) and ``agents``
(the role-noun vocabulary, see ``data/agents.yaml``). See docs/knowledge.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from stancemap.errors import KnowledgeError
from stancemap.model.types import Actor, Role
from stancemap.knowledge.text import slug

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

ENTRY_KEYS = {
    "id", "name", "kind", "description", "aliases", "cased", "short", "demonyms",
    "metonyms", "agent_of", "part_of", "roles",
}
DEFAULT_KIND = {"states": "state", "people": "person", "organisations": "organisation"}


@dataclass(frozen=True)
class Entry:
    """An actor plus the forms that only the KB needs (demonyms, metonyms...).

    ``short`` is ``None`` when a person's short names should be derived (the last
    word of the name); an explicit tuple (possibly empty) replaces that.
    """

    actor: Actor
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    cased: tuple[str, ...] = ()
    short: tuple[str, ...] | None = None
    agent_of: str | None = None


@dataclass
class KBFile:
    """The parsed content of one or more KB files."""

    entries: list[Entry] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)
    agents: dict[str, list[str]] = field(default_factory=dict)

    def merge(self, other: "KBFile") -> None:
        self.entries.extend(other.entries)
        self.groups.update(other.groups)
        for key, words in other.agents.items():
            self.agents.setdefault(key, []).extend(words)


def parse_date(value: Any, *, end: bool, where: str) -> dt.date | None:
    """A role date: a date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (partial dates
    widen to the first day for a start, the last day for an end), or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            day = calendar.monthrange(parts[0], parts[1])[1] if end else 1
            return dt.date(parts[0], parts[1], day)
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    except ValueError:
        pass
    raise KnowledgeError(f"{where}: bad date {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")


def _role(raw: Any, where: str) -> Role:
    if isinstance(raw, (list, tuple)):
        if not 1 <= len(raw) <= 4:
            raise KnowledgeError(f"{where}: a role list is [of, title, start, end]")
        raw = dict(zip(("of", "title", "start", "end"), raw))
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: a role is a list [of, title, start, end] or a mapping")
    try:
        return Role(
            of=str(raw.get("of", "")),
            title=str(raw.get("title") or ""),
            start=parse_date(raw.get("start"), end=False, where=where),
            end=parse_date(raw.get("end"), end=True, where=where),
        )
    except ValidationError as exc:
        raise KnowledgeError(f"{where}: {exc.errors()[0]['msg']}") from exc


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)):
        raise KnowledgeError(f"{where}: {key!r} must be a list of strings")
    return tuple(str(v) for v in value)


def parse_entry(raw: Any, where: str, default_kind: str = "other") -> Entry:
    """One entry (a mapping) -> :class:`Entry`; errors name ``where``."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{where}: an entry must be a mapping")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {sorted(unknown)}")
    name = str(raw.get("name") or "").strip()
    if not name:
        raise KnowledgeError(f"{where}: entry has no name")
    kind = raw.get("kind") or default_kind
    entry_id = raw.get("id") or (f"person:{slug(name)}" if kind == "person" else None)
    if not entry_id:
        raise KnowledgeError(f"{where}: entry {name!r} has no id")
    where = f"{where} ({entry_id})"
    roles = tuple(_role(r, f"{where} role {i + 1}") for i, r in enumerate(raw.get("roles") or ()))
    try:
        actor = Actor(
            id=str(entry_id), name=name, kind=kind, description=str(raw.get("description") or ""),
            aliases=_strings(raw, "aliases", where), roles=roles, part_of=raw.get("part_of"),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise KnowledgeError(f"{where}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
    short = _strings(raw, "short", where) if "short" in raw else None
    return Entry(
        actor=actor, demonyms=_strings(raw, "demonyms", where), metonyms=_strings(raw, "metonyms", where),
        cased=_strings(raw, "cased", where), short=short, agent_of=raw.get("agent_of"),
    )


def parse_document(doc: Any, source: str, default_kind: str = "other") -> KBFile:
    """A loaded YAML document (list of entries, or sections) -> :class:`KBFile`."""
    out = KBFile()
    if doc is None:
        return out
    if isinstance(doc, list):
        doc = {"actors": doc}
    if not isinstance(doc, dict):
        raise KnowledgeError(f"{source}: expected a list of entries or a mapping of sections")
    if "actors" in doc or "groups" in doc or "agents" in doc:
        unknown = set(doc) - {"actors", "groups", "agents"}
        if unknown:
            raise KnowledgeError(f"{source}: unknown section(s) {sorted(unknown)}")
        actors, groups, agents = doc.get("actors") or [], doc.get("groups") or {}, doc.get("agents") or {}
    elif source.endswith("agents.yaml"):
        actors, groups, agents = [], {}, doc
    else:  # a bare groups file: {actor id: [phrases]}
        actors, groups, agents = [], doc, {}
    for i, raw in enumerate(actors):
        out.entries.append(parse_entry(raw, f"{source}: entry {i + 1}", default_kind))
    for actor_id, phrases in groups.items():
        if isinstance(phrases, str):
            phrases = [phrases]
        for phrase in phrases or ():
            out.groups[str(phrase)] = str(actor_id)
    for key, words in agents.items():
        out.agents[str(key)] = [str(w) for w in words or ()]
    return out


def load_file(path: str | Path) -> KBFile:
    """Read one KB YAML file (or a ``.tsv`` of office holders, :mod:`stancemap.knowledge.office_holders`);
    the file's stem picks the default ``kind``."""
    path = Path(path)
    if path.suffix == ".tsv":
        from stancemap.knowledge.office_holders import load

        return KBFile(entries=load(path))
    try:
        with path.open("rb") as fh:
            doc = yaml.load(fh, Loader=_Loader)
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise KnowledgeError(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    except ValueError as exc:  # a date-like value that is not a date (2024-13-01)
        raise KnowledgeError(f"{path}: invalid value: {exc}") from exc
    return parse_document(doc, str(path), DEFAULT_KIND.get(path.stem, "other"))


def load_files(paths: list[str | Path]) -> KBFile:
    """Read several KB files into one :class:`KBFile` (later files add to earlier)."""
    out = KBFile()
    for path in paths:
        out.merge(load_file(path))
    return out


def dump_entries(entries: list[Entry]) -> list[dict]:
    """Entries as plain dicts in the KB file format (for ``kb import --out``)."""
    out = []
    for e in entries:
        a = e.actor
        d: dict[str, Any] = {"id": a.id, "name": a.name, "kind": a.kind}
        if a.description:
            d["description"] = a.description
        if a.aliases:
            d["aliases"] = list(a.aliases)
        for key in ("demonyms", "metonyms", "cased"):
            if getattr(e, key):
                d[key] = list(getattr(e, key))
        if e.short is not None:
            d["short"] = list(e.short)
        if a.part_of:
            d["part_of"] = a.part_of
        if e.agent_of:
            d["agent_of"] = e.agent_of
        if a.roles:
            d["roles"] = [
                [r.of, r.title, r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None]
                for r in a.roles
            ]
        out.append(d)
    return out

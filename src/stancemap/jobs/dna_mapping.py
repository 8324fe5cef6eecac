"""From a DNA project's entities to a stancemap codebook: organizations -> actors, concepts -> issues.

Each DNA organization becomes an actor whose id comes from, in order:

1. the mapping file (``organizations: {DNA name: actor id}``);
2. the knowledge base, when the whole name is one of an entry's names or aliases
   ("United Nations" -> ``UN``; a group phrase such as "the White House" is *not* taken, so
   that two organizations DNA tells apart stay apart);
3. the name itself, as an id (``Sierra Club`` -> ``SIERRA_CLUB``).

Organizations mapped to one id become one actor with the other names as aliases. Each DNA
concept becomes an issue labelled with the concept as worded (the stance is toward it, as
DNA's agreement is), with the id from ``concepts:`` in the mapping file or made from the
words. Entity attributes (``Type``, ``Notes``...) go into the description, ``Alias`` into
aliases.

The mapping file (YAML) may also name the statement type to read (``statement_type``,
default "DNA Statement") and its variables (``variables: {organization: actor, ...}`` when
a project calls them otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stancemap.errors import InputError
from stancemap.knowledge.kb import KnowledgeBase
from stancemap.model import Actor, Codebook, Issue

ROLES = ("person", "organization", "concept", "agreement")
FIELDS = ("statement_type", "variables", "organizations", "concepts")


@dataclass(frozen=True)
class DnaMapping:
    statement_type: str = "DNA Statement"
    variables: dict[str, str] = field(default_factory=lambda: {r: r for r in ROLES})
    organizations: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)


def _scalar_map(node, path: Path, key: str) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(f"{path}:{node.start_mark.line + 1}", f"field {key!r} must be a mapping", field=key)
    out = {}
    for k, v in node.value:
        where = f"{path}:{k.start_mark.line + 1}"
        if not isinstance(k, yaml.ScalarNode) or not isinstance(v, yaml.ScalarNode) or not str(v.value).strip():
            raise InputError(where, f"{key}: each entry is 'DNA name: id' (a non-empty text)", field=f"{key}.{k.value}")
        if key == "variables" and k.value not in ROLES:
            raise InputError(where, f"variables: {k.value!r} is not one of {', '.join(ROLES)}", field=f"variables.{k.value}")
        out[str(k.value)] = str(v.value).strip()
    return out


def load_mapping(path: str | Path) -> DnaMapping:
    """Read a mapping file; a bad entry is an :class:`InputError` with the file, line and field."""
    path = Path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "no such mapping file") from None
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(f"{path}:{mark.line + 1 if mark else 1}", f"not a YAML file: {getattr(e, 'problem', e)}") from None
    if root is None:
        return DnaMapping()
    if not isinstance(root, yaml.MappingNode):
        raise InputError(f"{path}:1", f"a mapping file is a mapping with {', '.join(FIELDS)}")
    got: dict = {}
    for k, v in root.value:
        where = f"{path}:{k.start_mark.line + 1}"
        if k.value not in FIELDS:
            raise InputError(where, f"unknown field {k.value!r}; use {', '.join(FIELDS)}", field=str(k.value))
        if k.value == "statement_type":
            if not isinstance(v, yaml.ScalarNode) or not str(v.value).strip():
                raise InputError(where, "statement_type must be a statement type's label", field="statement_type")
            got["statement_type"] = str(v.value).strip()
        else:
            got[k.value] = _scalar_map(v, path, k.value)
    if "variables" in got:
        got["variables"] = {**{r: r for r in ROLES}, **got["variables"]}
    return DnaMapping(**got)


# ------------------------------------------------------------------- codebook
def actor_id_from(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")[:100] or "ACTOR"


def issue_id_from(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:60].rstrip("_") or "issue"


def _unique(base: str, taken: set[str]) -> str:
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


@dataclass
class DnaCodebook:
    """The codebook, and for each DNA entity id the actor or issue it became."""

    codebook: Codebook
    actor_of: dict[int, str]
    issue_of: dict[int, str]
    from_kb: dict[str, str]          # DNA organization -> knowledge-base id
    new_actors: list[str]            # DNA organizations that got an id of their own


def _attributes(tables: dict) -> dict[int, dict[str, str]]:
    """Each entity's non-empty attributes, by attribute name."""
    names = {a["ID"]: a["AttributeVariable"] for a in tables["ATTRIBUTEVARIABLES"]}
    out: dict[int, dict[str, str]] = {}
    for v in tables["ATTRIBUTEVALUES"]:
        if str(v["AttributeValue"]).strip():
            out.setdefault(v["EntityId"], {})[names.get(v["AttributeVariableId"], "?")] = str(v["AttributeValue"]).strip()
    return out


def _describe(attrs: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in attrs.items() if k != "Alias")


def build_codebook(tables: dict, variables: dict[str, int | None], mapping: DnaMapping, kb: KnowledgeBase | None,
                   name: str) -> DnaCodebook:
    """The codebook of a DNA project (see the module's docstring)."""
    attrs = _attributes(tables)
    entities = sorted(tables["ENTITIES"], key=lambda e: e["ID"])
    orgs = [e for e in entities if e["VariableId"] == variables["organization"] and str(e["Value"]).strip()]
    concepts = [e for e in entities if e["VariableId"] == variables["concept"] and str(e["Value"]).strip()]
    actor_of, from_kb, new_actors, grouped = {}, {}, [], {}
    for e in orgs:
        value = str(e["Value"]).strip()
        aid = mapping.organizations.get(value)
        if aid is None and kb is not None:
            res = kb.resolve(value)
            if res.actor and res.via and res.via.get("kind") == "alias":
                aid = from_kb[value] = res.actor
        if aid is None:
            aid = actor_id_from(value)
            new_actors.append(value)
        actor_of[e["ID"]] = aid
        grouped.setdefault(aid, []).append(e)
    actors = []
    for aid, es in grouped.items():
        names = [str(e["Value"]).strip() for e in es]
        aliases = [*names[1:], *(attrs.get(e["ID"], {}).get("Alias", "") for e in es)]
        known = kb.get(aid) if kb is not None and aid in from_kb.values() else None
        actors.append(Actor(id=aid, name=names[0], kind=known.kind if known else "other",
                            description=" | ".join(d for d in (_describe(attrs.get(e["ID"], {})) for e in es) if d),
                            aliases=tuple(dict.fromkeys(a for a in aliases if a and a != names[0]))))
    issue_of, issues, taken, by_id = {}, [], set(), {}
    for e in concepts:
        label = str(e["Value"]).strip()
        iid = mapping.concepts.get(label)
        if iid is None:
            iid = _unique(issue_id_from(label), taken)
        if iid not in by_id:
            taken.add(iid)
            by_id[iid] = Issue(id=iid, label=label, description=attrs.get(e["ID"], {}).get("Notes", ""))
            issues.append(by_id[iid])
        issue_of[e["ID"]] = iid
    return DnaCodebook(Codebook(name=name, actors=tuple(actors), issues=tuple(issues)), actor_of, issue_of,
                       from_kb, new_actors)

"""Codebooks: the actors and issues a user codes for, in the evaluation's YAML format.

The format is ``name``, ``actors: [{id, name, description, aliases?, cased_aliases?}]`` and
``issues: [{id, label, description, keywords?}]``. Users may add ``aliases`` to actors (matched
in any case), ``cased_aliases`` (matched with exact case only: "Labour", "WHO") and ``keywords``
to issues; everything else loads as it is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from stancemap.errors import CodebookError
from stancemap.model import Actor, Codebook, Issue


def _as_list(value: object, where: str, field: str) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise CodebookError(f"{where}: field {field!r} must be a list")
    return [str(v) for v in value]


def codebook_from_dict(data: object, where: str = "<codebook>") -> Codebook:
    """Validate a parsed codebook, naming the entry and field of any error."""
    if not isinstance(data, dict):
        raise CodebookError(f"{where}: a codebook is a mapping with 'actors' and 'issues'")
    actors, issues = [], []
    for kind, items in (("actors", data.get("actors")), ("issues", data.get("issues"))):
        if not isinstance(items, list) or not items:
            raise CodebookError(f"{where}: field {kind!r} must be a non-empty list")
        for n, item in enumerate(items, 1):
            at = f"{where}: {kind}[{n}]"
            if not isinstance(item, dict):
                raise CodebookError(f"{at}: must be a mapping")
            try:
                if kind == "actors":
                    actors.append(Actor(
                        id=str(item.get("id", "")), name=str(item.get("name") or item.get("id", "")),
                        description=str(item.get("description") or ""), kind=item.get("kind", "other"),
                        aliases=tuple(_as_list(item.get("aliases"), at, "aliases")),
                        cased_aliases=tuple(_as_list(item.get("cased_aliases"), at, "cased_aliases")),
                        exclude=tuple(_as_list(item.get("exclude"), at, "exclude")),
                        part_of=item.get("part_of"),
                    ))
                else:
                    issues.append(Issue(
                        id=str(item.get("id", "")), label=str(item.get("label") or item.get("name") or item.get("id", "")),
                        description=str(item.get("description") or ""),
                        keywords=tuple(_as_list(item.get("keywords"), at, "keywords")),
                    ))
            except ValidationError as e:
                err = e.errors()[0]
                field = ".".join(str(p) for p in err["loc"])
                raise CodebookError(f"{at} (id {item.get('id')!r}): field {field!r}: {err['msg']}") from None
    try:
        return Codebook(name=str(data.get("name") or "codebook"), actors=tuple(actors), issues=tuple(issues))
    except ValidationError as e:
        raise CodebookError(f"{where}: {e.errors()[0]['msg']}") from None


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook YAML (or JSON) file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such codebook file") from None
    except UnicodeDecodeError as e:
        raise CodebookError(f"{path}: not UTF-8 ({e.reason})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise CodebookError(f"{path}{line}: invalid YAML: {getattr(e, 'problem', e)}") from None
    return codebook_from_dict(data, str(path))


def builtin_codebook() -> Codebook:
    """The codebook shipped with stancemap (the Gaza war debate, 2023-24)."""
    ref = resources.files("stancemap") / "data" / "codebook-gaza.yaml"
    return codebook_from_dict(yaml.safe_load(ref.read_text(encoding="utf-8")), "builtin:codebook-gaza.yaml")


def with_issue(codebook: Codebook, issue_id: str, *, label: str = "", description: str = "",
               keywords: list[str] | tuple[str, ...] = ()) -> Codebook:
    """A new codebook with issue ``issue_id`` added, or extended: its keywords joined by
    ``keywords`` (no duplicates), its label and description replaced where given."""
    keywords = [k.strip() for k in keywords if k.strip()]
    issues, found = [], False
    for i in codebook.issues:
        if i.id == issue_id:
            found = True
            kw = list(i.keywords) + [k for k in keywords if k.casefold() not in {x.casefold() for x in i.keywords}]
            i = Issue(id=i.id, label=label.strip() or i.label, description=description.strip() or i.description,
                      keywords=tuple(dict.fromkeys(kw)))
        issues.append(i)
    if not found:
        try:
            issues.append(Issue(id=issue_id.strip(), label=label.strip() or issue_id.strip(),
                                description=description.strip(), keywords=tuple(dict.fromkeys(keywords))))
        except ValidationError as e:
            err = e.errors()[0]
            raise CodebookError(f"new issue {issue_id!r}: field {'.'.join(map(str, err['loc']))!r}: {err['msg']}") from None
    return Codebook(name=codebook.name, actors=codebook.actors, issues=tuple(issues))


def codebook_yaml(codebook: Codebook) -> str:
    """The codebook in its YAML file format (what :func:`load_codebook` reads)."""
    def actor(a):
        d = {"id": a.id, "name": a.name, "description": a.description}
        for k in ("aliases", "cased_aliases", "exclude"):
            if getattr(a, k):
                d[k] = list(getattr(a, k))
        if a.kind != "other":
            d["kind"] = a.kind
        if a.part_of:
            d["part_of"] = a.part_of
        return d

    def issue(i):
        d = {"id": i.id, "label": i.label, "description": i.description}
        if i.keywords:
            d["keywords"] = list(i.keywords)
        return d
    data = {"name": codebook.name, "actors": [actor(a) for a in codebook.actors],
            "issues": [issue(i) for i in codebook.issues]}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def codebook_to_dict(codebook: Codebook) -> dict:
    """A codebook as :func:`codebook_from_dict` reads it back (the same fingerprint)."""
    def actor(a: Actor) -> dict:
        d = {"id": a.id, "name": a.name, "kind": a.kind, "description": a.description}
        d.update({k: list(v) for k, v in (("aliases", a.aliases), ("cased_aliases", a.cased_aliases),
                                          ("exclude", a.exclude)) if v})
        if a.part_of:
            d["part_of"] = a.part_of
        return d

    def issue(i: Issue) -> dict:
        d = {"id": i.id, "label": i.label, "description": i.description}
        return {**d, "keywords": list(i.keywords)} if i.keywords else d

    return {"name": codebook.name, "actors": [actor(a) for a in codebook.actors],
            "issues": [issue(i) for i in codebook.issues]}


def write_codebook(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as YAML that :func:`load_codebook` reads back unchanged."""
    path = Path(path)
    path.write_text(yaml.safe_dump(codebook_to_dict(codebook), allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")
    return path

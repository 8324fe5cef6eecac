"""Import and export of CAMEO/Phoenix (TABARI/PETRARCH) actor dictionaries.

Format, as read here: a record starts with a primary phrase (``_`` for spaces, a
trailing ``_`` marks the phrase's end), optionally followed on the same line by
codes; ``+phrase`` lines are synonyms; tab-indented lines carry codes. A code is
``[CODE]``, ``[CODE date-date]``, ``[CODE >date]`` (from), ``[CODE <date]`` (until),
with YYMMDD (00-30 -> 20xx, else 19xx) or YYYYMMDD dates; ``#`` starts a comment.
A CAMEO code's first three letters are a country (mostly ISO alpha-3) or a sector
(``IGO``, ``NGO``, ``IMG``, ``MNC``...); the rest are agent codes (``GOV``, ``MIL``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from stancemap.errors import KnowledgeError
from stancemap.model.types import Actor, Role
from stancemap.knowledge.text import slug

# CAMEO codes that are not the ISO alpha-3 code of the same state.
CAMEO_TO_ISO = {"KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "ZAR": "COD", "BUR": "MMR", "YUG": "SRB", "SCG": "SRB"}
ISO_TO_CAMEO = {"XKX": "KSV", "TLS": "TMP"}
# Longest-prefix table from CAMEO organisation codes to knowledge-base ids.
ORG_CODES = {
    "IGOUNO": "UN", "IGOUNOKID": "UNICEF", "IGOUNOHLHWHO": "WHO", "IGOUNOWFP": "WFP", "IGOUNOREFHCR": "UNHCR",
    "IGOUNOIAE": "IAEA", "IGOUNOJUDICJ": "ICJ", "IGOUNODEVWBK": "WB", "IGOWSTNAT": "NATO", "IGOEUREEC": "EU",
    "IGOMEAARL": "ARAB_LEAGUE", "IGOAFRAFU": "AU", "IGOMOSOIC": "OIC", "NGOHLHIRC": "ICRC", "PSEREBHMS": "HAMAS",
}
ID_TO_CODE = {v: k for k, v in ORG_CODES.items()}
SECTORS = {"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "INT", "IMH"}
AGENTS = {
    "GOV": "government", "MIL": "military", "ELI": "elite", "LEG": "legislature", "JUD": "judiciary",
    "SPY": "intelligence", "COP": "police", "OPP": "opposition", "REB": "rebels", "BUS": "business",
    "MED": "media", "CVL": "civilians", "EDU": "education", "HLH": "health", "REF": "refugees",
    "PTY": "party", "LAB": "labour", "AGR": "agriculture", "ENV": "environment", "HRI": "human rights",
}
STATE_AGENTS = {"GOV", "MIL", "SPY", "JUD", "LEG", "COP"}
_CODE_TEXT = re.compile(r"\[([^\[\]]*)\]")
_DATE = re.compile(r"^\d{6}$|^\d{8}$")


@dataclass
class ImportReport:
    """What an import brought in, and what it rejected (line number, reason)."""

    actors: list[Actor] = field(default_factory=list)
    n_records: int = 0
    n_aliases: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    agents: dict[str, str] = field(default_factory=dict)

    def reasons(self) -> dict[str, int]:
        """Rejections counted by reason (the text before the first colon)."""
        out: dict[str, int] = {}
        for _, reason in self.rejected:
            key = reason.split(":", 1)[0]
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


@dataclass
class _Code:
    code: str
    start: dt.date | None
    end: dt.date | None
    title: str = ""


@dataclass
class _Record:
    line: int
    phrase: str
    comment: str
    synonyms: list[str] = field(default_factory=list)
    inline: list[_Code] = field(default_factory=list)
    indented: list[_Code] = field(default_factory=list)


def parse_date(text: str) -> dt.date:
    """A CAMEO date: YYMMDD (00-30 -> 20xx) or YYYYMMDD."""
    if not _DATE.match(text):
        raise ValueError(f"bad date: {text!r}")
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy <= 30 else 1900 + yy}{text[2:]}"
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def parse_code(text: str) -> _Code:
    """``CODE``, ``CODE d1-d2``, ``CODE >d``, ``CODE <d`` -> :class:`_Code` (ValueError if bad)."""
    parts = text.split(None, 1)
    if not parts or not re.fullmatch(r"~?[A-Za-z0-9_:.\-]{2,}", parts[0]) or set(parts[0]) == {"-"}:
        raise ValueError(f"bad code: [{text}]")
    code, rest = parts[0], (parts[1].replace(" ", "") if len(parts) > 1 else "")
    start = end = None
    try:
        if rest.startswith(">"):
            start = parse_date(rest[1:])
        elif rest.startswith("<"):
            end = parse_date(rest[1:])
        elif rest:
            a, sep, b = rest.partition("-")
            if not sep:
                raise ValueError(f"bad date: {rest!r}")
            start, end = parse_date(a), parse_date(b)
    except ValueError as exc:
        raise ValueError(f"bad date: [{text}]") from exc
    if start and end and end < start:
        raise ValueError(f"bad date: end before start in [{text}]")
    return _Code(code, start, end)


def phrase_words(phrase: str) -> str:
    """``THE_UNITED_NATIONS_`` -> ``THE UNITED NATIONS`` (case kept)."""
    return re.sub(r"\s+", " ", phrase.strip().rstrip("_").replace("_", " ")).strip()


def phrase_text(phrase: str) -> str:
    """``THE_UNITED_NATIONS_`` -> ``The United Nations``; mixed case and short one-word
    acronyms (``USA``, ``NATO``) are kept as they are."""
    text = phrase_words(phrase)
    if not text.isupper() or (" " not in text and len(text) <= 5):
        return text
    return text.title()


def _split_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body.rstrip(), comment.strip()


def _codes(body: str, line_no: int, report: ImportReport, comment: str) -> tuple[str, list[_Code]]:
    codes = []
    for m in _CODE_TEXT.finditer(body):
        try:
            code = parse_code(m.group(1).strip())
        except ValueError as exc:
            report.rejected.append((line_no, str(exc)))
            continue
        if code.code.startswith("~"):
            report.rejected.append((line_no, f"agent code in an actor file: [{m.group(1)}]"))
            continue
        code.title = comment if comment and not comment.startswith("stancemap:") else ""
        codes.append(code)
    rest = _CODE_TEXT.sub(" ", body)
    rest = re.sub(r"\{[^}]*\}", " ", rest)
    return rest.strip(), codes


def _records(lines: Iterable[str], report: ImportReport) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for line_no, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        body, comment = _split_comment(line)
        if not body.strip():
            continue
        if body[0] in " \t":
            _, codes = _codes(body, line_no, report, comment)
            if current is None:
                report.rejected.append((line_no, "code before any record"))
            else:
                current.indented.extend(codes)
            continue
        if body.startswith("+"):
            text, codes = _codes(body[1:], line_no, report, comment)
            if current is None:
                report.rejected.append((line_no, "synonym before any record"))
            elif phrase_words(text):
                current.synonyms.append(phrase_words(text))
                current.inline.extend(codes)
            continue
        text, codes = _codes(body, line_no, report, comment)
        current = _Record(line_no, phrase_words(text), comment, inline=codes)
        if not current.phrase:
            report.rejected.append((line_no, "empty phrase"))
            current = None
            continue
        records.append(current)
    return records


def map_code(code: str, states: set[str], known: set[str]) -> tuple[str, str, bool]:
    """CAMEO code -> (actor id, agent suffix, root is a state)."""
    if code in known:
        return code, "", code in states
    for n in range(len(code), 2, -1):
        if code[:n] in ORG_CODES:
            return ORG_CODES[code[:n]], code[n:], False
    root, suffix = code[:3].upper(), code[3:]
    root = CAMEO_TO_ISO.get(root, root)
    if root in SECTORS:
        return f"CAMEO:{code}", "", False
    return root, suffix, root in states or (len(root) == 3 and root not in SECTORS and root.isalpha())


def _title(code: _Code, suffix: str) -> str:
    if code.title:
        return code.title
    words = [AGENTS.get(suffix[i:i + 3], suffix[i:i + 3].lower()) for i in range(0, len(suffix), 3)]
    return " ".join(words) or "member"


def _stancemap_tag(comment: str) -> tuple[str | None, str | None, str | None]:
    m = re.search(r"stancemap:(\S+)(?:\s+kind=(\w+))?(?:\s+part_of=(\S+))?", comment)
    return (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)


def read_actors(path: str | Path, *, known_ids: Iterable[str] | None = None,
                states: Iterable[str] | None = None) -> ImportReport:
    """Read a Phoenix ``.actors.txt`` file into actors (see the module docstring).

    ``known_ids``/``states`` default to the built-in knowledge base's ids.
    """
    if known_ids is None or states is None:
        from stancemap.knowledge.kb import KnowledgeBase

        kb = KnowledgeBase.curated()
        known_ids = {a.id for a in kb.actors() if not (a.kind == "state")} if known_ids is None else known_ids
        states = {a.id for a in kb.actors() if a.kind == "state"} if states is None else states
    known, state_ids = set(known_ids) | set(states), set(states)
    report = ImportReport()
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            records = _records(fh, report)
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror}") from exc
    merged: dict[str, dict] = {}
    for rec in records:
        _import_record(rec, merged, known, state_ids, report)
    report.actors = [_actor(d) for d in merged.values()]
    return report


def _import_record(rec: _Record, merged: dict[str, dict], known: set[str], states: set[str],
                   report: ImportReport) -> None:
    codes = rec.inline + rec.indented
    if not codes:
        report.rejected.append((rec.line, f"no code: {phrase_text(rec.phrase)}"))
        return
    tag_id, tag_kind, tag_part_of = _stancemap_tag(rec.comment)
    if not tag_id:  # a stancemap export keeps its case; Phoenix's capitals become Title Case
        rec.phrase, rec.synonyms = phrase_text(rec.phrase), [phrase_text(x) for x in rec.synonyms]
    report.n_records += 1
    report.n_aliases += 1 + len(rec.synonyms)
    # a code on the primary line names an entity (its indented codes are its history);
    # a record whose codes are all indented, dated or several is a person with roles
    person = not rec.inline or any(c.start or c.end for c in rec.inline) or len({c.code for c in rec.inline}) > 1
    if person and tag_kind not in (None, "person"):
        person = False
    if person:
        entry_id = tag_id or f"person:{slug(rec.phrase)}"
        d = merged.setdefault(entry_id, {"id": entry_id, "name": rec.phrase, "kind": "person", "aliases": [],
                                         "roles": [], "part_of": None, "description": ""})
        for c in codes:
            root, suffix, _ = map_code(c.code, states, known)
            d["roles"].append(Role(of=root, title=_title(c, suffix), start=c.start, end=c.end))
    else:
        code = codes[0]
        root, suffix, is_state = map_code(code.code, states, known)
        if tag_id:
            entry_id, kind, part_of = tag_id, tag_kind or ("state" if is_state else "organisation"), tag_part_of
        elif root.startswith("CAMEO:") or (suffix and suffix[:3] not in STATE_AGENTS):
            entry_id, kind, part_of = f"phoenix:{slug(rec.phrase)}", "group", None
        elif suffix:
            entry_id, kind, part_of = f"{root}-{suffix}", "organisation", root
        else:
            entry_id, kind, part_of = root, "state" if is_state else "organisation", None
        d = merged.setdefault(entry_id, {"id": entry_id, "name": rec.phrase, "kind": kind, "aliases": [],
                                         "roles": [], "part_of": part_of,
                                         "description": f"CAMEO code {code.code}" if not tag_id else ""})
        if rec.phrase != d["name"]:
            d["aliases"].append(rec.phrase)
    d["aliases"].extend(s for s in rec.synonyms if s != d["name"])


def _actor(d: dict) -> Actor:
    aliases = tuple(dict.fromkeys(a for a in d["aliases"] if a != d["name"]))
    return Actor(id=d["id"], name=d["name"], kind=d["kind"], description=d["description"], aliases=aliases,
                 roles=tuple(d["roles"]), part_of=d["part_of"])


# -- agents -----------------------------------------------------------------------------
def read_agents(path: str | Path) -> ImportReport:
    """Read ``Phoenix.agents.txt``: ``report.agents`` maps each lower-case agent noun
    (``!MACRO!`` expanded, plurals as listed) to its agent code (``GOV``)."""
    report = ImportReport()
    macros: dict[str, list[str]] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror}") from exc
    for line_no, line in enumerate(lines, 1):
        body, _ = _split_comment(line)
        body = body.strip()
        if not body:
            continue
        m = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", body)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        codes = _CODE_TEXT.findall(body)
        phrase = re.sub(r"\{[^}]*\}", " ", _CODE_TEXT.sub(" ", body)).strip()
        if not codes or not codes[0].strip().startswith("~"):
            report.rejected.append((line_no, f"no agent code: {body[:40]}"))
            continue
        if not phrase:
            report.rejected.append((line_no, "empty phrase"))
            continue
        report.n_records += 1
        for form in _expand(phrase, macros):
            report.agents[phrase_text(form).lower()] = codes[0].strip()[1:]
            report.n_aliases += 1
    return report


def _expand(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    m = re.search(r"![A-Z]+!", phrase)
    if not m or m.group(0) not in macros:
        return [phrase]
    out = []
    for word in macros[m.group(0)]:
        out.extend(_expand(phrase[: m.start()] + word + phrase[m.end():], macros))
    return out


# -- export -------------------------------------------------------------------------------
def _code_for(actor_id: str, states: set[str]) -> str:
    if actor_id in ID_TO_CODE:
        return ID_TO_CODE[actor_id]
    return ISO_TO_CAMEO.get(actor_id, actor_id)


def _phrase(name: str) -> str:
    return "_".join(name.split()) + "_"


def _date(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def write_actors(actors: Iterable[Actor], fh: TextIO) -> int:
    """Write actors in Phoenix format (re-importable with :func:`read_actors`); returns the count
    written (people without any role are skipped: they have no code).

    Each record's comment carries ``stancemap:ID kind=KIND`` so that ids survive a
    round trip; roles are indented codes (``USAGOV`` for a state) with the title as comment.
    """
    actors = list(actors)
    states = {a.id for a in actors if a.kind == "state"}
    fh.write("# Actor dictionary exported by stancemap (CAMEO/Phoenix format)\n\n")
    written = 0
    for a in actors:
        if a.kind == "person" and not a.roles:
            continue  # a person without an office has no code to carry
        written += 1
        tag = f"# stancemap:{a.id} kind={a.kind}" + (f" part_of={a.part_of}" if a.part_of else "")
        if a.kind == "person":
            fh.write(f"{_phrase(a.name)}  {tag}\n")
        else:
            fh.write(f"{_phrase(a.name)} [{_code_for(a.id, states)}]  {tag}\n")
        for alias in a.aliases:
            if "[" not in alias and "#" not in alias:
                fh.write(f"+{_phrase(alias)}\n")
        for r in a.roles if a.kind == "person" else ():
            code = _code_for(r.of, states) + ("GOV" if len(r.of) == 3 and r.of.isupper() else "")
            when = (f" {_date(r.start)}-{_date(r.end)}" if r.start and r.end else
                    f" >{_date(r.start)}" if r.start else f" <{_date(r.end)}" if r.end else "")
            fh.write(f"\t[{code}{when}]  # {r.title}\n")
        fh.write("\n")
    return written

"""News-database exports: LexisNexis (Nexis Uni) plain text and Factiva's tagged text.

LexisNexis: documents end with a line ``End of Document``; each starts with the headline,
then the source, then the date (``October 10, 2023 Tuesday``), then ``Key: value`` lines
(``Section:``, ``Length:``, ``Byline:``...), a line ``Body``, the text, and ``Load-Date:``.

Factiva: each field starts a line with its code (``HD`` headline, ``PD`` date, ``SN`` source,
``LP`` lead paragraph, ``TD`` text, ``AN`` accession number, which ends a document); a
field's further lines follow it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from stancemap.ingest.records import Record, record, rejected, stable_id
from stancemap.ingest.source import ReadOptions, Source

_END = re.compile(r"^\s*End of Document\s*$", re.M)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTH_ABBR = {k[:3]: v for k, v in _MONTHS.items()}
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_META = re.compile(r"^(Section|Length|Byline|Dateline|Highlight|Edition|Version|Publication-Type|Language|"
                   r"Load-Date|Type|Journal Code|Document-Type|Graphic|Correction|Notes|Subject|Geographic|"
                   r"Company|Industry|Person|Ticker|Copyright|Classification)\s*:", re.I)
_FACTIVA_FIELD = re.compile(r"^(HD|BY|CR|WC|PD|ET|SN|SC|ED|PG|VOL|LA|CY|LP|TD|CT|RF|CO|IN|NS|RE|IPC|IPD|PUB|AN|SE|ART)"
                            r"(?:\s{1,8}|$)(.*)$")


def month_date(s: str) -> dt.date | None:
    """A date written ``October 10, 2023``, ``10 October 2023`` or ``2023-10-10``."""
    for rx, order in ((_ISO, "ymd"), (_MDY, "mdy"), (_DMY, "dmy")):
        m = rx.search(s)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = parts["m"]
        mo = int(month) if month.isdigit() else _MONTHS.get(month.lower()) or _MONTH_ABBR.get(month.lower()[:3])
        if not mo:
            continue
        try:
            return dt.date(int(parts["y"]), mo, int(parts["d"]))
        except ValueError:
            continue
    return None


def looks_like_lexisnexis(head: str) -> bool:
    return bool(_END.search(head)) or (bool(re.search(r"^Body\s*$", head, re.M)) and "Load-Date:" in head)


def looks_like_factiva(head: str) -> bool:
    codes = {m.group(1) for line in head.splitlines()[:400] if (m := _FACTIVA_FIELD.match(line))}
    return "HD" in codes and bool(codes & {"TD", "LP"}) and bool(codes & {"PD", "AN"})


def read_lexisnexis(text: str, src: Source, opts: ReadOptions) -> Iterator[Record]:
    line = 1
    pos = 0
    chunks = [(m.start(), m.end()) for m in _END.finditer(text)]
    if not chunks or text[chunks[-1][1]:].strip():
        chunks.append((len(text), len(text)))
    for start_end, end_end in chunks:
        doc = text[pos:start_end]
        first = line + doc[: len(doc) - len(doc.lstrip())].count("\n")
        if doc.strip():
            yield _nexis_doc(doc, first, src, opts)
        line += text[pos:end_end].count("\n")
        pos = end_end


def _nexis_doc(doc: str, line: int, src: Source, opts: ReadOptions) -> Record:
    where = f"{src.name}:{line}"
    lines = [x.strip() for x in doc.strip().split("\n")]
    head = [x for x in lines[:12] if x]
    try:
        body_at = lines.index("Body")
    except ValueError:
        return rejected(where, "field 'text': no 'Body' line in this LexisNexis document", "text", src.name)
    body = []
    for x in lines[body_at + 1:]:
        if re.match(r"^(Load-Date|Classification|Graphic|Notes)\s*:?", x):
            break
        body.append(x)
    title = head[0] if head else ""
    source = head[1] if len(head) > 1 else ""
    date = None
    for x in head[1:6]:
        if (date := month_date(x)) is not None:
            break
    if date is None:
        load = next((x for x in lines if x.lower().startswith("load-date:")), "")
        date = month_date(load)
    text = "\n".join(body).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    fields = {"id": stable_id("nexis", f"{source}|{date}|{title}"), "date": date, "source": source, "title": title,
              "text": text}
    if date is None:
        fields["date"] = opts.date
        if opts.date is None:
            return rejected(where, f"field 'date': no date line under the headline {title[:60]!r}; pass --date", "date", src.name)
    return record(fields, where, src.name, max_chars=opts.limits.max_article_chars)


def read_factiva(text: str, src: Source, opts: ReadOptions) -> Iterator[Record]:
    fields: dict[str, list[str]] = {}
    current = None
    start = 0
    for n, raw in enumerate(text.split("\n"), 1):
        m = _FACTIVA_FIELD.match(raw)
        if m:
            code = m.group(1)
            if code == "HD" and fields:
                yield _factiva_doc(fields, start, src, opts)
                fields = {}
            if not fields:
                start = n
            current = code
            fields.setdefault(code, []).append(m.group(2).strip())
            if code == "AN":
                yield _factiva_doc(fields, start, src, opts)
                fields, current = {}, None
        elif current and raw.strip():
            fields[current].append(raw.strip())
        elif current in ("LP", "TD") and not raw.strip():
            fields[current].append("")
    if fields and any(v for k, v in fields.items() if k in ("LP", "TD")):
        yield _factiva_doc(fields, start, src, opts)


def _factiva_doc(fields: dict[str, list[str]], line: int, src: Source, opts: ReadOptions) -> Record:
    where = f"{src.name}:{line}"
    get = lambda k: " ".join(x for x in fields.get(k, []) if x).strip()  # noqa: E731
    para = lambda k: re.sub(r"\n{3,}", "\n\n", "\n".join(fields.get(k, [])).strip())  # noqa: E731
    text = "\n\n".join(p for p in (para("LP"), para("TD")) if p)
    date = month_date(get("PD"))
    an = get("AN").removeprefix("Document ").strip()
    title = get("HD")
    out = {"id": an or stable_id("factiva", f"{get('SN')}|{date}|{title}"), "date": date or opts.date,
           "source": get("SN"), "title": title, "text": text}
    if out["date"] is None:
        return rejected(where, f"field 'date': no PD (publication date) field for {title[:60]!r}; pass --date", "date", src.name)
    return record(out, where, src.name, max_chars=opts.limits.max_article_chars)

"""Claims as tables for other tools: CSV and JSON Lines for pandas/R, and a DNA statement table.

The Discourse Network Analyzer codes a *statement* as a text span with the variables
``person``, ``organization``, ``concept`` and ``agreement`` (its default statement type).
``dna_rows`` maps each claim onto exactly that: the speaker as written, the actor, the issue's
label, and 1 for support / 0 for oppose, with the document and character offsets of the
evidence, so that a DNA user can re-create the statements or compare codings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO

CLAIM_COLUMNS = ["id", "date", "article_id", "source", "actor", "issue", "stance", "confidence", "speaker",
                 "cue", "object", "evidence", "ev_start", "ev_end", "status", "extractor", "extractor_version"]
DNA_COLUMNS = ["statement_id", "document_id", "start", "stop", "date", "person", "organization", "concept",
               "agreement", "coder", "confidence"]


def dna_rows(claims: Iterable[Mapping], labels: Mapping[str, str]) -> Iterator[dict]:
    """DNA statement rows (person, organization, concept, agreement) from stored claims."""
    for c in claims:
        yield {
            "statement_id": c["id"], "document_id": c["article_id"], "start": c["ev_start"], "stop": c["ev_end"],
            "date": str(c["date"]), "person": c.get("speaker") or "", "organization": c["actor"],
            "concept": labels.get(c["issue"], c["issue"]), "agreement": 1 if c["stance"] == "support" else 0,
            "coder": f"{c['extractor']} {c['extractor_version']}" if c.get("status") == "machine" else c.get("status", ""),
            "confidence": c["confidence"],
        }


def write_csv(rows: Iterable[Mapping], columns: list[str], fh: IO[str]) -> int:
    w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    n = 0
    for r in rows:
        w.writerow({k: r.get(k) for k in columns})
        n += 1
    return n


def write_jsonl(rows: Iterable[Mapping], columns: list[str], fh: IO[str]) -> int:
    n = 0
    for r in rows:
        fh.write(json.dumps({k: r.get(k) for k in columns}, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n

"""The common input of every analysis: counted cells and their strongest quotes.

A :class:`Cell` is what SQL aggregation returns for one (actor, issue, stance[, bucket]):
how many claims, how many *distinct stories* (distinct evidence text: a story reprinted
by several outlets counts once), and the summed confidence. An :class:`Evidence` is one
quote. A :class:`Basis` holds both; it is built either by the store's aggregation queries
(fast, on millions of claims) or from a list of claims by :func:`basis_from_claims`, so the
analyses below never need to know which.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from stancemap.model import Claim


@dataclass(frozen=True, slots=True)
class Cell:
    """Counts for one actor's stance on one issue (in one time bucket, when ``bucket`` is set).

    ``w`` is the sum of the claims' confidence, so ``w / n_claims`` is their mean confidence.
    """

    actor: str
    issue: str
    stance: str
    n_claims: int
    n_distinct: int
    w: float
    bucket: dt.date | None = None

    @property
    def weight(self) -> float:
        """Distinct stories times mean confidence: confidence-weighted, reprints counted once."""
        return self.n_distinct * (self.w / self.n_claims) if self.n_claims else 0.0


class Evidence(BaseModel):
    """A quote behind a claim. ``source`` and ``confidence`` travel along but stay out of JSON."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    actor: str
    quote: str
    date: dt.date
    issue: str = Field(default="", exclude=True)
    stance: str = Field(default="", exclude=True)
    source: str = Field(default="", exclude=True)
    confidence: float = Field(default=0.0, exclude=True)


@dataclass(frozen=True)
class Basis:
    """Counted cells plus the strongest quotes per cell: what every analysis reads."""

    cells: tuple[Cell, ...]
    evidence: tuple[Evidence, ...] = ()
    n_articles: int | None = None
    labels: Mapping[str, str] = field(default_factory=dict)

    def actors(self) -> list[str]:
        return sorted({c.actor for c in self.cells})

    def issues(self) -> list[str]:
        return sorted({c.issue for c in self.cells})

    @property
    def n_claims(self) -> int:
        return sum(c.n_claims for c in self.cells)


def _field(claim: Claim | Mapping[str, Any], name: str) -> Any:
    if isinstance(claim, Mapping):
        return claim.get(name)
    if name == "ev_start":
        return claim.start
    return getattr(claim, name, None)


def _norm_quote(text: str) -> str:
    return " ".join(text.split()).casefold()


def _stance(claim) -> str:
    s = _field(claim, "stance")
    return getattr(s, "value", s)


def _in_range(d: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or d >= since) and (until is None or d <= until)


def _keep(claim) -> bool:
    return _field(claim, "issue") is not None and _field(claim, "status") != "rejected"


def evidence_of(claim) -> Evidence:
    """The :class:`Evidence` of one claim (a ``Claim`` or a store row dict)."""
    return Evidence(
        article_id=_field(claim, "article_id"), actor=_field(claim, "actor"), quote=_field(claim, "evidence"),
        date=_field(claim, "date"), issue=_field(claim, "issue"), stance=_stance(claim),
        source=_field(claim, "source") or "", confidence=float(_field(claim, "confidence") or 0.0),
    )


def count_cells(claims: Iterable, *, bucket=None) -> list[Cell]:
    """Aggregate claims into cells, as the SQL queries do. ``bucket`` maps a date to its bucket."""
    acc: dict[tuple, list] = defaultdict(lambda: [0, set(), 0.0])
    for c in claims:
        b = bucket(_field(c, "date")) if bucket else None
        slot = acc[(_field(c, "actor"), _field(c, "issue"), _stance(c), b)]
        slot[0] += 1
        slot[1].add(_norm_quote(_field(c, "evidence")))
        slot[2] += float(_field(c, "confidence") or 0.0)
    return [Cell(a, i, s, n, len(q), w, b) for (a, i, s, b), (n, q, w) in sorted(acc.items(), key=_sort_key)]


def _sort_key(item):
    (a, i, s, b), _ = item
    return (a, i, s, b or dt.date.min)


def top_quotes(evidence: Iterable[Evidence], *, per_cell: int = 3) -> list[Evidence]:
    """The strongest distinct quotes per (actor, issue, stance): most confident, then newest."""
    seen: set[tuple] = set()
    counts: dict[tuple, int] = defaultdict(int)
    kept = []
    for e in sorted(evidence, key=lambda e: (-e.confidence, -e.date.toordinal(), e.article_id)):
        cell = (e.actor, e.issue, e.stance)
        key = (*cell, _norm_quote(e.quote))
        if key in seen or counts[cell] >= per_cell:
            continue
        seen.add(key)
        counts[cell] += 1
        kept.append(e)
    return kept


def basis_from_claims(claims: Iterable, *, since: dt.date | None = None, until: dt.date | None = None,
                      actors: Iterable[str] | None = None, per_cell: int = 3, bucket=None) -> Basis:
    """A :class:`Basis` from claims (``Claim`` objects or store rows), filtered like the store."""
    wanted = set(actors) if actors else None
    kept = [c for c in claims if _keep(c) and _in_range(_field(c, "date"), since, until)
            and (wanted is None or _field(c, "actor") in wanted)]
    evidence = top_quotes((evidence_of(c) for c in kept), per_cell=per_cell)
    return Basis(cells=tuple(count_cells(kept, bucket=bucket)), evidence=tuple(evidence),
                 n_articles=len({_field(c, "article_id") for c in kept}))


def window(basis: Basis, since: dt.date | None, until: dt.date | None) -> Basis:
    """The part of a Basis inside [since, until]: bucketed cells by bucket, quotes by date.

    Cells without a bucket cannot be cut and are kept: they were counted for a window already.
    """
    if since is None and until is None:
        return basis
    cells = tuple(c for c in basis.cells if c.bucket is None or _in_range(c.bucket, since, until))
    evidence = tuple(e for e in basis.evidence if _in_range(e.date, since, until))
    return Basis(cells=cells, evidence=evidence, n_articles=basis.n_articles, labels=basis.labels)


def as_basis(data, *, since: dt.date | None = None, until: dt.date | None = None, **kwargs) -> Basis:
    """Accept a :class:`Basis` (cut to the window), or build one from a list of claims."""
    if isinstance(data, Basis):
        return window(data, since, until)
    return basis_from_claims(data, since=since, until=until, **kwargs)

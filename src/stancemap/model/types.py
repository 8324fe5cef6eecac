"""Pydantic v2 models for stancemap's records.

These are the only records that pass between layers (ingest -> extract ->
store -> analyze -> faces). They validate on construction, so a bad value is
caught where it enters, with the field named in the message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Stance(StrEnum):
    """A stance is always toward the issue *as the codebook words it*."""

    SUPPORT = "support"
    OPPOSE = "oppose"

    @property
    def sign(self) -> int:
        return 1 if self is Stance.SUPPORT else -1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_WS = re.compile(r"\s+")


def text_fingerprint(text: str) -> str:
    """A hash of an article's text that ignores case, Unicode form and whitespace.

    Two copies of a story that differ only in line breaks or spacing are one article.
    """
    norm = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class Article(_Frozen):
    """A dated news article."""

    id: NonEmpty
    date: dt.date
    source: str = ""
    title: str = ""
    url: str = ""
    text: NonEmpty

    @field_validator("id", "source", "title", "url", "text", mode="before")
    @classmethod
    def _no_nul(cls, v: object) -> object:
        """U+0000 is not text (PostgreSQL refuses it): scraped files sometimes carry it."""
        return v.replace("\x00", "") if isinstance(v, str) else v

    @property
    def fingerprint(self) -> str:
        return text_fingerprint(self.text)


class Role(_Frozen):
    """An office or membership through which an entry speaks for an actor, between dates.

    ``of`` is the actor spoken for (``USA``); ``start``/``end`` are inclusive and
    open-ended when ``None``.
    """

    of: NonEmpty
    title: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Role":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"role {self.title!r} of {self.of}: end {self.end} is before start {self.start}")
        return self

    def active(self, on: dt.date | None) -> bool:
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


ActorKind = Literal["state", "organisation", "group", "person", "party", "company", "other"]


class Actor(_Frozen):
    """An actor: a state, organisation, armed group, party, firm, or a person.

    ``part_of`` ties a body to a larger actor (UNICEF -> UN); ``roles`` tie a
    person to the actors they speak for, with dates.
    """

    id: NonEmpty
    name: NonEmpty
    kind: ActorKind = "other"
    description: str = ""
    aliases: tuple[str, ...] = ()
    cased_aliases: tuple[str, ...] = ()  # matched with exact case only: "Labour", "UKIP", "Tories"
    roles: tuple[Role, ...] = ()
    part_of: str | None = None
    exclude: tuple[str, ...] = ()  # in a codebook: names or KB entries that do not count ("IDF")

    def roles_on(self, on: dt.date | None) -> list[Role]:
        return [r for r in self.roles if r.active(on)]


class Issue(_Frozen):
    """A contested proposition from a codebook; stance is toward it as worded."""

    id: NonEmpty
    label: NonEmpty
    description: str = ""
    keywords: tuple[str, ...] = ()


class Codebook(_Frozen):
    """The actors and issues a user codes for."""

    name: NonEmpty
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> "Codebook":
        for kind, ids in (("actor", [a.id for a in self.actors]), ("issue", [i.id for i in self.issues])):
            seen: set[str] = set()
            for i in ids:
                if i in seen:
                    raise ValueError(f"duplicate {kind} id {i!r}")
                seen.add(i)
        return self

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def issue(self, issue_id: str) -> Issue | None:
        return next((i for i in self.issues if i.id == issue_id), None)

    @property
    def fingerprint(self) -> str:
        """A short hash of the codebook's content: a changed codebook is a new codebook."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]


class Claim(_Frozen):
    """An actor's stance on an issue, with the evidence sentence behind it.

    ``evidence`` is copied verbatim from the article: ``article.text[start:end] == evidence``.
    ``issue`` is ``None`` for a stance whose object maps to no codebook issue; ``object``
    keeps the object's words so that the codebook can grow.
    """

    article_id: NonEmpty
    date: dt.date
    actor: NonEmpty
    issue: str | None
    stance: Stance
    evidence: NonEmpty
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    speaker: str = ""
    cue: str = ""
    object: str = ""
    confidence: float = Field(ge=0.0, le=1.0)
    extractor: NonEmpty = "stancemap.rules"
    extractor_version: NonEmpty = "0"

    @model_validator(mode="after")
    def _span(self) -> "Claim":
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before start {self.start}")
        if self.end - self.start != len(self.evidence):
            raise ValueError("evidence offsets do not match the evidence's length")
        return self

    @field_validator("confidence")
    @classmethod
    def _round(cls, v: float) -> float:
        return round(v, 4)

    def scored(self) -> dict:
        """The shape scored on held-out articles (one claim a line)."""
        return {
            "article_id": self.article_id,
            "actor": self.actor,
            "issue": self.issue,
            "stance": self.stance.value,
            "evidence": self.evidence,
            "speaker": self.speaker,
            "confidence": self.confidence,
            "start": self.start,
            "end": self.end,
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
        }

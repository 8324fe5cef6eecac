"""Where bytes come from: a file, a gzip file, an archive member or a downloaded body.

A :class:`Source` names itself for messages (``FILE``, ``ARCHIVE!MEMBER``, ``URL``) and
opens as a binary stream whose decompressed size is capped (:mod:`stancemap.ingest.limits`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stancemap.ingest.limits import DEFAULT_LIMITS, Limits, TooLarge, capped


@dataclass(frozen=True)
class ReadOptions:
    """What the caller says about the input: a date for undated text, CSV columns, the
    encoding, the limits."""

    date: dt.date | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True)
class Source:
    name: str                               # for messages: the path, ARCHIVE!MEMBER or URL
    opener: Callable[[], io.IOBase]         # raw binary stream (compressed as stored)
    size: int | None = None                 # bytes as stored, when known
    url: str = ""

    @property
    def lower(self) -> str:
        return self.name.lower()

    @property
    def gzipped(self) -> bool:
        return self.lower.endswith(".gz")

    @property
    def stem(self) -> str:
        base = self.name.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        for ext in (".gz",):
            if base.lower().endswith(ext):
                base = base[: -len(ext)]
        return base.rsplit(".", 1)[0] if "." in base else base

    def open(self, limits: Limits):
        """A buffered binary stream of the content, decompressed, raising TooLarge past the cap."""
        raw = self.opener()
        if self.gzipped:
            raw = gzip.GzipFile(fileobj=raw, mode="rb")
        return capped(raw, limits.max_decompressed_bytes)

    def read_all(self, limit: int, limits: Limits, what: str = "file size") -> bytes:
        """The whole content; TooLarge when it passes ``limit`` bytes (a file read whole)."""
        with self.open(limits) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(limit, what, "")
        return data


def file_source(path: Path) -> Source:
    return Source(str(path), lambda: open(path, "rb"), path.stat().st_size)


def bytes_source(name: str, data: bytes, url: str = "") -> Source:
    return Source(name, lambda: io.BytesIO(data), len(data), url)


def member_source(archive: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Source:
    return Source(f"{archive}!{info.filename}", lambda: zf.open(info), info.file_size)

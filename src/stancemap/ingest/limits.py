"""Limits on what a file may make us hold: each has a default and a command-line option.

Memory stays bounded whatever the input: lines are read at most ``max_line_bytes`` at a time
(a longer line is skipped, not held), decompression stops at ``max_decompressed_bytes``, a
JSON line is checked for depth before it is parsed, and an article longer than
``max_article_chars`` is refused at ingest (the parser reads at most 1,000,000 characters).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    max_decompressed_bytes: int = 4096 * MiB  # --max-decompressed (per file or archive member)
    max_line_bytes: int = 16 * MiB            # --max-line (a JSONL or CSV line)
    max_article_chars: int = 1_000_000        # --max-article-chars (spaCy's max_length)
    max_json_depth: int = 64                  # --max-json-depth
    max_file_bytes: int = 64 * MiB            # a news-database export, read whole
    max_page_bytes: int = 16 * MiB            # a web page or feed file, read whole (lxml builds a tree)


DEFAULT_LIMITS = Limits()


class TooLarge(Exception):
    """Raised by :class:`CappedReader` when the limit is passed."""

    def __init__(self, limit: int, what: str = "decompressed size", option: str = "--max-decompressed"):
        self.limit = limit
        super().__init__(f"{what} passes the limit of {limit:,} bytes" + (f" ({option})" if option else ""))


class CappedReader(io.RawIOBase):
    """A binary stream that raises :class:`TooLarge` once more than ``limit`` bytes are read."""

    def __init__(self, raw, limit: int):
        self._raw = raw
        self._limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = self._raw.readinto(buf) if hasattr(self._raw, "readinto") else _readinto(self._raw, buf)
        self.count += n
        if self.count > self._limit:
            raise TooLarge(self._limit)
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _readinto(raw, buf) -> int:
    data = raw.read(len(buf))
    buf[: len(data)] = data
    return len(data)


def capped(raw, limit: int) -> io.BufferedReader:
    return io.BufferedReader(CappedReader(raw, limit), buffer_size=256 * 1024)


def bounded_lines(fh, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line_number, bytes)`` for each line; ``bytes`` is None for a line over ``max_line``
    (its rest is read and dropped in pieces, never held)."""
    n = 0
    while True:
        line = fh.readline(max_line + 1)
        if not line:
            return
        n += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(MiB)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
        else:
            yield n, line


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_over(line: str, limit: int) -> int | None:
    """The nesting depth of a JSON text when it passes ``limit``, else None (cheap when shallow)."""
    if line.count("[") + line.count("{") <= limit:
        return None
    brackets = _NOT_BRACKET.sub("", _STRING.sub('""', line))
    if not brackets:
        return None
    arr = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    steps = np.where((arr == ord("[")) | (arr == ord("{")), 1, -1)
    depth = int(np.cumsum(steps).max())
    return depth if depth > limit else None


def parse_size(text: str) -> int:
    """``4G``, ``16M``, ``512k`` or a number of bytes."""
    s = str(text).strip().upper().removesuffix("B").removesuffix("I")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    try:
        if s and s[-1] in mult:
            return int(float(s[:-1]) * mult[s[-1]])
        return int(s)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a size (4G, 16M, 512K or bytes)") from None

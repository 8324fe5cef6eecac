"""The readers' entry points: ``read_path`` / ``read_paths`` with the caller's options.

Each format has its module (:mod:`~stancemap.ingest.jsonl`, :mod:`~stancemap.ingest.csvfile`,
:mod:`~stancemap.ingest.plain`, :mod:`~stancemap.ingest.exports`, :mod:`~stancemap.ingest.html`,
:mod:`~stancemap.ingest.feeds`); :mod:`~stancemap.ingest.walk` chooses among them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from stancemap.ingest import walk
from stancemap.ingest.limits import DEFAULT_LIMITS, Limits
from stancemap.ingest.records import FIELDS, Record
from stancemap.ingest.source import ReadOptions
from stancemap.ingest.text import check_encoding

__all__ = ["FIELDS", "Record", "read_path", "read_paths", "options"]


def options(
    *,
    date: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> ReadOptions:
    return ReadOptions(date=date, columns=dict(columns or {}), encoding=check_encoding(encoding) if encoding else None,
                       limits=limits or DEFAULT_LIMITS)


def read_path(path: str | Path, **kw) -> Iterator[Record]:
    """Read one file (or every readable file under a folder), choosing the reader by name and content.

    A ``.txt`` file starting with ``date YYYY-MM-DD`` is dated by that line; other plain text
    files need ``date``. Keywords: ``date``, ``columns``, ``encoding``, ``limits``.
    """
    return walk.read_path(path, opts=options(**kw))


def read_paths(paths: Iterable[str | Path], **kw) -> Iterator[Record]:
    return walk.read_paths(paths, opts=options(**kw))

"""Readers that turn files, archives and web pages into Articles, streaming, one record at a time.

Every reader yields :class:`Record` items: either an ``Article`` or an ``InputError`` naming
the file, line and field of a bad record, so that a caller stores the good ones and reports
the bad ones without stopping. :class:`Limits` bound what any input can make us hold.
"""

from stancemap.ingest.limits import DEFAULT_LIMITS, Limits
from stancemap.ingest.readers import Record, options, read_path, read_paths

__all__ = ["DEFAULT_LIMITS", "Limits", "Record", "options", "read_path", "read_paths"]

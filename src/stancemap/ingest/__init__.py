"""Readers that turn files into Articles, streaming, one record at a time.

Every reader yields :class:`Record` items: either an ``Article`` or an
``InputError`` naming the file, line and field of a bad record, so that a
caller stores the good ones and reports the bad ones without stopping.
"""

from stancemap.ingest.readers import Record, read_path, read_paths

__all__ = ["Record", "read_path", "read_paths"]

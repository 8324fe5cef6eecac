"""Choosing the reader: by extension, then by content; folders walked, ``.zip`` opened.

Folders are walked in name order; hidden files are skipped; a FIFO, a device, a socket or a
file that cannot be read is reported (``FILE:0: reason``) and the walk goes on. Nothing is
extracted to disk: archive members are read as streams, each capped like a file.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from stancemap.ingest.csvfile import read_csv
from stancemap.ingest.feeds import looks_like_feed, read_feed
from stancemap.ingest.html import looks_like_html, read_html
from stancemap.ingest.jsonl import read_jsonl
from stancemap.ingest.limits import TooLarge
from stancemap.ingest.plain import read_text
from stancemap.ingest.records import Record, rejected
from stancemap.ingest.source import ReadOptions, Source, file_source, member_source

_BY_EXT = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".zip": "zip",
    ".txt": "text", ".text": "text", ".md": "text", "": "sniff",
}
_BINARY = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x7fELF")
MAX_MEMBERS = 100_000


def kind_of(src: Source, head: bytes) -> str:
    """The reader for ``src``: its extension first, its first bytes when that says nothing."""
    name = src.lower.rsplit("!", 1)[-1].rsplit("/", 1)[-1].removesuffix(".gz")
    ext = "." + name.rsplit(".", 1)[1] if "." in name else ""
    kind = _BY_EXT.get(ext, "sniff")
    if kind in ("text", "sniff"):
        kind = _sniff(head) or ("text" if kind == "text" else "unknown")
    return kind


def _sniff(head: bytes) -> str | None:
    h = head.lstrip()
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_BINARY):
        return "binary"
    if h.startswith(b"{"):
        return "jsonl"
    if looks_like_feed(h) and h.startswith(b"<"):
        return "feed"
    if looks_like_html(h):
        return "html"
    if head[:4096].count(0) > len(head[:4096]) // 10 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"  # a stray NUL is cleaned; a tenth of them is not text
    return "text"


def read_source(src: Source, opts: ReadOptions) -> Iterator[Record]:
    try:
        with src.open(opts.limits) as fh:
            head = fh.peek(4096)[:4096]
    except TooLarge as e:
        yield rejected(f"{src.name}:0", str(e), "file", src.name)
        return
    except (OSError, EOFError) as e:
        yield rejected(f"{src.name}:0", f"cannot read: {e}", "file", src.name)
        return
    kind = kind_of(src, head)
    if kind == "zip" and src.gzipped:
        kind = "binary"
    readers = {"jsonl": read_jsonl, "csv": read_csv, "html": read_html, "feed": read_feed, "text": read_text}
    if kind in readers:
        yield from readers[kind](src, opts)
    elif kind == "zip" and "!" not in src.name:
        yield from read_zip(Path(src.name), opts)
    elif kind == "zip":
        yield rejected(f"{src.name}:0", "an archive inside an archive is not read", "file", src.name)
    else:
        yield rejected(f"{src.name}:0", "not a text, JSONL, CSV, HTML, feed or zip file; skipped", "file", src.name)


def read_zip(path: Path, opts: ReadOptions) -> Iterator[Record]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        yield rejected(f"{path}:0", f"not a readable zip archive ({e})", "file", str(path))
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not _hidden(i.filename)]
        if len(infos) > MAX_MEMBERS:
            yield rejected(f"{path}:0", f"{len(infos):,} members, over {MAX_MEMBERS:,}", "file", str(path))
            return
        for info in sorted(infos, key=lambda i: i.filename):
            src = member_source(path, zf, info)
            try:
                yield from read_source(src, opts)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as e:  # corrupt, unsupported, encrypted
                yield rejected(f"{src.name}:0", f"cannot read the member ({e})", "file", src.name)


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))


def read_path(path: str | Path, *, opts: ReadOptions | None = None) -> Iterator[Record]:
    """Read one file, archive or folder (recursively), each file by the reader it needs."""
    opts = opts or ReadOptions()
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        kind = "a broken link" if path.is_symlink() else "no such file"
        yield rejected(f"{path}:0", kind, "path", str(path))
        return
    except OSError as e:
        yield rejected(f"{path}:0", f"cannot read: {e.strerror}", "path", str(path))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(path, opts)
    elif not stat.S_ISREG(st.st_mode):
        what = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
        yield rejected(f"{path}:0", f"{what}, not a regular file; skipped", "path", str(path))
    elif not os.access(path, os.R_OK):
        yield rejected(f"{path}:0", "cannot read: permission denied", "path", str(path))
    elif path.name.lower().endswith(".zip"):
        yield from read_zip(path, opts)
    else:
        try:
            src = file_source(path)
            yield from read_source(src, opts)
        except PermissionError:
            yield rejected(f"{path}:0", "cannot read: permission denied", "path", str(path))


def _walk(folder: Path, opts: ReadOptions) -> Iterator[Record]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        yield rejected(f"{folder}:0", f"cannot list the folder: {e.strerror}", "path", str(folder))
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        if e.is_dir(follow_symlinks=False):
            yield from _walk(p, opts)
        else:
            yield from read_path(p, opts=opts)


def read_paths(paths: Iterable[str | Path], *, opts: ReadOptions | None = None) -> Iterator[Record]:
    for p in paths:
        yield from read_path(p, opts=opts)

"""Bytes to clean text: BOMs, a given encoding, or one detected (charset-normalizer).

Text is normalised the same way everywhere: CRLF and CR become LF, NUL and the other
control characters (except tab and newline) are dropped.
"""

from __future__ import annotations

import codecs
import re

from stancemap.errors import InputError

_BOMS = [  # longest first: UTF-32 LE's BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029")
SAMPLE = 256 * 1024


def clean(text: str) -> str:
    """LF line ends; no NUL, no control characters but tab and newline."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", text))


def check_encoding(name: str) -> str:
    """The codec's canonical name, or an InputError for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError("--encoding", f"unknown encoding {name!r}", "encoding") from None


def sniff_bom(head: bytes) -> tuple[str, int] | None:
    """``(encoding, bom_length)`` when ``head`` starts with a byte-order mark."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, len(bom)
    return None


def guess_encoding(sample: bytes) -> str | None:
    """The encoding of ``sample``: UTF-8 when it decodes, else charset-normalizer's best guess.

    Among equally likely single-byte guesses Windows-1252 (a superset of Latin-1, the usual
    Western 8-bit encoding) wins, so French or German text is not read as Central European.
    """
    bom = sniff_bom(sample)
    if bom:
        return bom[0]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(sample) - 3 and e.reason == "unexpected end of data":
            return "utf-8"  # a character cut by the sample's end
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    for m in matches:
        if m.chaos <= best + 1e-9 and "cp1252" in m.could_be_from_charset:
            return "cp1252"
    return min(matches, key=lambda m: m.chaos).encoding


def decode(data: bytes, where_file: str, encoding: str | None = None) -> tuple[str, str]:
    """``(clean text, encoding used)``; an InputError names the line of the first bad byte."""
    bom = sniff_bom(data)
    if bom and encoding is None:
        encoding, data = bom[0], data[bom[1]:]
    enc = encoding or guess_encoding(data[:SAMPLE])
    if enc is None:
        raise InputError(f"{where_file}:1", "cannot tell the text's encoding; pass --encoding", "encoding")
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint = "" if encoding else "; pass --encoding"
        raise InputError(f"{where_file}:{line}", f"not {enc} text (byte {e.start}: {e.reason}){hint}", "encoding") from None
    except LookupError:
        raise InputError(f"{where_file}:1", f"unknown encoding {enc!r}", "encoding") from None
    return clean(text), enc

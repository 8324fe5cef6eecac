"""Text normalisation shared by the knowledge base's index and its resolver.

Both the forms in the data and the mentions looked up go through :func:`norm`,
so that they meet in one shape: accents dropped, hyphens as spaces, curly quotes
straight, dotted acronyms in one form ("U.S" and "U.S." -> "u.s."), a possessive
"'s" as its own token, and (by default) lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212_/]+")
_ACRONYM = re.compile(r"(?<![A-Za-z.])((?:[A-Za-z]\.)+[A-Za-z])\.?(?![A-Za-z])")
_POSSESSIVE = re.compile(r"(\w)'s\b")
_PLURAL_POSSESSIVE = re.compile(r"(\w)s'(?=\s|$)")
_PUNCT = re.compile(r"[,;:!?\"()\[\]{}|<>*]+")
_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Drop accents and unify quotes: "Erdoğan’s" -> "Erdogan's"."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c))


def norm(text: str, lower: bool = True) -> str:
    """The lookup key of a name or mention (see the module docstring)."""
    s = fold(text)
    if lower:
        s = s.lower()
    s = _ACRONYM.sub(lambda m: m.group(1) + ".", s)
    s = _DASHES.sub(" ", s)
    s = _PLURAL_POSSESSIVE.sub(r"\1s 's", s)
    s = _POSSESSIVE.sub(r"\1 's", s)
    s = _PUNCT.sub(" ", s)
    s = _WS.sub(" ", s).strip()
    if s.endswith(".") and not _ACRONYM.fullmatch(s.rsplit(" ", 1)[-1]):
        s = s.rstrip(".").rstrip()
    return s


def pluralize(noun: str) -> str:
    """The regular plural of a (possibly multi-word) English noun phrase's last word."""
    head, _, last = noun.rpartition(" ")
    if last.endswith("man"):
        plural = last[:-3] + "men"
    elif last.endswith("person"):
        plural = last[:-6] + "people"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def demonym_plural(demonym: str) -> str | None:
    """The plural of a demonym used as a noun ("Israeli" -> "Israelis"), if it has one."""
    if demonym.endswith(("ese", "ish", "ch", "sh", "ss", "s", "x", "z", "i s")):
        return None
    return demonym + "s"


def dotted(alias: str) -> str | None:
    """The dotted form of a short upper-case acronym ("US" -> "U.S."), else None."""
    if 2 <= len(alias) <= 3 and alias.isalpha() and alias.isupper():
        return ".".join(alias) + "."
    return None


def slug(text: str) -> str:
    """A lower-case, hyphenated id fragment: "Antony Blinken" -> "antony-blinken"."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text).lower())
    return s.strip("-")


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Whether normalised ``phrase`` occurs as whole words in normalised ``haystack``."""
    return f" {phrase} " in f" {haystack} "


def unique(items: Iterable[str]) -> Iterator[str]:
    """Items in order, each once."""
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item

"""A state's office before a name the knowledge base does not know: "Home Secretary Charles Clarke".

News names a minister by office and name ("Home Secretary Charles Clarke", "Foreign Secretary Jack
Straw"), and then "Mr Clarke". The knowledge base knows the offices but not every holder: an
office only one state has (a "home secretary" is Britain's) makes the person its government's on
the article's date, and so the codebook's actor for that state, or the party that governs it
(``KnowledgeBase.government_of``). The office becomes a person's mention; the surname stage then
reads "Mr Clarke" as the same actor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from spacy.tokens import Doc

# A secretary's office is one state's ("home secretary", "treasury secretary"); a minister's
# ("education minister") is every state's, however few of them the knowledge base lists.
_NATIONAL = re.compile(r"\bsecretary\b")
_NOT_HOLDER = frozenset("shadow former ex ex- then deputy acting junior assistant".split())


class OfficeFinder:
    """Offices held in one state only, as the knowledge base's roles say."""

    def __init__(self, kb, codebook):
        self.kb, self.codebook = kb, codebook
        states: dict[str, set[str]] = defaultdict(set)
        for entry in kb.actors():
            for role in entry.roles:
                states[role.title.lower()].add(role.of)
        self.offices: dict[tuple[str, ...], tuple[str, str]] = {}
        for title, of in states.items():
            words = tuple(title.split())
            state = next(iter(of))
            e = kb.get(state)
            if len(of) == 1 and len(words) >= 2 and _NATIONAL.search(title) and e is not None and e.kind == "state":
                self.offices[words] = (title, state)
        self.longest = max((len(w) for w in self.offices), default=0)
        self.first = frozenset(w[0] for w in self.offices)
        self.demonyms = kb.demonyms()

    def find(self, doc: Doc, lo: int, hi: int, taken: list[bool], on: dt.date) -> list[tuple[int, int, str, str, bool]]:
        """(start, end, actor, office, governing) for each office in ``doc[lo:hi]`` that stands
        before a person's name of two or three capitalised words, neither of them known."""
        out = []
        i = lo
        while i < hi:
            hit = None
            if doc[i].lower_ not in self.first:
                i += 1
                continue
            for n in range(min(self.longest, hi - i), 1, -1):
                words = tuple(t.lower_ for t in doc[i:i + n])
                if words in self.offices and not any(taken[i:i + n]):
                    hit = n
                    break
            if hit is None:
                i += 1
                continue
            title, state = self.offices[tuple(t.lower_ for t in doc[i:i + hit])]
            e = i + hit
            k = e
            while k < hi and k - e < 3 and not taken[k] and _name_word(doc[k]):
                k += 1
            if k - e >= 2 and (k >= len(doc) or not _name_word(doc[k])) and self._own(doc, i, taken, state, on):
                actor, governing = self.kb.government_of(state, on, self.codebook)
                if actor is not None:
                    out.append((i, e, actor, title, governing))
            i = e
        return out


    def _own(self, doc: Doc, i: int, taken: list[bool], state: str, on: dt.date) -> bool:
        """Whether the office at ``doc[i]`` is held now and is ``state``'s: not after "shadow",
        "former", "then", "ex-", another actor's name ("Tory Home Secretary ... in 1990") or
        another state's ("US Defence Secretary Donald Rumsfeld", "Indian Foreign Secretary"),
        within the three words before it."""
        for t in reversed(doc[max(0, i - 3):i]):
            if t.is_punct and t.text not in ("-", "'s", "’s"):
                break
            low = t.lower_
            if low in _NOT_HOLDER or taken[t.i]:
                return False
            if t.text[:1].isupper() or low in self.demonyms:
                other = self.demonyms.get(low) or self.kb.resolve(t.text, on).actor
                if other is not None and other != state:
                    return False
        return True


def _name_word(t) -> bool:
    return t.is_alpha and t.text[:1].isupper() and t.text[1:].islower()

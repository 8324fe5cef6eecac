"""Sentence boundaries that punctuation does not show.

Web pages saved as text often glue a list of link headlines to the article ("... truce
talksReturn hostages at any cost, says Israeli freed from Gaza", "fighting in Gaza?What is the
genocide case against Israel?"). Read as one sentence, such a run mixes headlines of other stories
with the article's own words, and its actors and issues look like a position nobody stated there.

``split_glued`` cuts a token where a new capitalised word is glued to the end of the previous one
and marks the new word as a sentence start, so the sentencizer sees the boundary. Offsets do not
move: the two pieces are the token's own characters. Only two shapes are cut, so that names written
in camel case ("WhatsApp", "DeSantis", "McConnell", "BlackRock") stay whole:

- a lower-case word of three letters or more, then a capitalised word ("talksReturn",
  "externalHe", "changedHistory");
- a word ending in ``.``, ``?`` or ``!`` (a quote mark may follow), then a capitalised word
  ("Gaza?What", "said.The").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

_GLUED = re.compile(r"^([a-z][a-z'’]{2,}|[A-Za-z0-9'’\-]*[a-z0-9][.?!][\"”’]?)([A-Z][a-z]{1,}[A-Za-z'’\-]*)$")
_ANY = re.compile(r"[a-z0-9][.?!]?[\"”’]?[A-Z][a-z]")


def glued_at(text: str) -> int:
    """Where a token of ``text`` would be cut (the new word's offset in the token), or 0."""
    m = _GLUED.match(text)
    return len(m.group(1)) if m else 0


def split_glued(doc: Doc) -> Doc:
    """``doc`` with each glued token cut in two and the second piece starting a sentence. For a
    document that has not been parsed (the cheap first pass); returns the same ``Doc`` object."""
    if not _ANY.search(doc.text):
        return doc
    cuts = [(t, glued_at(t.text)) for t in doc if len(t) >= 5]
    cuts = [(t, n) for t, n in cuts if n]
    if not cuts:
        return doc
    starts = {t.idx + n for t, n in cuts}
    with doc.retokenize() as retok:
        for t, n in cuts:
            retok.split(t, [t.text[:n], t.text[n:]], heads=[(t, 1), (t, 1)])
    for t in doc:
        if t.idx in starts:
            t.is_sent_start = True
    return doc

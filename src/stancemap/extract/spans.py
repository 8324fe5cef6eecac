"""Character spans over a parsed Doc for reported speech: token runs trimmed of edge punctuation,
a subject's noun phrase, and quotations (found on the raw text, straight and curly marks alike,
each within one paragraph). Offsets are characters into ``doc.text``, end exclusive.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

CharSpan = tuple[int, int]
QUOTE_MARKS = "\u201c\u201d\""
OPEN_BEFORE = "([{\u2014\u2013\u2015-"
EDGE_PUNCT = set(",.;:!?-\u2014\u2013\u2015()[]") | {"--"}
MAX_QUOTE = 2000  # characters; a longer "quotation" is a stray or unbalanced mark


def char_span(doc: Doc, span: CharSpan):
    """The tokens covering a character span (a spaCy Span), for callers that think in tokens."""
    return doc.char_span(span[0], span[1], alignment_mode="expand")


# --------------------------------------------------------------------------- spans
def _chars(first: Token, last: Token) -> CharSpan:
    return first.idx, last.idx + len(last.text)


def _edge(t: Token, tokens: list[Token]) -> bool:
    """Punctuation to drop at a span's edge: not quotation marks, nor a bracket the span opens."""
    if t.is_space or t.dep_ == "cc":
        return True
    if t.text == ")":
        return not any(x.text == "(" for x in tokens)
    return t.text in EDGE_PUNCT


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop edge punctuation (not quotation marks) and conjunctions of the whole span."""
    while tokens and _edge(tokens[0], tokens):
        tokens = tokens[1:]
    while tokens and _edge(tokens[-1], tokens):
        tokens = tokens[:-1]
    return tokens


def _paragraph(doc: Doc, start: int, end: int, anchor: int) -> tuple[int, int]:
    """Clip ``start..end`` to the paragraph holding token ``anchor`` (parses cross headlines)."""
    for i in range(anchor - 1, start - 1, -1):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i].text:
            start = i + 1
            break
    for i in range(max(anchor, start), end):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i].text:
            end = i + 1
            break
    return start, end


def _extent(doc: Doc, start: int, end: int, skip: set[int] = frozenset(), anchor: int | None = None) -> CharSpan | None:
    """Characters of tokens ``start..end-1`` minus ``skip``, trimmed; None when empty.

    With ``anchor``, the span is first clipped to that token's paragraph.
    """
    if anchor is not None:
        start, end = _paragraph(doc, start, end, anchor)
    toks = _trim([doc[i] for i in range(start, end) if i not in skip])
    return _chars(toks[0], toks[-1]) if toks else None


def _subtree(t: Token) -> tuple[int, int]:
    return t.left_edge.i, t.right_edge.i + 1


def _source_span(doc: Doc, subj: Token) -> CharSpan | None:
    """A subject's noun phrase, with the comma closing an appositive ("X, a spokesman, said")."""
    span = _extent(doc, subj.left_edge.i, subj.right_edge.i + 1, anchor=subj.i)
    end = subj.right_edge.i
    if span and end + 1 < len(doc) and doc[end + 1].text == "," and any(
            c.dep_ == "appos" or c.dep_ == "relcl" for c in subj.children):
        span = span[0], doc[end + 1].idx + 1
    return span


# --------------------------------------------------------------------------- quotations
def quotations(text: str) -> list[CharSpan]:
    """Quoted stretches of ``text`` (marks included), each within one paragraph.

    A mark (\u201c \u201d " or two apostrophes '') opens a quotation when it follows a space, a
    paragraph start or a bracket and is followed by a non-space; otherwise it closes one.
    This reads straight and curly marks alike and survives mixed or mistyped marks. A
    quotation left open at the end of a paragraph (the convention for quotes running over
    paragraphs) ends there.
    """
    out: list[CharSpan] = []
    start = None
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        width = 2 if text.startswith("''", i) else 1 if ch in QUOTE_MARKS else 0
        if ch == "\n":
            if start is not None and i - start > 1:
                out.append((start, i))
            start = None
        elif width:
            before = text[i - 1] if i else "\n"
            after = text[i + width] if i + width < n else " "
            opens = (before.isspace() or before in OPEN_BEFORE) and not after.isspace()
            if opens and start is None:
                start = i
            elif not opens and start is not None:
                if i + width - start <= MAX_QUOTE:
                    out.append((start, i + width))
                start = None
        i += max(width, 1)
    if start is not None and n - start > 1:
        out.append((start, n))
    return out


def _widen(span: CharSpan, quotes: list[CharSpan], starts: list[int]) -> CharSpan:
    """Widen content to the quotation it starts in or overlaps partly."""
    s, e = span
    k = bisect.bisect_right(starts, e) - 1
    while k >= 0:
        qs, qe = quotes[k]
        if qe <= s:
            break
        partly = not (s <= qs and qe <= e)
        if partly and (qs <= s + 2 or s < qs < e):
            return min(s, qs), max(e, qe)
        k -= 1
    return span


def _continued(text: str, content: CharSpan, cue: CharSpan, quotes: list[CharSpan], starts: list[int]) -> CharSpan:
    """ "\u201cQ1,\u201d she said. \u201cQ2.\u201d": a quotation opening the next sentence of the paragraph
    continues the quoted content before the cue."""
    s, e = content
    if not (text[s] in QUOTE_MARKS or text.startswith("''", s)) or cue[0] < e:
        return content
    k = bisect.bisect_left(starts, cue[1])
    if k < len(quotes):
        between = text[cue[1]:quotes[k][0]]
        stop = between.find(".")
        if "\n" not in between and stop >= 0 and len(between) < 120 and not between[stop + 1:].strip():
            return s, quotes[k][1]
    return content


def _inside(pos: int, quotes: list[CharSpan], starts: list[int]) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and quotes[k][0] < pos < quotes[k][1] - 1

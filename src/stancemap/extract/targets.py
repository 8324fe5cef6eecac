"""Actors an issue is done to: "Destroying Hamas", "Genocide case against Israel at the ICJ".

An actor named in an issue's label right after a word of harm or opposition
(``lexicon.TARGET_PREFIXES``) is that issue's **target**. News reports the target's position on
such an issue as opposition ("Israel rejected the case as baseless"); a sentence that reads as
its support is nearly always someone else's position, or the target's on something else. In the
annotated Gaza articles Israel opposes the ICJ case 43 times and supports it never, and nobody
coded Hamas on destroying Hamas; the model, which reads no actor's name, made both "supports"
(26 and 10 of them in 811 corpus articles). So a target's claim on such an issue takes the
opposing side (:func:`stancemap.extract.aggregate.oppose_only`).

Only the label is read, as the shortest statement of what the issue is: descriptions list
examples whose actors are not targets ("attacks on Israel or its allies ..., or strikes on them"
describes widening the war, which Israel is coded as supporting when it strikes).
"""

from __future__ import annotations

import re

from stancemap.extract.lexicon import TARGET_PREFIXES
from stancemap.model import Codebook

_WORD = re.compile(r"[\w'’-]+")
_GAP = frozenset("the a an of on or and to at in its their".split())  # small words between: "sanctions on the PLO"


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _names(actor) -> list[list[str]]:
    forms = {actor.id, actor.name, *actor.aliases, *actor.cased_aliases}
    return [w for w in (_words(f) for f in forms if f) if w]


def issue_targets(codebook: Codebook) -> frozenset[tuple[str, str]]:
    """(actor id, issue id) for each actor named in an issue's label after a targeting word,
    with at most two small words between ("sanctions on the PLO")."""
    out = set()
    for issue in codebook.issues:
        words = _words(issue.label)
        for actor in codebook.actors:
            for name in _names(actor):
                for i in range(len(words) - len(name) + 1):
                    if words[i:i + len(name)] != name:
                        continue
                    j = i - 1
                    while j >= 0 and i - j <= 3 and words[j] in _GAP:
                        j -= 1
                    if j >= 0 and i - j <= 3 and words[j].startswith(TARGET_PREFIXES):
                        out.add((actor.id, issue.id))
    return frozenset(out)

"""Resolving a mention to an actor id, using the article's date and context.

Order of attempts (first that applies wins; see docs/knowledge.md):

1. the whole mention is a name: an alias, acronym, metonym, group phrase, or a
   person's name (a person counts only while in office on the date);
2. "the Americans" (a plural demonym after "the") -> the state;
3. "<actor>'s <agent noun>" ("Israel's defence minister");
4. "<agent noun> of <actor>" ("the prime minister of Qatar");
5. "<title words> <person>" ("US Secretary of State Antony Blinken");
6. "<actor or demonym> <agent noun>" ("Israeli officials", "a senior US official").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stancemap.model.types import Actor, Role
from stancemap.knowledge.index import NAME, SHORT, Hit, Index
from stancemap.knowledge.text import contains_phrase, norm, unique


@dataclass(frozen=True)
class Found:
    """An internal result; ``options`` lists every (actor, via) the match allows,
    best first (a person with two offices on the date has two)."""

    actor: str | None
    via: dict | None
    reason: str
    options: tuple[tuple[str, dict], ...] = ()


def _fail(reason: str) -> Found:
    return Found(None, None, reason)


def _ok(options: list[tuple[str, dict]], reason: str) -> Found:
    return Found(options[0][0], options[0][1], reason, tuple(options))


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _span(r: Role) -> str:
    return f"{_iso(r.start) or '?'}..{_iso(r.end) or ''}"


def describe(a: Actor) -> str:
    """"JOR king Abdullah II": the person's latest office, or the actor's name."""
    if a.kind == "person" and a.roles:
        r = max(a.roles, key=lambda r: r.start or dt.date.min)
        return f"{r.of} {r.title} {a.name}".replace("  ", " ")
    return f"{a.name} ({a.id})"


class Resolver:
    """Resolution rules over an :class:`Index`."""

    def __init__(self, index: Index):
        self.ix = index

    # -- entry point -------------------------------------------------------------
    def resolve(self, mention: str, on: dt.date | None, context: str | None) -> Found:
        low, raw = norm(mention).split(), norm(mention, lower=False).split()
        had_the = False
        while low and (low[0] == "the" or low[0] in self.ix.modifiers):
            had_the |= low[0] == "the"
            low, raw = low[1:], raw[1:]
        while low and low[-1] == "'s":
            low, raw = low[:-1], raw[:-1]
        if not low:
            return _fail(f"no name in {mention!r}")
        found = self._whole(low, raw, on, context)
        if found is not None:
            return found
        key = " ".join(low)
        if key in self.ix.demonyms:
            return self._demonym_alone(key, raw, had_the)
        for attempt in (self._possessive, self._of_phrase, self._title_person, self._composed):
            found = attempt(low, raw, on, context)
            if found is not None:
                return found
        return _fail(f"unknown: {mention!r} names no actor in the knowledge base")

    # -- 1. whole mention ---------------------------------------------------------
    def _hits(self, low: list[str], raw: list[str]) -> list[Hit]:
        return self.ix.cased.get(" ".join(raw), []) + self.ix.names.get(" ".join(low), [])

    def _whole(self, low, raw, on, context) -> Found | None:
        hits = self._hits(low, raw)
        return self._from_hits(hits, " ".join(low), on, context) if hits else None

    def _from_hits(self, hits: list[Hit], key: str, on, context) -> Found:
        bodies = [h for h in hits if h.how not in (NAME, SHORT)]
        if bodies:
            ids = list(unique(h.entry for h in bodies))
            if len(ids) > 1:
                names = " or ".join(describe(self.ix.actors[i]) for i in ids)
                return _fail(f"ambiguous: {bodies[0].surface} could be {names}")
            h = bodies[0]
            return _ok([(h.entry, {"kind": h.how, "entry": h.entry, "alias": h.surface})], f"{h.how} of {h.entry}")
        return self._person(hits, key, on, context)

    # -- people -------------------------------------------------------------------
    def _person(self, hits: list[Hit], key: str, on, context) -> Found:
        pids = list(unique(h.entry for h in hits))
        surface = {h.entry: h.surface for h in hits}
        chosen, note = None, None
        by_name = len(pids) == 1 and any(h.how == NAME for h in hits)
        if by_name or (len(pids) == 1 and key not in self.ix.ambiguous):
            chosen = pids[0]
        else:
            chosen, note = self._disambiguate(pids, key, on, context)
            if chosen is None:
                names = " or ".join(describe(self.ix.actors[p]) for p in pids)
                label = surface[pids[0]]
                if len(pids) == 1:
                    return _fail(f"ambiguous: {label} is a common name; no full name in context for {names}")
                return _fail(f"ambiguous: {label} could be {names}")
        return self._in_office(chosen, surface[chosen], on, note)

    def _disambiguate(self, pids: list[str], key: str, on, context) -> tuple[str | None, str | None]:
        if context:
            ctx = norm(context)
            shared = {a for p in pids for a in self.ix.long_aliases.get(p, ())}
            counts: dict[str, int] = {}
            for a in shared:
                counts[a] = sum(a in self.ix.long_aliases.get(p, ()) for p in pids)
            matched = [
                p for p in pids
                if any(counts[a] == 1 and contains_phrase(ctx, a) for a in self.ix.long_aliases.get(p, ()))
            ]
            if len(matched) == 1:
                return matched[0], "context"
        if key not in self.ix.ambiguous and len(pids) > 1:
            serving = [p for p in pids if self.ix.actors[p].roles_on(on)]
            if len(serving) == 1:
                return serving[0], "only one in office"
        return None, None

    def _in_office(self, pid: str, surface: str, on, note: str | None, kind: str = "role") -> Found:
        person = self.ix.actors[pid]
        roles = person.roles_on(on)
        if not roles:
            held = "; ".join(f"{r.title} of {r.of} {_span(r)}" for r in person.roles) or "no recorded office"
            when = f"on {on.isoformat()}" if on else "now"
            return _fail(f"out of office: {surface} ({person.name}) held {held}, not {when}")
        # an office of a state before a role in a party: Keir Starmer, prime minister and Labour's
        # leader, speaks for GBR where the codebook has GBR (a party codebook reads either way)
        roles = sorted(roles, key=lambda r: getattr(self.ix.actors.get(r.of), "kind", "") == "party")
        options = []
        for r in roles:
            via = {"kind": kind, "entry": pid, "alias": surface, "title": r.title, "of": r.of,
                   "start": _iso(r.start), "end": _iso(r.end)}
            if note:
                via["disambiguated_by"] = note
            options.append((r.of, via))
        return _ok(options, f"{person.name} was {roles[0].title} of {roles[0].of} on {on or 'the current date'}")

    # -- 2. "the Americans" ---------------------------------------------------------
    def _demonym_alone(self, key: str, raw: list[str], had_the: bool) -> Found:
        state = self.ix.demonyms[key]
        if had_the and key in self.ix.plural_demonyms:
            actor = self.ix.agent_of.get(state, state)
            return _ok([(actor, {"kind": "demonym", "entry": state, "alias": " ".join(raw)})],
                       f"'the {key}' used for the government of {state}")
        return _fail(f"not an agent noun: {key!r} is a demonym alone (people, not a government)")

    # -- references ("Israel", "Israeli", "the White House", "Hamas") ----------------
    def _ref(self, low: list[str], raw: list[str], on, allow_people: bool = False) -> tuple[str, dict] | None:
        while low and low[0] in ("the", *self.ix.modifiers):
            low, raw = low[1:], raw[1:]
        key = " ".join(low)
        if not key:
            return None
        if key in self.ix.demonyms:
            state = self.ix.demonyms[key]
            return self.ix.agent_of.get(state, state), {"entry": state, "alias": " ".join(raw), "ref": "demonym"}
        hits = self._hits(low, raw)
        bodies = [h for h in hits if h.how not in (NAME, SHORT)]
        if len(set(h.entry for h in bodies)) == 1:
            return bodies[0].entry, {"entry": bodies[0].entry, "alias": bodies[0].surface, "ref": bodies[0].how}
        if allow_people and hits and not bodies:
            found = self._person(hits, key, on, None)
            if found.actor:
                return found.actor, dict(found.via or {})
        return None

    def _agent(self, words: list[str]) -> str | None:
        """The class of an agent noun phrase ("title"/"collective"), skipping qualifiers."""
        while words:
            kind = self.ix.agents.get(" ".join(words))
            if kind:
                return kind
            if words[0] not in self.ix.qualifiers:
                return None
            words = words[1:]
        return None

    def _compose(self, ref: tuple[str, dict], tail: list[str], how: str) -> Found | None:
        kind = self._agent(tail)
        if kind is None:
            return None
        actor, via = ref
        via = {**via, "kind": "title" if kind == "title" else "demonym+agent", "agent": " ".join(tail), "of": actor}
        return _ok([(actor, via)], f"{how}: {' '.join(tail)} of {actor}")

    # -- 3-6. composed forms -------------------------------------------------------
    def _possessive(self, low, raw, on, context) -> Found | None:
        if "'s" not in low:
            return None
        i = low.index("'s")
        ref = self._ref(low[:i], raw[:i], on, allow_people=True)
        tail, rtail = low[i + 1:], raw[i + 1:]
        if ref is None or not tail:
            return None
        found = self._compose(ref, tail, "possessive")
        if found is None:
            found = self._whole(tail, rtail, on, context)
            if found is not None and found.actor is None:
                return found
        return found or _fail(f"not an agent noun: {' '.join(tail)}")

    def _of_phrase(self, low, raw, on, context) -> Found | None:
        if "of" not in low:
            return None
        j = len(low) - 1 - low[::-1].index("of")
        head, ref_low, ref_raw = low[:j], low[j + 1:], raw[j + 1:]
        if not head or self._agent(head) is None:
            return None
        ref = self._ref(ref_low, ref_raw, on)
        return self._compose(ref, head, "of-phrase") if ref else None

    def _title_person(self, low, raw, on, context) -> Found | None:
        for i in range(1, len(low)):
            hits = [h for h in self._hits(low[i:], raw[i:]) if h.how in (NAME, SHORT)]
            if hits:
                found = self._person(hits, " ".join(low[i:]), on, context)
                if found.actor is None:
                    return found
                via = {**found.via, "kind": "title", "prefix": " ".join(raw[:i])}
                return Found(found.actor, via, found.reason,
                             tuple((a, {**v, "kind": "title", "prefix": via["prefix"]}) for a, v in found.options))
        return None

    def _composed(self, low, raw, on, context) -> Found | None:
        not_agent = None
        for i in range(len(low) - 1, 0, -1):
            ref = self._ref(low[:i], raw[:i], on)
            if ref is None:
                continue
            found = self._compose(ref, low[i:], "composed")
            if found is not None:
                return found
            not_agent = not_agent or " ".join(low[i:])
        return _fail(f"not an agent noun: {not_agent}") if not_agent else None

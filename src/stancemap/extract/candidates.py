"""Candidates for the learned extractor: (sentence, actor) pairs, with what the rules found.

What already works supplies them: the article is split into sentences (the rules' sentencizer,
line breaks included), actor names are found and resolved through the knowledge base on the
article's date, and the rule extractor parses the sentences worth parsing and attributes stances
through the dependency tree, pronouns and references included. A pair is an actor named in a
sentence, or one the rules, a pronoun ("He said...", "his plan") or a description of a person
("the president") tie to it. The model then decides, for each pair and each codebook issue,
support, oppose or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stancemap.extract import lexicon
from stancemap.extract.mentions import COLLECTIVE, PERSONAL, Memory
from stancemap.extract.pipeline import Extractor
from stancemap.model import Article, Claim

_SPEECH = frozenset(lexicon.SPEECH_VERBS) | frozenset(
    "said says told tells added warned urged called insisted stressed argued vowed pledged announced".split())
_QUOTES = frozenset('"“”‘’\'')
# "Israel rejected the proposal": a noun that names a proposal refers back to the last one
# described ("a ceasefire and hostage release deal"), the issues its sentence matched
PROPOSAL_NOUNS = frozenset("""deal deals agreement accord proposal proposals resolution plan plans bill measure
measures policy policies pact truce idea motion scheme legislation""".split())


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    words: list[str]  # lower-case tokens
    rough: frozenset[str] = frozenset()  # issues whose patterns the words match (no parse)
    parsed: bool = False  # the rules parsed it (it passed their first pass)
    matched: dict[str, int] = field(default_factory=dict)  # issue -> sign, matched on the parse
    roles: dict[str, frozenset[str]] = field(default_factory=dict)  # actor -> its mentions' roles
    refs: dict[str, int] = field(default_factory=dict)  # actor -> word of a reference the parse resolved
    ref: frozenset[str] = frozenset()  # issues "the deal", "the proposal" here may refer back to
    outside: tuple[str, ...] = ()  # offices of people named here whom the codebook has no actor for


@dataclass
class Pair:
    """An actor that may hold a stance in a sentence, and how it is tied to it."""

    sent: int
    actor: str
    speaker: str
    kind: str  # "name", "modifier", "ref" (a pronoun or description), "person_ref" (a personal
    # pronoun or a description of a person elsewhere in the sentence, read as the last person
    # named), "quote" (the speaker of a quotation that goes on from an earlier sentence), "rules"
    # (the rules' attribution only)
    n_mentions: int = 0
    first_pos: float = 0.0  # where its first mention starts, as a fraction of the sentence
    person: bool = False
    speech_near: bool = False  # a speech verb within four words of a mention
    governing: bool = False  # named only as a state it governs ("Downing Street" for the Conservatives)
    positions: list[int] = field(default_factory=list)  # word index of each of its mentions
    rules: dict[str, tuple[int, float, str]] = field(default_factory=dict)  # issue -> (sign, conf, cue)


@dataclass
class ArticleCandidates:
    article: Article
    sentences: list[Sentence]
    pairs: list[Pair]
    rule_claims: list[Claim]  # everything the rules extracted, for features and as a fallback
    salience: dict[str, int]  # actor -> sentences naming it

    def pairs_of(self, sent: int) -> list[Pair]:
        return [p for p in self.pairs if p.sent == sent]


class CandidateFinder:
    """Wraps a rules :class:`Extractor` (its knowledge base, parser and mention finder)."""

    def __init__(self, rules: Extractor):
        self.rules = rules

    def pipe(self, articles: list[Article]) -> list[ArticleCandidates]:
        r = self.rules
        r._build()
        splits = [r.split(a) for a in articles]
        prepared = [self._sentences(a, sp) for a, sp in zip(articles, splits)]
        cands = [(k, a, c) for k, (a, sp) in enumerate(zip(articles, splits))
                 for c in r._guarded(a, None, r._prefilter, a, sp)]
        per_article: list[list[Claim]] = [[] for _ in articles]
        parses: list[dict[int, tuple]] = [{} for _ in articles]
        docs = r.nlp.pipe((c.text for _k, _a, c in cands), batch_size=256)
        for (k, article, cand), doc in zip(cands, docs):
            per_article[k].extend(r._guarded(article, cand, lambda: list(r._sentence_claims(article, cand, doc))))
            got = r._guarded(article, cand, lambda: [self._parse_info(article, doc)])
            if got:
                parses[k][cand.start] = got[0]
        for k, (sents, _names) in enumerate(prepared):
            for s in sents:
                if s.start in parses[k]:
                    s.parsed = True
                    s.matched, s.roles, s.refs = parses[k][s.start]
        return [self._pairs(a, sents, names, per_article[k]) for k, (a, (sents, names)) in
                enumerate(zip(articles, prepared))]

    def _parse_info(self, article: Article, doc) -> tuple[dict[str, int], dict[str, frozenset[str]], dict[str, int]]:
        """On a parsed sentence: the issues the rules' patterns match, each actor's roles (named, or
        referred to by a pronoun or a description the rules resolved), and where each reference is."""
        from stancemap.extract.issues import token_concepts

        r = self.rules
        refs = []
        if "stancemap.sentence" in doc.user_data:  # the rules' pass over this parse found them already
            names, found, refs = doc.user_data["stancemap.sentence"]
        else:
            names = r.mentions.names(doc, article.date, context=doc.text)
            name_at = {i: m.actor for m in names for i in range(m.start, m.end)}
            found = r.issues.match(doc, token_concepts(doc, name_at.get, r.issues.known))
        matched: dict[str, int] = {}
        for m in found:
            matched.setdefault(m.issue, m.sign)
        ref_at: dict[str, int] = {}
        for m in refs:
            ref_at.setdefault(m.actor, m.start)
        roles: dict[str, set[str]] = {}
        for m in names + [m for m in refs if m.kind == "pronoun"]:
            head = doc[m.end - 1]
            dep, gov = head.dep_, head.head
            role = {"nsubj": "subj", "nsubjpass": "subj", "poss": "poss", "dobj": "obj", "pobj": "obj",
                    "compound": "mod", "amod": "mod"}.get(dep, "other")
            got = roles.setdefault(m.actor, set())
            got.add(role)
            if role == "subj" and gov.lemma_.lower() in _SPEECH:
                got.add("speaker")
            if role == "obj" and gov.dep_ == "agent":
                got.add("subj")
        return matched, {a: frozenset(v) for a, v in roles.items()}, ref_at

    # ------------------------------------------------------------------
    def _sentences(self, article: Article, split):
        r = self.rules
        doc, mentions = split
        sents: list[Sentence] = []
        names: list[list] = []
        k = 0
        described: frozenset[str] = frozenset()  # the issues of the last proposal described
        outside = doc.user_data.get("stancemap.outside", [])
        for sent in doc.sents:
            here = []
            while k < len(mentions) and mentions[k].start < sent.end:
                here.append(mentions[k])
                k += 1
            raw = sent.text
            text = raw.strip()
            if not text:
                continue
            start = sent.start_char + (len(raw) - len(raw.lstrip()))
            words = [t.lower_ for t in sent]
            rel = [(m, (m.start - sent.start), (m.end - sent.start)) for m in here]
            rough = frozenset(r.issues.rough_issues(r._rough_concepts(words, here, sent.start)))
            proposal = any(w in PROPOSAL_NOUNS for w in words)
            sents.append(Sentence(start, start + len(text), text, words, rough,
                                  ref=described - rough if proposal else frozenset(),
                                  outside=tuple(t for at, t in outside if sent.start <= at < sent.end)))
            if proposal and rough:
                described = rough
            names.append(rel)
        return sents, names

    def _pairs(self, article: Article, sents: list[Sentence], names, claims: list[Claim]) -> ArticleCandidates:
        by_start = {s.start: i for i, s in enumerate(sents)}
        pairs: dict[tuple[int, str], Pair] = {}
        salience: dict[str, int] = {}
        memory = Memory()
        quote: str | None = None  # the speaker of a quotation still open
        for i, (s, here) in enumerate(zip(sents, names)):
            n = max(1, len(s.words))
            for m, a, b in here:
                p = pairs.get((i, m.actor))
                if p is None:
                    p = pairs[(i, m.actor)] = Pair(i, m.actor, m.text, m.kind, first_pos=a / n, person=m.person,
                                                   governing=m.governing)
                else:
                    p.governing = p.governing and m.governing
                    if p.kind == "modifier" and m.kind != "modifier":
                        p.kind, p.speaker = m.kind, m.text
                p.n_mentions += 1
                p.positions.append(a)
                window = s.words[max(0, a - 4):a] + s.words[b:b + 4]
                p.speech_near = p.speech_near or any(w in _SPEECH for w in window)
            for actor in {m.actor for m, _a, _b in here}:
                salience[actor] = salience.get(actor, 0) + 1
            # "He said ...", "They want ...": the last person or subject. Also where actors are named
            # after the pronoun, as its objects: "He again cautioned Israel against ...", "We need to
            # dismantle Hamas' capabilities" (a third of the gold claims whose actor had no pair in
            # the evidence sentence began so).
            lead_at = next((j for j, w in enumerate(s.words[:3]) if w in PERSONAL or w in COLLECTIVE or w == "we"), None)
            first_named = min((a for _m, a, _b in here), default=n)
            if not here or (lead_at is not None and lead_at < first_named):
                ref, person = None, False
                if lead_at is not None and s.words[lead_at] in PERSONAL:
                    ref, person = (memory.people[-1] if memory.people else None), True
                elif lead_at is not None or (s.words and s.words[0] in _QUOTES):
                    ref = memory.subjects[-1] if memory.subjects else None
                if ref and (i, ref) not in pairs:
                    pairs[(i, ref)] = Pair(i, ref, memory.surface.get(ref, ref), "ref", positions=[lead_at or 0],
                                           person=person, speech_near=any(w in _SPEECH for w in s.words[:6]))
            # a personal pronoun anywhere else ("Later in the day, she escalated her attacks on
            # Sanders' record", "His call to deport ...", "Union leaders have never trusted him"),
            # or a description of a person ("The president warned ...", "the New York billionaire
            # brushed off ..."): the last person the article named, not one named in this sentence
            # (who would have been named again, not referred to)
            # Not where the sentence itself holds the antecedent: a person named before it ("Netanyahu
            # said he would ...", "Netanyahu said his government ..."), or the parse resolved it already; not a description with an actor
            # in or beside it ("the Iranian president", "the president of Iran", "Netanyahu, the
            # Israeli prime minister,").
            at = next((j for j, w in enumerate(s.words) if w in PERSONAL), None)
            if at is not None and s.words[at] != "him" and any(m.person and a0 < at for m, a0, _b in here):
                at = None  # ("him" after a subject is someone else: "Netanyahu told him ...")
            title, governing = "", False
            if at is None:
                at = _person_description(s.words, [(a0, b0) for _m, a0, b0 in here])
                title = _described_title(s.words, at) if at is not None else ""
            if at is not None and any(abs(p0 - at) <= 1 for p0 in s.refs.values()):
                at = None
            if at is not None:
                named = {m.actor for m, _a, _b in here} | set(s.refs)
                ref = next((a for a in reversed(memory.people) if a not in named), None)
                said = memory.surface.get(ref, ref) if ref else ""
                if title and self.rules.mentions.is_title(title):
                    # "the prime minister": the last person named who holds that office, else the
                    # actor whose named people hold it on the day ("Tony Blair" in 2005), else the
                    # government of the one state with that office ("the home secretary"), else
                    # the last person named
                    holder = self.rules.mentions.holder(title, article.date)
                    office, governing = self.rules.mentions.office_holder(title, article.date)
                    found, titled = memory.person_titled(title, named)
                    if found:  # the last person named in that office, even one outside the codebook
                        ref, governing = titled, False
                    elif holder is not None and holder in named:
                        ref = None  # "The Prime Minister, Rishi Sunak, said": the person named here
                    else:
                        titled = holder
                        governing = governing and not titled and office is not None and office not in named
                        ref = titled or (office if governing else None) or ref
                    said = "the " + title
                if ref and (i, ref) not in pairs:
                    pairs[(i, ref)] = Pair(i, ref, said, "person_ref", positions=[at], governing=governing,
                                           person=True,
                                           speech_near=any(w in _SPEECH for w in s.words[max(0, at - 4):at + 5]))
            for actor, at in s.refs.items():  # "Israel, he said, had ...", "the prime minister insisted"
                if (i, actor) not in pairs:
                    said = memory.surface.get(actor) or (" ".join(s.words[at - 1:at + 1]) if at else s.words[at])
                    pairs[(i, actor)] = Pair(i, actor, said, "ref", positions=[at],
                                             speech_near=any(w in _SPEECH for w in s.words[max(0, at - 4):at + 5]))
            # a quotation that goes on past its sentence is still its speaker's: "Everyone has to
            # understand ..." after 'Mr Cameron said: "...'
            if i and "\n" in article.text[sents[i - 1].end:s.start]:
                quote = None  # a new paragraph: a quotation without its closing mark is not carried on
            if quote and (i, quote) not in pairs:
                pairs[(i, quote)] = Pair(i, quote, memory.surface.get(quote, quote), "quote")
            quote = _quotation_after(s.text, quote, [p for (j, _a), p in pairs.items() if j == i])
            memory.note_sentence([m for m, _a, _b in here], self.rules.mentions.kind)
            for title in s.outside:
                memory.note_outside(title)
        for c in claims:
            i = by_start.get(c.start)
            if i is None or c.issue is None:
                continue
            p = pairs.get((i, c.actor))
            if p is None:
                p = pairs[(i, c.actor)] = Pair(i, c.actor, c.speaker or c.actor, "rules")
            sign = 1 if c.stance.value == "support" else -1
            old = p.rules.get(c.issue)
            if old is None or c.confidence > old[1]:
                p.rules[c.issue] = (sign, c.confidence, c.cue)
        ordered = sorted(pairs.values(), key=lambda p: (p.sent, p.actor))
        return ArticleCandidates(article, sents, ordered, claims, salience)


def _person_description(words: list[str], named: list[tuple[int, int]] = ()) -> int | None:
    """Where "the" begins a description of a person ("the president", "the former secretary of
    state", "the New York billionaire", "the U.S. president"): at most three words between it and
    the noun. Not one with an actor named in it, right after it ("the president of Iran") or right
    before it ("Netanyahu, the Israeli prime minister"), and not one owning something ("the prime
    minister's office")."""
    for j, w in enumerate(words):
        if w != "the":
            continue
        k = next((x for x in range(j + 1, min(j + 5, len(words))) if words[x] in lexicon.PERSON_NOUNS), None)
        if k is None or not all(x.replace(".", "").isalpha() or x in ("-", "'s", "’s") for x in words[j + 1:k]):
            continue
        if k + 1 < len(words) and words[k + 1] in ("'s", "’s"):
            continue
        of = k + 2 if words[k + 1:k + 2] == ["of"] else None
        if of is not None and words[of:of + 1] == ["the"]:
            of += 1
        if any(j < a <= k or a == of for a, _b in named) or any(b == j or (b == j - 1 and words[j - 1] == ",") for _a, b in named):
            continue
        return j
    return None


def _described_title(words: list[str], j: int) -> str:
    """The office a description beginning at ``words[j]`` ("the") names: "prime minister" of "the
    prime minister said", "secretary of state" of "the secretary of state"."""
    k = next((x for x in range(j + 1, min(j + 5, len(words))) if words[x] in lexicon.PERSON_NOUNS), None)
    if k is None:
        return ""
    if words[k + 1:k + 3] == ["of", "state"]:
        k += 2
    return " ".join(words[j + 1:k + 1])


def _quotation_after(text: str, quote: str | None, pairs: list[Pair]) -> str | None:
    """Whose quotation is open after a sentence: ``quote`` (the speaker of one open before it) if it
    goes on, the sentence's speaker if one opens in it (a pair beside a speech verb, else the first
    named), None if none is open."""
    is_open, opened = quote is not None, False
    for ch in text:
        if ch == "“" or (ch == '"' and not is_open):
            is_open = opened = True
        elif ch == "”" or ch == '"':
            is_open = False
    if not is_open:
        return None
    if not opened:
        return quote
    speakers = [p for p in pairs if p.speech_near and p.kind != "quote"] or \
        sorted((p for p in pairs if p.positions), key=lambda p: p.positions[0])
    return speakers[0].actor if speakers else quote

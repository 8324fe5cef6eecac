"""Features of a (sentence, actor, issue) candidate: what the learned model reads.

Nothing here names an issue or an actor: an issue is seen only through its label, description
and keywords (vectors and words), an actor only through how the sentence ties it to the text.
So a codebook the model never saw is read the same way as the ones it learned from.

Groups (``SCALARS`` names them, in order):
- issue relevance: cosine of the sentence (and of its neighbours) with the issue's text and
  label, the issue's rank among the codebook's issues for this sentence, shared words
  (weighted by how specific they are to the issue within the codebook);
- what the rules found: a rule claim for this actor and issue here (its sign, confidence, an
  explicit cue), for this actor on another issue, for this issue by another actor, anywhere in
  the article;
- the actor's tie to the sentence: named, a modifier, a reference, found by the rules only; how
  often, where, a speech verb beside it, a person; other actors in the sentence; salience;
- whose words the issue is in: the distance from the actor's nearest mention to the issue's nearest
  word, whether another actor is nearer, or named between them, or a clause break ("but") is;
- the sentence: stance and negation words, quotes, length, place in the article;
- which way the issue points: how much of its text frames harm or force (an offensive, an
  escalation), words that push against what they touch ("avert", "contain", "meritless") in the
  sentence, within six words of the issue's and right after the actor ("Clinton bashed the
  proposal"), and the two crossed (most "support" misreadings were of prevention said of a
  harm-framed issue: "worked to avert a regional escalation");
- what refers back: "the proposal", "the deal" in a sentence standing for the last proposal
  described, whose issues are then this sentence's too (``rough_ref``); an actor tied only by a
  personal pronoun or a description of a person ("the president") elsewhere in the sentence,
  read as the last person named (``k_person_ref``); an actor reached only as the party governing a
  state its codebook has no actor for ("Downing Street" for the Conservatives: ``k_governing``);
- vectors: the sentence vector times the issue vector, element by element (what about the
  sentence matches what about the issue), and the sentence vector itself (for the stance).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from stancemap.extract import lexicon
from stancemap.extract.candidates import ArticleCandidates, Pair
from stancemap.model import Codebook

_WORD = re.compile(r"[a-z][a-z\-']+")
_STOP = frozenset("""the a an of to in on for and or but with by at from as that this these those is are was were be
been being has have had it its their them they he she his her we our us you your who which what when where how
not no will would should could can may might must than then there here also more most other such into over after
before about against between during without within any all some each both either neither very so if while
said says say new one two three""".split())
_OPPOSE = frozenset(w for w in (lexicon.OPPOSE_PREDICATES | lexicon.OPPOSE_NOUNS | lexicon.NEGATIVE_EVALUATION) if " " not in w)
_SUPPORT = frozenset(w for w in (lexicon.SUPPORT_PREDICATES | lexicon.SUPPORT_NOUNS | lexicon.POSITIVE_EVALUATION) if " " not in w)
_NEG = lexicon.NEGATIONS | {"n't", "refuse", "refused", "refuses", "reject", "rejected", "rejects"}
# stance cues by stem (any inflection): what an actor does to a proposition
_SUPPORT_STEMS = ("support", "back", "call", "urg", "demand", "push", "welcom", "endors", "want", "seek", "press",
                  "insist", "vow", "pledg", "promis", "propos", "favo", "advocat", "approv", "agre", "accept",
                  "commit", "plan", "intend", "aim", "hope", "need", "must", "should")
_OPPOSE_STEMS = ("oppos", "reject", "veto", "block", "refus", "against", "condemn", "dismiss", "denounc",
                 "resist", "rul", "warn", "criticis", "criticiz", "slam", "oppose", "halt", "stop", "suspend",
                 "withdraw", "cancel", "end", "scrap", "ban", "deny", "denied", "no", "not", "never", "won't", "cannot")
_MODAL = frozenset("will would must should need needs want wants demand demanded urge urged call called".split())
_QUOTE_CHARS = '"“”'

# Which way the issue points (``against_cues``): the stance cues that read the issue's own wording.
STANCE_SCALARS = ("issue_harm", "n_against", "against_near", "harm_x_against_near", "harm_x_against", "actor_against")
SCALARS = (
    "cos", "cos_label", "cos_ctx", "rank", "rank_label", "margin", "lex", "lex_max", "lex_label", "lex_any",
    "rule_here", "rule_sign", "rule_conf", "rule_explicit", "rule_other_issue", "rule_issue_other_actor",
    "rule_article", "rule_article_sign",
    "k_name", "k_modifier", "k_ref", "k_rules", "n_mentions", "first_pos", "person", "speech_near",
    "n_actors", "salience", "only_actor",
    "n_support_words", "n_oppose_words", "n_neg", "n_modal", "quote", "log_len", "sent_pos", "is_first",
    "cos_x_rule", "lex_x_name",
    "rough", "n_rough", "rough_ctx", "parsed", "matched", "matched_sign", "n_matched",
    "r_subj", "r_speaker", "r_obj", "r_poss", "r_mod", "best_rough_cos",
    "local_sign", "local_dist", "local_neg", "actor_cue_sign",
    "iss_dist", "iss_nearest", "iss_between", "iss_break", "iss_before",
    *STANCE_SCALARS,
    "rough_ref", "k_person_ref", "k_governing",
)
# The scalars that are the same for every actor of a sentence: what the sentence says about the
# issue, not who says it (the sentence-issue model of stancemap.extract.scorers.FactoredScorer).
SENTENCE_ISSUE_SCALARS = (
    "cos", "cos_label", "cos_ctx", "rank", "rank_label", "margin", "lex", "lex_max", "lex_label", "lex_any",
    "n_actors", "n_support_words", "n_oppose_words", "n_neg", "n_modal", "quote", "log_len", "sent_pos", "is_first",
    "rough", "n_rough", "rough_ctx", "parsed", "matched", "matched_sign", "n_matched", "best_rough_cos",
    "rough_ref",
)


def stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word.rstrip("s")


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


@dataclass
class IssueView:
    """A codebook as the model sees it: vectors and words of each issue."""

    ids: list[str]
    vec: np.ndarray        # (n_issues, dim) issue text
    label_vec: np.ndarray  # (n_issues, dim) label alone
    stems: list[dict[str, float]]  # per issue: stem -> weight (specificity within the codebook)
    label_stems: list[set[str]]
    harm: list[float] | None = None  # per issue: share of its stems that frame harm or force

    @classmethod
    def build(cls, codebook: Codebook, embedder) -> "IssueView":
        texts, labels, stem_sets = [], [], []
        for i in codebook.issues:
            kw = ", ".join(getattr(i, "keywords", ()) or ())
            texts.append(f"{i.label}. {i.description} {kw}".strip())
            labels.append(i.label)
            stem_sets.append(content_stems(f"{i.label} {i.description} {kw}"))
        n = len(stem_sets)
        df: dict[str, int] = {}
        for s in stem_sets:
            for t in s:
                df[t] = df.get(t, 0) + 1
        weights = [{t: math.log((n + 1) / df[t]) / math.log(n + 1) for t in s} for s in stem_sets]
        return cls([i.id for i in codebook.issues], embedder.embed(texts), embedder.embed(labels),
                   weights, [content_stems(lb) for lb in labels], [issue_harm(s) for s in stem_sets])


@dataclass
class Rows:
    """Feature rows of one batch of articles, with what each row stands for."""

    X: np.ndarray            # (n, n_features)
    keys: list[tuple[int, int, str]]  # (article index, pair index, issue id)


def issue_harm(issue_stems) -> float:
    """Share of an issue's stems that frame harm or force (``lexicon.HARM_PREFIXES``)."""
    n = sum(1 for t in issue_stems if t in lexicon.HARM_WORDS or t.startswith(lexicon.HARM_PREFIXES))
    return n / max(1, len(issue_stems))


def against_cues(words: list[str], issue_stems: dict[str, float], harm: float, cache: dict,
                 actor_at: list[int] | None = None) -> list[float]:
    """Words that push against what they touch: how many in the sentence, whether one lies within
    six words of the issue's, each crossed with the issue's harm framing, and whether one follows
    the actor's mention within four words (its own verb: "Clinton bashed the proposal")."""
    if "against" not in cache:
        cache["against"] = [w.startswith(lexicon.AGAINST_PREFIXES) for w in words]
        cache["n_against"] = sum(cache["against"])
    if not cache["n_against"]:  # most sentences: nothing pushes against anything
        return [harm, 0.0, 0.0, 0.0, 0.0, 0.0]
    against = cache["against"]
    stems_at = cache.get("stems") or [stem(w) if len(w) > 2 else "" for w in words]
    n = min(cache["n_against"], 4) / 4
    near = 0.0
    for i, t in enumerate(stems_at):
        if t and t in issue_stems and (any(against[max(0, i - 6):i]) or any(against[i + 1:i + 7])):
            near = 1.0
            break
    own = float(any(any(against[a + 1:a + 5]) for a in actor_at or ()))
    return [harm, n, near, harm * near, harm * min(cache["n_against"], 2) / 2, own]


def n_features(dim: int) -> int:
    return len(SCALARS) + 2 * dim


def article_rows(ac: ArticleCandidates, view: IssueView, embedder, *, top_k: int = 6) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Rows for every (pair, issue) worth scoring in one article: the ``top_k`` issues by vector
    similarity, plus any issue sharing a word with the sentence or named by the rules."""
    if not ac.pairs:
        return np.zeros((0, n_features(embedder.dim)), dtype=np.float32), []
    texts = [s.text for s in ac.sentences]
    svec = embedder.embed(texts)
    ctx = np.zeros_like(svec)
    for i in range(len(texts)):
        c = svec[max(0, i - 1):i + 2].sum(0)
        ctx[i] = c / max(float(np.linalg.norm(c)), 1e-9)
    cos = svec @ view.vec.T
    cos_label = svec @ view.label_vec.T
    cos_ctx = ctx @ view.vec.T
    ranks = np.argsort(np.argsort(-cos, axis=1), axis=1)
    ranks_label = np.argsort(np.argsort(-cos_label, axis=1), axis=1)
    sent_stems = [content_stems(t) for t in texts]
    ctx_rough = [frozenset().union(*(x.rough for x in ac.sentences[max(0, i - 2):i])) for i in range(len(texts))]
    n_sent = len(texts)
    rule_any: dict[tuple[str, str], int] = {}
    rule_issue_actors: dict[tuple[int, str], set[str]] = {}
    for p in ac.pairs:
        for issue, (sign, _c, _cue) in p.rules.items():
            rule_any[(p.actor, issue)] = rule_any.get((p.actor, issue), 0) or sign
            rule_issue_actors.setdefault((p.sent, issue), set()).add(p.actor)
    actors_in, pairs_in = {}, {}
    for p in ac.pairs:
        actors_in.setdefault(p.sent, set()).add(p.actor)
        pairs_in.setdefault(p.sent, []).append(p)
    total_sal = max(1, max(ac.salience.values(), default=1))
    out, keys = [], []
    pol_cache: dict[int, dict] = {}
    index = {iid: j for j, iid in enumerate(view.ids)}
    for pi, p in enumerate(ac.pairs):
        s = ac.sentences[p.sent]
        st = sent_stems[p.sent]
        issues = {view.ids[j] for j in np.nonzero(ranks[p.sent] < top_k)[0]}
        issues |= {iid for j, iid in enumerate(view.ids) if st & view.stems[j].keys()}
        issues |= set(p.rules)
        issues |= {iss for (sent, iss) in rule_issue_actors if sent == p.sent}
        issues |= set(s.rough) | set(s.matched) | set(s.ref)
        roles = s.roles.get(p.actor, frozenset())
        words = s.words
        sent_feats = _sentence_feats(words, s.text, p.sent, n_sent)
        for iid in sorted(issues):
            j = index[iid]
            lexw = [w for t, w in view.stems[j].items() if t in st]
            rule = p.rules.get(iid)
            others = rule_issue_actors.get((p.sent, iid), set()) - {p.actor}
            f = [
                cos[p.sent, j], cos_label[p.sent, j], cos_ctx[p.sent, j],
                min(ranks[p.sent, j], 10) / 10, min(ranks_label[p.sent, j], 10) / 10,
                cos[p.sent, j] - cos[p.sent].max(),
                sum(lexw) / max(1.0, sum(view.stems[j].values())), max(lexw, default=0.0),
                len(st & view.label_stems[j]) / max(1, len(view.label_stems[j])), float(bool(lexw)),
                float(rule is not None), float(rule[0]) if rule else 0.0, rule[1] if rule else 0.0,
                float(bool(rule and rule[2])),
                float(any(k != iid for k in p.rules)), float(bool(others)),
                float((p.actor, iid) in rule_any), float(rule_any.get((p.actor, iid), 0)),
                float(p.kind == "name"), float(p.kind == "modifier"), float(p.kind == "ref"),
                float(p.kind == "rules"), min(p.n_mentions, 3) / 3, p.first_pos, float(p.person),
                float(p.speech_near), min(len(actors_in.get(p.sent, ())), 5) / 5,
                ac.salience.get(p.actor, 0) / total_sal, float(len(actors_in.get(p.sent, ())) == 1),
                *sent_feats,
                cos[p.sent, j] * float(rule is not None), (sum(lexw) > 0) * float(p.kind == "name"),
                float(iid in s.rough), min(len(s.rough), 4) / 4, float(iid in ctx_rough[p.sent]), float(s.parsed),
                float(iid in s.matched), float(s.matched.get(iid, 0)), min(len(s.matched), 4) / 4,
                *(float(x in roles) for x in ("subj", "speaker", "obj", "poss", "mod")),
                float(iid in s.rough and all(cos[p.sent, j] >= cos[p.sent, index[o]] for o in s.rough)),
                *local_polarity(words, view.stems[j], _at(p, len(words)), pol_cache.setdefault(p.sent, {})),
                *holder_geometry(ac, p, view.stems[j], pol_cache.setdefault(p.sent, {}), pairs_in[p.sent]),
                *against_cues(words, view.stems[j], view.harm[j] if view.harm else 0.0, pol_cache[p.sent],
                              _at(p, len(words))),
                float(iid in s.ref), float(p.kind == "person_ref"), float(p.governing),
            ]
            out.append(np.concatenate([np.asarray(f, dtype=np.float32), svec[p.sent] * view.vec[j], svec[p.sent]]))
            keys.append((pi, iid))
    return np.vstack(out).astype(np.float32), keys


def _cue_sign(w: str) -> int:
    if w in _NEG_WORDS:
        return 0
    if w.startswith(_OPPOSE_CUES) or w in _OPPOSE:
        return -1
    if w.startswith(_SUPPORT_CUES) or w in _SUPPORT:
        return 1
    return 0


_NEG_WORDS = frozenset("not n't no never neither nor without".split())
_SUPPORT_CUES = tuple(x for x in _SUPPORT_STEMS if x not in ("need", "must", "should"))
_OPPOSE_CUES = tuple(x for x in _OPPOSE_STEMS if x not in ("no", "not", "never", "won't", "cannot", "end", "rul"))


def local_polarity(words: list[str], issue_stems: dict[str, float], actor_at: list[int],
                   cache: dict | None = None) -> list[float]:
    """The stance word nearest before the issue's first word in the sentence (within 8 words), its
    sign flipped by a negation just before it ("will not accept a buffer zone" -> -1); how far it
    is; whether a negation was seen; and the actor's own cue (``actor_cue``).
    ``cache`` (one dict per sentence) keeps the sentence's stems and cue signs between issues."""
    if cache is not None and "stems" in cache:
        stems_at, signs = cache["stems"], cache["signs"]
    else:
        stems_at = [stem(w) if len(w) > 2 else "" for w in words]
        signs = [_cue_sign(w) for w in words]
        if cache is not None:
            cache["stems"], cache["signs"] = stems_at, signs
    first = next((i for i, t in enumerate(stems_at) if t and t in issue_stems), None)
    sign, dist, neg = 0, 1.0, 0.0
    if first is not None:
        for i in range(first - 1, max(-1, first - 9), -1):
            c = signs[i]
            if c:
                flip = any(w in _NEG_WORDS for w in words[max(0, i - 3):i])
                sign, dist, neg = (-c if flip else c), (first - i) / 8, float(flip)
                break
    return [float(sign), dist, neg, actor_cue(words, signs, actor_at)]


def actor_cue(words: list[str], signs: list[int], actor_at: list[int]) -> float:
    """The sign of the first stance word within ten words after one of the actor's mentions (the
    nearest such word over its mentions), flipped by a negation in the three words before it:
    "US officials said Washington will not accept ..." -> -1. (Until 2026-12-07 the negation was
    looked for in the four words after the actor's first mention, which missed it here.)"""
    best: tuple[int, int] | None = None
    for a in actor_at:
        for i in range(a, min(len(words), a + 10)):
            if signs[i]:
                if best is None or i - a < best[0]:
                    flip = any(w in _NEG_WORDS for w in words[max(a, i - 3):i])
                    best = (i - a, -signs[i] if flip else signs[i])
                break
    return float(best[1]) if best else 0.0


_BREAKS = frozenset("; but while whereas although though however meanwhile".split())


def _at(p: Pair, n_words: int) -> list[int]:
    return p.positions or [int(p.first_pos * max(1, n_words))]


def holder_geometry(ac: ArticleCandidates, p: Pair, issue_stems: dict[str, float], cache: dict,
                    same_sentence: list[Pair] | None = None) -> list[float]:
    """Whose words the issue is in: how far the actor's nearest mention is from the issue's nearest
    word (in words, /20), whether no other actor of the sentence is nearer, whether another actor's
    mention or a clause break ("but", "while", ";") lies between them, and whether the issue comes
    first. "MSF said a ceasefire was needed, while Hamas ...": Hamas is named, but farther from the
    issue than MSF, behind a break. Reads the stems ``local_polarity`` cached for the sentence; ``same_sentence``: the
    sentence's pairs, where the caller has them indexed."""
    words = ac.sentences[p.sent].words
    stems_at = cache.get("stems") or [stem(w) if len(w) > 2 else "" for w in words]
    at_issue = [i for i, t in enumerate(stems_at) if t and t in issue_stems]
    if not at_issue:
        return [1.0, 0.5, 0.0, 0.0, 0.0]
    mine = _at(p, len(words))
    d, a, i = min((abs(a - i), a, i) for a in mine for i in at_issue)
    others = [q for q in (same_sentence if same_sentence is not None else ac.pairs_of(p.sent)) if q.actor != p.actor]
    other_pos = [x for q in others for x in _at(q, len(words))]
    nearest = all(min(abs(x - i2) for i2 in at_issue) >= d for x in other_pos)
    lo, hi = min(a, i), max(a, i)
    between = any(lo < x < hi for x in other_pos)
    brk = any(w in _BREAKS for w in words[lo + 1:hi])
    return [min(d, 20) / 20, float(nearest), float(between), float(brk), float(i < a)]


def _sentence_feats(words: list[str], text: str, i: int, n: int) -> list[float]:
    sup = sum(1 for w in words if w in _SUPPORT or w.rstrip("sd") in _SUPPORT)
    opp = sum(1 for w in words if w in _OPPOSE or w.rstrip("sd") in _OPPOSE)
    neg = sum(1 for w in words if w in _NEG)
    modal = sum(1 for w in words if w in _MODAL)
    quote = float(any(c in text for c in _QUOTE_CHARS))
    sup += sum(1 for w in words if w.startswith(_SUPPORT_STEMS))
    opp += sum(1 for w in words if w.startswith(_OPPOSE_STEMS))
    return [min(sup, 4) / 4, min(opp, 4) / 4, min(neg, 3) / 3, min(modal, 3) / 3, quote,
            math.log1p(len(words)) / 5, 0.0, 0.0]  # (place in the article: kept out, a training-set artefact)


def pair_of(ac: ArticleCandidates, key: tuple[int, str]) -> Pair:
    return ac.pairs[key[0]]

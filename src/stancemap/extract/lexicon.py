"""General English vocabulary for stance: cue predicates, their polarity, synonym groups.

Nothing here names a codebook's issues or a corpus's sentences: these are the words
political news uses to report positions ("call for", "rule out", "vow"), the words
that flip a proposition ("halt", "exclude", "not"), and groups of near-synonyms that
let an issue worded one way be found when a reporter words it another.
"""

from __future__ import annotations

import re

# --- predicates that report a position, with the sign they give their complement -------
# +1: the holder wants the complement (support); -1: the holder is against it (oppose).
SUPPORT_PREDICATES = frozenset("""
support back endorse favour favor advocate urge call demand want seek push press insist
propose pursue welcome vow pledge promise commit plan intend aim work strive try attempt
negotiate broker mediate agree accept approve champion stress emphasise emphasize reaffirm
reiterate lobby hope embrace ensure secure deliver facilitate allow permit let enable
resume continue determine prepare need must should encourage ask appeal request announce
argue recommend suggest offer expect order authorize authorise begin wish
implement prioritize prioritise share defend justify maintain keep uphold restore hint signal
willing ready determined committed keen eager prepared
""".split())

OPPOSE_PREDICATES = frozenset("""
oppose reject refuse resist block veto condemn denounce criticise criticize warn decry
dismiss object prevent stop halt end exclude ban bar suspend cut freeze withhold avoid
reduce minimise minimize limit abandon scrap cancel deny fear rule concern worry alarm
disagree slam protest reverse undermine delay postpone pause fail failure
reluctant unwilling opposed hesitant derail jeopardize jeopardise sabotage
""".split())

# Nouns that carry a holder's position ("Britain's call for", "their support for").
SUPPORT_NOUNS = frozenset("""
call support backing push pressure proposal plan commitment effort goal aim objective bid
attempt appeal insistence demand pledge vow priority intention determination desire hope
talks negotiation negotiations initiative framework resolution condition conditions endorsement
""".split())
OPPOSE_NOUNS = frozenset("""
opposition rejection concern concerns warning warnings alarm objection objections criticism
fear fears veto refusal condemnation
""".split())

# Evaluative predicates: "it would be a mistake to ...", "X is a no-brainer".
NEGATIVE_EVALUATION = frozenset("mistake error disaster catastrophe violation unacceptable wrong red-line".split())
POSITIVE_EVALUATION = frozenset("necessary essential imperative vital crucial important right no-brainer duty priority".split())

# Singular nouns of one person's office or standing, that "the" makes a description of a person:
# "the president", "the Vermont senator" (extract/candidates.py).
PERSON_NOUNS = frozenset("""president premier chancellor minister secretary ambassador envoy emir king queen sultan
prince spokesman spokeswoman spokesperson chairman chairwoman leader senator governor congressman congresswoman
candidate nominee frontrunner billionaire tycoon mogul businessman businesswoman negotiator diplomat
commander rapporteur prosecutor mayor""".split())

# Verbs of saying and reporting: they pass their content's stance to their subject.
SPEECH_VERBS = frozenset("""
say tell add state announce declare claim insist argue note stress emphasise emphasize
reiterate repeat write tweet post confirm explain warn believe think acknowledge hint
suggest signal indicate make describe express voice reaffirm respond reply comment
""".split())

# Holders introduced by a preposition: "according to X", "for X" (no), "in the view of X".
ACCORDING_TO = ("according to",)

NEGATIONS = frozenset("not n't no never neither nor without".split())

# Modal or aspectual wrappers that mark the subject's own intention or commitment.
INTENT_AUX = frozenset("will would shall going".split())

# Concept groups: near-synonyms and derivations, one group per line. Issues are matched
# through these, so "truce" finds a ceasefire issue and "casualties" finds "deaths".
SYNONYM_GROUPS = """
ceasefire cease-fire truce armistice
halt end stop cessation cease
pause lull
fighting war hostilities combat conflict
hostage captive abductee
release free freeing return exchange swap
deal agreement accord arrangement pact
aid assistance relief supplies
destroy dismantle eliminate eradicate defeat crush annihilate wipe root-out obliterate
civilian non-combatant
protect protection safeguard shield
casualty death toll killing kill
reduce reduction minimise minimize lower limit
offensive operation invasion invade assault incursion attack
govern rule administer governance administration
state statehood
two-state two-state-solution
recognise recognize recognition
control presence
reoccupy reoccupation occupy occupation
buffer
displace displacement relocate relocation emigration emigrate transfer move
peacekeeper peacekeeping
demilitarise demilitarize demilitarisation demilitarization disarm
transition transitional interim
fund funding finance financing donation
arm arms weapon weaponry munition munitions
supply supplies sale sales shipment shipments transfer delivery deliveries
genocide
case lawsuit proceedings ruling order
widen escalate escalation spread expand spill
""".strip().splitlines()

# Words too common in political news to identify an issue on their own.
GENERIC_WORDS = frozenset("""
war military security force forces government people country city time year day week month
part area side issue way conflict support statement plan role group official officials
leader leaders question matter situation effort efforts term period process step thing
world nation region place strip border campaign future after before long more any other
general new lasting short local permanent several include including
hour hours minute strike strikes
""".split())

_BRIT = [(re.compile(r"isation$"), "ization"), (re.compile(r"ise$"), "ize"), (re.compile(r"ised$"), "ized"),
         (re.compile(r"our$"), "or"), (re.compile(r"ence$"), "ense")]


def norm(word: str) -> str:
    """Lower-case, British -> American spelling where it is regular."""
    w = word.lower().replace("\u2019", "'")
    if len(w) > 5:
        for pat, rep in _BRIT:
            w2 = pat.sub(rep, w)
            if w2 != w:
                return w2
    return w


def _groups() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in SYNONYM_GROUPS:
        words = [norm(w) for w in line.split()]
        for w in words:
            out.setdefault(w, words[0])
    return out


CONCEPT = _groups()


_SUFFIXES = (("ying", "y"), ("ing", ""), ("ing", "e"), ("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"),
             ("es", ""), ("s", ""))


def stems(word: str) -> list[str]:
    """Candidate base forms of an inflected word ("cards" -> "card", "backed" -> "back")."""
    w = norm(word)
    return [w[: -len(suf)] + rep for suf, rep in _SUFFIXES if w.endswith(suf) and len(w) - len(suf) >= 3]


def concept(lemma: str, text: str | None = None) -> str:
    """The concept a word belongs to (its synonym group's head, or its lemma).

    When the lemma is not a known word, the surface form is stripped of a regular
    inflection and tried again ("reoccupying" -> "reoccupy").
    """
    n = norm(lemma)
    if n in CONCEPT:
        return CONCEPT[n]
    for form in filter(None, (n, norm(text) if text else None)):
        for suf, rep in _SUFFIXES:
            if form.endswith(suf) and len(form) - len(suf) >= 3:
                stem = form[: -len(suf)] + rep
                if stem in CONCEPT:
                    return CONCEPT[stem]
    return n


# Lexical polarity of a concept inside an issue's wording: a harm (casualties) or a
# reversal (halt, reduce) points away from what it names.
NEGATIVE_CONCEPTS = frozenset({concept(w) for w in (
    "halt", "reduce", "casualty", "displace", "exclude", "prevent", "suspend", "block", "avoid", "oppose",
    "reject", "ban", "cut", "freeze", "withhold", "abandon", "cancel", "stop")})


# Words that push against the proposition beside them: prevention and containment ("avert",
# "contain"; "de-escal" only where a text keeps the word whole: the tokenizer splits "de-escalation"), dismissal ("meritless", "rebuffed"), refusal and
# restriction ("paused funding", "reluctant to agree"), scorn ("bashed the proposal"). Matched as
# word prefixes.
AGAINST_PREFIXES = tuple("""
avert de-escal deescal ease easing contain curb thwart foil forestall deter discourag restrain calm
meritless baseless unfounded absurd rebuff defy defied defies surrender obstruct imped hinder
danger reckless risk threat catastroph avoid prevent stop halt block veto refus reject deni deny
oppos condemn dismiss denounc warn against limit restrict withheld withhold paus suspend cut freez
resist scrap cancel abandon ending ended ban banned barred never reluct hesita unwilling
bash lambast ridicul lament slam blast rebuk scorn mock decri decry reprehens appall outrag
""".split())

# Stems (six letters at most, as ``features.stem`` cuts them) that frame an issue as harm or
# force: to support it is to back an offensive, an escalation, a displacement. Most positions
# reported on such an issue are against it, so the model reads how much of an issue's text is this.
HARM_PREFIXES = tuple("""
escala offens attack invasi invade displa violen kill genoci strike assaul occupa expand widen spread
spill bomb weapon annex forced
""".split())
HARM_WORDS = frozenset({"war", "arms"})

# Words that make what follows them in an issue's label the one it is done to: "Destroying Hamas",
# "Genocide case against Israel", "Impeaching the president", "Sanctions on Russia". An actor so
# named is the target; its position, if it has one, is against (extract/targets.py).
# Matched as word prefixes.
TARGET_PREFIXES = tuple("""
destroy dismantl eliminat eradicat defeat crush annihilat obliterat oust overthrow topple
against sanction impeach prosecut indict punish boycott expel isolat disarm
""".split())


# Cues that need their particle: "rule out" opposes, "Hamas-ruled" does not.
NEEDS_PARTICLE = {"rule": "out"}
# Verbs whose particle reverses them: "keep the PA out", "shut Hamas out", "push them away".
REMOVAL_PARTICLES = frozenset({"out", "away"})
REMOVAL_VERBS = frozenset("keep shut push force drive kick lock squeeze leave".split())
# Cues that need a complement: "call for", "call on ... to" (not "called the volume inadequate").
NEEDS_COMPLEMENT = {"call": ("for", "on"), "ask": ("for",), "press": ("for", "on"), "push": ("for",)}
# Light verbs whose object noun carries the stance: "expressed concern", "reiterated his call".
LIGHT_VERBS = frozenset("express voice reiterate reaffirm re-affirm repeat renew make give have raise lend show issue step".split())
# Temporal or circumstantial frames: an issue word inside them is background, not a position.
BACKGROUND_MARKERS = frozenset("after during since before amid despite when while as following if unless whether".split())
# Verbs whose complement is someone else's conduct: "accused X of not doing enough".
ACCUSE = frozenset("accuse blame criticize criticise condemn praise thank fault".split())
EPISTEMIC = frozenset("believe think estimate know report".split())


def predicate_sign(lemma: str) -> int:
    """+1 for a support cue, -1 for an oppose cue, 0 for a word that reports no position."""
    n = norm(lemma)
    if n in OPPOSE_PREDICATES or n in OPPOSE_NOUNS or n in NEGATIVE_EVALUATION:
        return -1
    if n in SUPPORT_PREDICATES or n in SUPPORT_NOUNS or n in POSITIVE_EVALUATION:
        return 1
    return 0


def cue_words() -> frozenset[str]:
    """Every word that can report a position: the first pass keeps sentences with one of these."""
    # Verbs of saying alone report no position ("said the talks resumed"), so they are not here.
    return (SUPPORT_PREDICATES | OPPOSE_PREDICATES | SUPPORT_NOUNS | OPPOSE_NOUNS
            | NEGATIVE_EVALUATION | POSITIVE_EVALUATION
            | frozenset({"according", "campaign", "operation", "must", "should", "ought", "reluctant"}))

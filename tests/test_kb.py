"""The built-in actor knowledge base: loading, date-aware resolution, codebooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from stancemap.errors import KnowledgeError
from stancemap.knowledge.kb import BUILTIN_FILES, DATA_DIR, KnowledgeBase, Resolution
from stancemap.knowledge.loader import load_files
from stancemap.model.types import Actor, Codebook, Issue, Role

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def actor(kb, mention, on=None, **kw) -> str | None:
    return kb.resolve(mention, D(on) if on else None, **kw).actor


def test_builtin_is_cached_and_consistent():
    # load time is a benchmark figure (benchmarks/README.md), not a test assertion
    kb = KnowledgeBase(load_files([DATA_DIR / n for n in BUILTIN_FILES]))  # parse and index afresh
    assert KnowledgeBase.builtin() is KnowledgeBase.builtin()
    assert kb.check() == []
    states = [a for a in kb.actors() if a.kind == "state"]
    assert len(states) == 197  # 193 members + Holy See + Palestine + Taiwan + Kosovo
    assert kb.get("PSE").name == "Palestine" and kb.get("VAT").name == "Holy See"
    people = [a for a in kb.actors() if a.kind == "person"]
    assert len(people) > 400
    covered = {r.of for p in people for r in p.roles if kb.get(r.of) and kb.get(r.of).kind == "state"}
    assert len(covered) >= 60


@pytest.mark.parametrize(
    ("on", "expected"),
    [("2020-06-01", None), ("2021-01-26", "USA"), ("2023-12-07", "USA"), ("2025-01-20", "USA"), ("2025-06-01", None)],
)
def test_blinken_before_during_after_term(kb, on, expected):
    assert actor(kb, "Blinken", on) == expected


def test_out_of_office_reason_gives_dates(kb):
    res = kb.resolve("Blinken", D("2026-03-01"))
    assert res.actor is None
    assert res.reason.startswith("out of office")
    assert "2021-01-26..2025-01-20" in res.reason and "2026-03-01" in res.reason


def test_role_via_has_entry_title_and_dates(kb):
    res = kb.resolve("Blinken", D("2023-12-07"))
    assert isinstance(res, Resolution)
    assert res.via == {"kind": "role", "entry": "person:antony-blinken", "alias": "Blinken",
                       "title": "secretary of state", "of": "USA", "start": "2021-01-26", "end": "2025-01-20"}


@pytest.mark.parametrize(
    ("mention", "on", "expected"),
    [
        ("Cameron", "2023-11-12", None), ("Cameron", "2023-11-13", "GBR"), ("Cameron", "2024-07-06", None),
        ("Cameron", "2015-05-01", "GBR"),
        ("Gallant", "2024-03-01", "ISR"), ("Gallant", "2024-11-06", None),
        ("Netanyahu", "2021-01-01", "ISR"), ("Netanyahu", "2022-01-01", None), ("Netanyahu", "2024-05-01", "ISR"),
        ("Raisi", "2024-05-19", "IRN"), ("Raisi", "2024-06-01", None),
        ("Shoukry", "2024-07-03", "EGY"), ("Shoukry", "2024-07-04", None),
        ("Haniyeh", "2024-07-31", "HAMAS"), ("Haniyeh", "2024-08-01", None),
        ("Nasrallah", "2024-09-27", "HEZBOLLAH"), ("Nasrallah", "2024-10-01", None),
        ("Borrell", "2024-11-30", "EU"), ("Borrell", "2024-12-01", None),
        ("Guterres", "2016-12-31", None), ("Guterres", "2024-01-01", "UN"),
        ("Lazzarini", "2024-01-29", "UNRWA"),
        ("Shtayyeh", "2024-01-01", "PA"), ("Mohammad Mustafa", "2024-04-01", "PA"),
        ("Abbas", "2024-01-01", "PA"),
        ("Sisi", "2023-10-20", "EGY"), ("Safadi", "2023-11-01", "JOR"), ("Erdogan", "2023-11-01", "TUR"),
        ("Pandor", "2024-01-11", "ZAF"), ("Kirby", "2023-11-01", "USA"), ("Baerbock", "2024-01-01", "DEU"),
        ("Sunak", "2024-07-04", "GBR"), ("Starmer", "2024-07-05", "GBR"), ("Amir-Abdollahian", "2024-02-01", "IRN"),
        ("Sinwar", "2024-09-01", "HAMAS"), ("Abdul-Malik al-Houthi", "2024-01-10", "HOUTHIS"),
    ],
)
def test_office_holders_by_date(kb, mention, on, expected):
    assert actor(kb, mention, on) == expected


def test_full_names_titles_and_honorifics(kb):
    assert actor(kb, "US Secretary of State Antony Blinken", "2023-12-07") == "USA"
    res = kb.resolve("Israeli Prime Minister Benjamin Netanyahu", D("2023-11-01"))
    assert res.actor == "ISR" and res.via["kind"] == "title" and res.via["entry"] == "person:benjamin-netanyahu"
    assert actor(kb, "Qatari Prime Minister Sheikh Mohammed bin Abdulrahman Al Thani", "2024-01-01") == "QAT"
    assert actor(kb, "Erdoğan’s", "2024-01-01") == "TUR"  # accents, curly possessive


@pytest.mark.parametrize(
    ("mention", "expected"),
    [("Washington", "USA"), ("Moscow", "RUS"), ("Beijing", "CHN"), ("Jerusalem", "ISR"), ("Tehran", "IRN"),
     ("Cairo", "EGY"), ("Doha", "QAT"), ("Amman", "JOR"), ("Riyadh", "SAU"), ("Ankara", "TUR"),
     ("Brussels", "EU"), ("Ramallah", "PSE")],
)
def test_metonyms(kb, mention, expected):
    res = kb.resolve(mention)
    assert res.actor == expected and res.via["kind"] == "metonym"


@pytest.mark.parametrize(
    ("mention", "expected"),
    [("the US", "USA"), ("U.S.", "USA"), ("the U.S.", "USA"), ("America", "USA"), ("Britain", "GBR"),
     ("the UK", "GBR"), ("U.K.", "GBR"), ("UN", "UN"), ("the United Nations", "UN"), ("UNRWA", "UNRWA"),
     ("Hamas", "HAMAS"), ("Ansar Allah", "HOUTHIS"), ("the Houthis", "HOUTHIS"), ("Qassam Brigades", "QASSAM"),
     ("Islamic Jihad", "PIJ"), ("Palestinian Authority", "PA"), ("Türkiye", "TUR"), ("WHO", "WHO")],
)
def test_aliases(kb, mention, expected):
    assert actor(kb, mention) == expected


def test_cased_aliases_do_not_match_common_words(kb):
    assert actor(kb, "us") is None
    assert actor(kb, "who") is None
    assert actor(kb, "US") == "USA"


@pytest.mark.parametrize(
    ("mention", "expected", "kind"),
    [("Israeli officials", "ISR", "demonym+agent"), ("US diplomats", "USA", "demonym+agent"),
     ("a senior US official", "USA", "demonym+agent"), ("a senior U.S. official", "USA", "demonym+agent"),
     ("Egyptian officials", "EGY", "demonym+agent"), ("Israeli military officials", "ISR", "demonym+agent"),
     ("the Israeli prime minister", "ISR", "title"), ("Israel's defence minister", "ISR", "title"),
     ("Israel’s defense minister", "ISR", "title"), ("the prime minister of Qatar", "QAT", "title"),
     ("Saudi foreign minister", "SAU", "title"), ("Palestinian officials", "PA", "demonym+agent"),
     ("Hamas's political bureau chief", "HAMAS", "title"), ("Houthi officials", "HOUTHIS", "group")],
)
def test_demonyms_with_agent_nouns(kb, mention, expected, kind):
    res = kb.resolve(mention)
    assert (res.actor, res.via["kind"]) == (expected, kind)


@pytest.mark.parametrize("mention", ["Israeli hostages", "Palestinian civilians", "Israeli citizens",
                                     "American tourists", "Israelis"])
def test_non_agent_nouns_are_unresolved(kb, mention):
    res = kb.resolve(mention)
    assert res.actor is None and res.reason.startswith("not an agent noun")


def test_the_americans_is_the_government(kb):
    assert actor(kb, "the Americans") == "USA"


@pytest.mark.parametrize(
    ("mention", "expected"),
    [("the Pentagon", "USA"), ("the White House", "USA"), ("the State Department", "USA"), ("the Kremlin", "RUS"),
     ("Downing Street", "GBR"), ("Whitehall", "GBR"), ("the Foreign Office", "GBR"), ("the Elysee", "FRA"),
     ("the Élysée", "FRA"), ("the IDF", "ISR"), ("Israel Defense Forces", "ISR"), ("the Israeli military", "ISR"),
     ("the Knesset", "ISR"), ("White House officials", "USA"), ("Kremlin spokesman", "RUS")],
)
def test_group_phrases(kb, mention, expected):
    assert actor(kb, mention) == expected


def test_ambiguous_names_need_context(kb):
    res = kb.resolve("Abdullah", D("2023-11-01"))
    assert res.actor is None and res.reason.startswith("ambiguous")
    assert "JOR" in res.reason and "SAU" in res.reason
    ctx = "King Abdullah of Jordan met Blinken in Amman. Abdullah warned against displacement."
    res = kb.resolve("Abdullah", D("2023-11-01"), context=ctx)
    assert res.actor == "JOR" and res.via["disambiguated_by"] == "context"
    assert actor(kb, "Khan", "2024-05-20") is None
    assert actor(kb, "Khan", "2024-05-20", context="ICC prosecutor Karim Khan sought warrants.") == "ICC"
    assert actor(kb, "Khan", "2024-05-20", context="Imran Khan spoke from jail.") is None  # out of office


def test_codebook_mapping_walks_part_of():
    kb = KnowledgeBase.builtin()
    cb = Codebook(name="t", actors=(Actor(id="US", name="United States"), Actor(id="UN", name="United Nations")),
                  issues=(Issue(id="x", label="X"),))
    res = kb.resolve("UNICEF", codebook=cb)
    assert res.actor == "UN" and res.via["kind"] == "part_of" and res.via["path"] == ["UNICEF", "UN"]
    assert kb.resolve("Blinken", D("2023-12-07"), codebook=cb).actor == "US"  # by name
    res = kb.resolve("Moscow", codebook=cb)
    assert res.actor is None and res.reason == "not in codebook: RUS"


def test_codebook_aliases_are_added():
    kb = KnowledgeBase.builtin()
    cb = Codebook(name="t", actors=(Actor(id="BLOB", name="The Blob", aliases=("the foreign policy establishment",)),),
                  issues=())
    assert kb.resolve("the foreign policy establishment", codebook=cb).actor == "BLOB"


@pytest.mark.shared
def test_gaza_codebook():
    path = SHARED / "eval" / "codebook-gaza-2023.yaml"
    if not path.exists():
        pytest.skip("../shared is absent")
    raw = yaml.safe_load(path.read_text())
    cb = Codebook(name=raw["name"], actors=tuple(Actor(**a) for a in raw["actors"]),
                  issues=tuple(Issue(**i) for i in raw["issues"]))
    kb = KnowledgeBase.builtin()
    cases = {"UNICEF": "UN", "OCHA": "UN", "UNRWA": "UNRWA", "Lazzarini": "UNRWA", "Qassam Brigades": "HAMAS",
             "Gaza's health ministry": "HAMAS", "the PLO": "PA", "Palestinian officials": "PA", "Borrell": "EU",
             "the European Commission": "EU", "World Court": "ICJ", "Yahya Saree": "HOUTHIS", "Gallant": "ISR"}
    for mention, expected in cases.items():
        assert kb.resolve(mention, D("2024-01-10"), codebook=cb).actor == expected, mention
    assert kb.resolve("Lavrov", D("2024-01-10"), codebook=cb).reason == "not in codebook: RUS"


def test_extended_and_files(tmp_path):
    base = KnowledgeBase.builtin()
    person = Actor(id="person:jane-roe", name="Jane Roe", kind="person",
                   roles=(Role(of="USA", title="envoy", start=dt.date(2024, 1, 1)),))
    kb = base.extended(actors=[person], groups={"the blob": "USA"})
    assert kb.resolve("Roe", D("2024-02-01")).actor == "USA"
    assert kb.resolve("the blob").actor == "USA"
    assert base.resolve("the blob").actor is None  # the built-in KB is unchanged
    f = tmp_path / "mine.yaml"
    f.write_text("actors:\n  - {name: John Doe, kind: person, roles: [[GBR, envoy, 2024-03, null]]}\n"
                 "groups:\n  GBR: [Number Ten]\n")
    kb2 = base.extended_from(f)
    assert kb2.resolve("Doe", D("2024-03-01")).actor == "GBR"
    assert kb2.resolve("Doe", D("2024-02-29")).actor is None
    assert KnowledgeBase.load([f]).resolve("Number Ten").actor == "GBR"


def test_bad_files_raise_knowledge_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - {name: X, kind: person, roles: [[USA, envoy, 2024-13-01, null]]}\n")
    with pytest.raises(KnowledgeError, match="bad.yaml"):
        KnowledgeBase.load([bad])
    bad.write_text("actors:\n  - {name: X, kind: person, roles: [[USA, envoy, 2024-13, null]]}\n")
    with pytest.raises(KnowledgeError, match="bad.yaml: entry 1 .person:x. role 1: bad date"):
        KnowledgeBase.load([bad])
    bad.write_text("actors:\n  - {id: X, name: X, colour: red}\n")
    with pytest.raises(KnowledgeError, match="unknown field"):
        KnowledgeBase.load([bad])
    bad.write_text("actors: [\n")
    with pytest.raises(KnowledgeError, match="invalid YAML"):
        KnowledgeBase.load([bad])


def test_surface_forms_agent_nouns_demonyms(kb):
    forms = set(kb.surface_forms())
    assert ("U.S.", "USA") in forms and ("Washington", "USA") in forms and ("Blinken", "person:antony-blinken") in forms
    assert ("White House", "USA") in forms and ("Israeli", "ISR") in forms
    assert ("US", "USA") in set(kb.cased_surface_forms())
    nouns = kb.agent_nouns()
    assert {"officials", "official", "prime minister", "spokesmen", "spokesperson", "diplomats"} <= nouns
    assert "hostages" not in nouns
    dem = kb.demonyms()
    assert dem["israeli"] == "ISR" and dem["american"] == "USA" and dem["palestinian"] == "PSE"

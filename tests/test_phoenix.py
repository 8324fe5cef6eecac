"""CAMEO/Phoenix dictionaries: parsing codes and dates, importing the shared files, round trips."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from stancemap.knowledge.kb import KnowledgeBase
from stancemap.knowledge.phoenix import parse_code, parse_date, read_actors, read_agents, write_actors
from stancemap.model.types import Role

PHOENIX = Path(__file__).resolve().parents[1] / ".." / "shared" / "knowledge" / "phoenix"


def shared(name: str) -> Path:
    path = PHOENIX / name
    if not path.exists():
        pytest.skip("../shared is absent")
    return path


def test_dates_and_codes():
    assert parse_date("030101") == dt.date(2003, 1, 1)
    assert parse_date("300101") == dt.date(2030, 1, 1)
    assert parse_date("690801") == dt.date(1969, 8, 1)
    assert parse_date("20140607") == dt.date(2014, 6, 7)
    c = parse_code("DZAGOV 030101-080630")
    assert (c.code, c.start, c.end) == ("DZAGOV", dt.date(2003, 1, 1), dt.date(2008, 6, 30))
    c = parse_code("UKRGOV > 20140607")
    assert (c.start, c.end) == (dt.date(2014, 6, 7), None)
    assert parse_code("USA <750206").end == dt.date(1975, 2, 6)
    for bad in ("ARMUNR 9008223-911221", "---", "GBRGOV >201005011", "EGYGOV 20121207-20120802"):
        with pytest.raises(ValueError):
            parse_code(bad)


SAMPLE = """# comment
ISRAEL_  [ISR]
+ISRAELI_GOVERNMENT_
+JERUSALEM_ # metonym
UN_ [IGOUNO]
U.N._
YOAV_GALLANT_  # CountryInfo.txt
+GALLANT_
\t[ISRMIL 20221229-20241105]
\t[ISRGOV >20241106]
HAMAS_ [PSEREBHMS]
SOME_REBELS_ [AFGREB]
+BAD_ONE_ [XYZ 999]
"""


def test_read_actors_sample(tmp_path):
    f = tmp_path / "x.actors.txt"
    f.write_text(SAMPLE)
    r = read_actors(f)
    assert r.n_records == 5 and r.n_aliases == 9
    by_id = {a.id: a for a in r.actors}
    assert by_id["ISR"].kind == "state" and by_id["ISR"].aliases == ("Israeli Government", "Jerusalem")
    assert "UN" in by_id and "HAMAS" in by_id
    gallant = by_id["person:yoav-gallant"]
    assert gallant.roles[0] == Role(of="ISR", title="military", start=dt.date(2022, 12, 29), end=dt.date(2024, 11, 5))
    assert gallant.roles[1].start == dt.date(2024, 11, 6) and gallant.roles[1].end is None
    assert by_id["phoenix:some-rebels"].part_of is None  # rebels are not the state
    reasons = dict(r.rejected)
    assert reasons[6] == "no code: U.N." and reasons[13].startswith("bad date")


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "records", "aliases", "rejected"),
    [
        # hand-checked: grep -c '^+' gives the synonym lines (7,495 / 66 / 772 per file)
        ("Phoenix.Countries.actors.txt", (18_000, 18_700), (25_500, 26_200), (40, 60)),
        ("Phoenix.International.actors.txt", (7_700, 7_900), (7_850, 8_000), (3, 8)),
        ("Phoenix.MilNonState.actors.txt", (1_000, 1_030), (1_780, 1_800), (0, 0)),
    ],
)
def test_shared_actor_files_parse(name, records, aliases, rejected):
    r = read_actors(shared(name))
    assert records[0] <= r.n_records <= records[1]
    assert aliases[0] <= r.n_aliases <= aliases[1]
    assert rejected[0] <= len(r.rejected) <= rejected[1]
    assert all(reason.split(":")[0] in {"no code", "bad date", "bad code"} for _, reason in r.rejected)


@pytest.mark.shared
def test_shared_files_map_cameo_codes():
    r = read_actors(shared("Phoenix.International.actors.txt"))
    ids = {a.id for a in r.actors}
    assert {"UN", "UNICEF", "WHO", "ICJ", "ARAB_LEAGUE"} <= ids
    countries = {a.id: a for a in read_actors(shared("Phoenix.Countries.actors.txt")).actors}
    assert "Afghan" in countries["AFG"].aliases and countries["USA"].kind == "state"
    assert "XKX" in countries  # CAMEO KSV -> ISO XKX
    said = countries["person:said-barkat"]
    assert [(x.of, x.start) for x in said.roles][:2] == [("DZA", dt.date(2003, 1, 1)), ("DZA", dt.date(2008, 7, 1))]


@pytest.mark.shared
def test_shared_agents_file():
    r = read_agents(shared("Phoenix.agents.txt"))
    assert 2_200 <= r.n_records <= 2_300  # grep -c '\\[~' gives 2,244 coded lines
    assert r.agents["foreign minister"] == "GOV"
    assert r.agents["government spokesman"] == "GOV" and r.agents["government spokeswoman"] == "GOV"
    assert r.agents["farmer"] == "AGR"
    assert 3 <= len(r.rejected) <= 8


def test_export_import_round_trip(tmp_path):
    kb = KnowledgeBase.builtin()
    chosen = [kb.get(i) for i in ("USA", "ISR", "UN", "UNICEF", "UNRWA", "HAMAS", "QASSAM", "PA", "XKX",
                                  "person:antony-blinken", "person:yoav-gallant", "person:mahmoud-abbas",
                                  "person:antonio-guterres", "person:ismail-haniyeh")]
    buf = io.StringIO()
    assert write_actors(chosen, buf) == len(chosen)
    f = tmp_path / "export.actors.txt"
    f.write_text(buf.getvalue())
    back = {a.id: a for a in read_actors(f).actors}
    for a in chosen:
        b = back[a.id]
        assert (b.name, b.kind, b.part_of) == (a.name, a.kind, a.part_of), a.id
        assert {x.lower() for x in b.aliases} == {x.lower() for x in a.aliases}, a.id
        assert [(r.of, r.title, r.start, r.end) for r in b.roles] == [(r.of, r.title, r.start, r.end) for r in a.roles]
    assert "[IGOUNO]" in buf.getvalue() and "[USAGOV 20210126-20250120]  # secretary of state" in buf.getvalue()


def test_whole_builtin_export_reimports(tmp_path):
    kb = KnowledgeBase.builtin()
    f = tmp_path / "all.actors.txt"
    with f.open("w") as fh:
        n = write_actors(kb.actors(), fh)
    r = read_actors(f)
    assert r.rejected == [] and r.n_records == n
    assert {a.id for a in r.actors} == {a.id for a in kb.actors() if a.kind != "person" or a.roles}

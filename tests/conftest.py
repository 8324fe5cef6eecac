"""Shared fixtures. ../shared is read-only test material; tests that need it skip without it.

``store`` is a fresh, migrated database per test, parametrised over SQLite (a file in
``tmp_path``) and PostgreSQL (the server at 127.0.0.1:5432, database ``test``; each test
gets its own schema, dropped afterwards). Without a reachable server the PostgreSQL half
is skipped, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

PG_SERVER = os.environ.get("STANCEMAP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def gaza_codebook_path(shared) -> Path:
    return shared / "eval" / "codebook-gaza-2023.yaml"


# ------------------------------------------------------------------ databases
def _pg_engine():
    from sqlalchemy import create_engine

    return create_engine(PG_SERVER, future=True, connect_args={"connect_timeout": 3})


def _pg_unreachable() -> str | None:
    """None when the server answers, else why not."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = _pg_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as e:
        return str(e.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server URL; skips (or, in CI, fails) when it is unreachable."""
    why = _pg_unreachable()
    if why:
        msg = f"PostgreSQL at {PG_SERVER} is unreachable ({why})"
        if os.environ.get("CI"):
            pytest.fail(f"{msg}; CI must start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
        pytest.skip(f"{msg}; start it to run the PostgreSQL half of the suite")
    return PG_SERVER


def pg_schema_url(server: str, schema: str) -> str:
    """A URL whose connections see only ``schema`` (libpq's search_path option)."""
    return f"{server}?options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL schema for one test, as a URL; dropped afterwards."""
    from sqlalchemy import text

    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = _pg_engine()
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(pg_server, schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """The URL of a fresh, empty database (not yet migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stancemap.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    """A fresh, migrated Store."""
    from stancemap.store import Store

    s = Store.open(store_url)
    yield s
    s.close()


# ------------------------------------------------------------------- material
ARTICLE_TEXTS = [
    ("2023-10-09", "Reuters", "The United States said it supports Israel's right to defend itself. "
     "Washington backs the campaign to destroy Hamas, a senior official said."),
    ("2023-10-18", "AP", "Israel rejected calls for a ceasefire in Gaza. Prime Minister Benjamin Netanyahu "
     "said a ceasefire would mean surrender to Hamas."),
    ("2023-10-25", "BBC", "Hamas said it would release hostages only under a hostage release deal with Qatar's "
     "mediation. Israel opposes any deal that leaves Hamas in power."),
    ("2023-11-03", "Reuters", "The United States called for humanitarian pauses to let aid into Gaza. "
     "Israel rejected humanitarian pauses until the hostages are freed."),
    ("2023-11-08", "AP", "Secretary of State Antony Blinken said the United States opposes any reoccupation of Gaza. "
     "He said the Palestinian Authority should govern Gaza after the war."),
    ("2023-11-11", "Times of Israel", "Netanyahu said Israel will keep security control of Gaza for an indefinite period. "
     "He rejected a role for the Palestinian Authority in Gaza."),
    ("2023-11-21", "Al Jazeera", "Qatar announced a hostage release deal between Israel and Hamas. "
     "Egypt welcomed the truce and called for more humanitarian aid into Gaza."),
    ("2023-12-08", "UN News", "The United States vetoed a Security Council resolution demanding a ceasefire in Gaza. "
     "The United Nations secretary-general said a humanitarian ceasefire was urgently needed."),
    ("2023-12-14", "Reuters", "Israeli officials proposed a buffer zone inside Gaza along the border. "
     "The United States said it does not support a buffer zone inside Gaza."),
    ("2024-01-11", "ICJ", "South Africa brought a genocide case against Israel at the ICJ. "
     "Israel rejected the genocide case as baseless."),
    ("2024-02-09", "AP", "President Joe Biden said the United States opposes an offensive in Rafah without a plan for civilians. "
     "Israel said the offensive in Rafah would go ahead."),
    ("2024-03-25", "Reuters", "The United States abstained as the Security Council demanded a ceasefire in Gaza. "
     "Hamas welcomed the ceasefire resolution; Israel rejected it."),
]


def make_articles(copies: int = 1):
    """The dozen short articles above; ``copies`` > 1 repeats them with new ids and texts."""
    from stancemap.model import Article

    out = []
    for c in range(copies):
        for n, (date, source, text) in enumerate(ARTICLE_TEXTS):
            suffix = f" (Dispatch {c}.)" if c else ""
            out.append(Article(id=f"a{c:03d}-{n:02d}", date=dt.date.fromisoformat(date), source=source,
                               title=text.split(".")[0][:80], url=f"https://example.org/{c}/{n}",
                               text=text + suffix))
    return out


@pytest.fixture
def articles():
    return make_articles()


@pytest.fixture(scope="session")
def codebook():
    from stancemap.knowledge.codebook import builtin_codebook

    return builtin_codebook()


@pytest.fixture(scope="session")
def extractor(codebook):
    """The real extractor, built once for the session."""
    from stancemap.extract import Extractor

    return Extractor(codebook)


def records(items):
    """Articles as ingest records (what ``Store.add_articles`` reads)."""
    from stancemap.ingest.readers import Record

    return [Record(a, None) for a in items]


def claim_keys(store) -> set[tuple]:
    """The identity of every stored claim, for comparing runs."""
    return {(c["article_id"], c["actor"], c["issue"], c["stance"], c["ev_start"])
            for c in store.claims(mapped_only=False, include_rejected=True)}

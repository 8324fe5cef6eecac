"""Analysis queries on 1,000,000 generated claims, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/queries.py [--claims N] [--db sqlite|postgresql|both] [--repeat R]

Generates N claims (10 per article, 22 actors with a skewed frequency, 20 issues, dates over
15 months, quotes from a pool of 20,000 sentences) straight into a fresh store with bulk
inserts (COPY on PostgreSQL), rebuilds the derived count tables where the store has them,
runs ANALYZE, then times the library calls behind the analysis commands, end to end from the
store (``stancemap.report.data.compare_from_store`` etc.: SQL aggregation plus analysis). Prints a markdown table: first (cold) run, median
and worst of ``--repeat`` warm runs. The SQLite file goes to /tmp; PostgreSQL uses a schema
``bench_queries`` in database ``test`` at 127.0.0.1:5432, dropped and made anew each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from stancemap.knowledge.codebook import builtin_codebook
from stancemap.store import Store
from stancemap.store.schema import articles, claims, extractions

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_queries"
SQLITE_PATH = Path("/tmp/stancemap-bench-queries.db")
CODEBOOK = builtin_codebook().fingerprint  # a real codebook, saved in the store, so scope() finds it
START = dt.date(2023, 10, 7)
DAYS = 450
WORDS = ("ceasefire hostages aid Gaza Rafah border security talks deal truce civilians fighting "
         "officials government state forces war plan region negotiators statement council").split()


# ------------------------------------------------------------------- generation
def _rows(n_claims: int, seed: int = 7):
    """(article rows, claim rows) generators' inputs, deterministic."""
    cb = builtin_codebook()
    actors = [a.id for a in cb.actors]
    weights = [1 / (k + 1) for k in range(len(actors))]  # USA, ISR most often: Zipf-like
    issues = [i.id for i in cb.issues]
    rng = random.Random(seed)
    pool = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
            for _ in range(20_000)]
    n_articles = max(1, n_claims // 10)
    arts = []
    for k in range(n_articles):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        arts.append({"id": f"bench-{k:07d}", "date": day, "source": f"src{k % 40}", "title": f"t{k}",
                     "url": "", "text": f"Article {k}.", "fingerprint": f"{k:064x}"})

    def claim_rows():
        for k in range(n_claims):
            art = arts[k // 10]
            ev = pool[rng.randrange(len(pool))]
            yield {"article_id": art["id"], "codebook": CODEBOOK, "date": art["date"],
                   "actor": rng.choices(actors, weights)[0], "issue": rng.choice(issues),
                   "stance": "support" if rng.random() < 0.55 else "oppose", "evidence": ev,
                   "ev_start": (k % 10) * 1000, "ev_end": (k % 10) * 1000 + len(ev), "speaker": "",
                   "cue": "", "object": "", "confidence": round(rng.random(), 4), "extractor": "bench",
                   "extractor_version": "1", "status": "machine", "note": "", "source": art["source"]}

    return arts, claim_rows


def _chunks(it, size):
    chunk = []
    for x in it:
        chunk.append(x)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _marks(arts):
    return [{"article_id": a["id"], "codebook": CODEBOOK, "extractor_version": "1", "n_claims": 10} for a in arts]


def load_sqlite(store: Store, arts, claim_rows) -> None:
    with store.engine.begin() as conn:
        conn.execute(articles.insert(), arts)
        conn.execute(extractions.insert(), _marks(arts))
        for chunk in _chunks(claim_rows(), 50_000):
            conn.execute(claims.insert(), chunk)
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def load_postgresql(store: Store, arts, claim_rows) -> None:
    a_cols = list(arts[0])
    c_cols = [c.name for c in claims.columns if c.name != "id"]
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY articles ({', '.join(a_cols)}) FROM STDIN") as cp:
            for a in arts:
                cp.write_row([a[c] for c in a_cols])
        with cur.copy("COPY extractions (article_id, codebook, extractor_version, n_claims) FROM STDIN") as cp:
            for m in _marks(arts):
                cp.write_row([m["article_id"], m["codebook"], m["extractor_version"], m["n_claims"]])
        with cur.copy(f"COPY claims ({', '.join(c_cols)}) FROM STDIN") as cp:
            for r in claim_rows():  # columns the generator leaves out take their defaults ('' for reviewer)
                cp.write_row([r.get(c, "" if c == "reviewer" else None) for c in c_cols])
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def rebuild_counts(store: Store) -> str:
    """After a bulk load: rebuild the derived count tables, where the store has them."""
    try:
        from stancemap.store.counts import rebuild_claim_counts
    except ImportError:
        return "no derived counts"
    with store.engine.begin() as conn:
        rebuild_claim_counts(conn)
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return "rebuild_claim_counts + ANALYZE"


def fresh_store(kind: str) -> Store:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return Store.open(f"sqlite:///{SQLITE_PATH}")
    admin = Store(__import__("sqlalchemy").create_engine(PG_SERVER))
    with admin.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.close()
    return Store.open(f"{PG_SERVER}?options=-csearch_path%3D{PG_SCHEMA}")


# ---------------------------------------------------------------------- queries
def _composed():
    """Store -> Basis from the aggregation queries, for when stancemap.report.data is absent."""
    from stancemap.analyze import Basis
    from stancemap.report import queries as q

    def basis(store, *, actors=None, bucket=None, per_cell=3):
        fp = store.latest_codebook()
        cells = q.stance_counts(store, codebook=fp, actors=actors, bucket=bucket)
        ev = q.top_evidence(store, codebook=fp, actors=actors, per_cell=per_cell) if per_cell else []
        return Basis(cells=tuple(cells), evidence=tuple(ev))

    return basis


def commands():
    """(how, [(name, store -> answer)]): the library calls behind the analysis commands that exist."""
    try:
        data = importlib.import_module("stancemap.report.data")
    except ImportError:
        data = None
    if data is not None:
        out = []
        if hasattr(data, "compare_from_store"):
            out.append(("compare USA ISR", lambda s: data.compare_from_store(s, "USA", "ISR")))
        if hasattr(data, "matrix_from_store"):
            out.append(("matrix (all actors x issues)", lambda s: data.matrix_from_store(s)))
        if hasattr(data, "timeline_from_store"):
            out.append(("timeline USA ISR (month)", lambda s: data.timeline_from_store(s, "USA", "ISR", window="month")))
        return "stancemap.report.data.*_from_store (what the CLI commands call)", out
    analyze = importlib.import_module("stancemap.analyze")
    basis = _composed()
    return "stancemap.report.queries + stancemap.analyze, composed here", [
        ("compare USA ISR", lambda s: analyze.compare(basis(s, actors=["USA", "ISR"]), "USA", "ISR")),
        ("matrix (all actors x issues)", lambda s: analyze.matrix(basis(s, per_cell=0))),
        ("timeline USA ISR (month)", lambda s: analyze.timeline(basis(s, actors=["USA", "ISR"], bucket="day"),
                                                                "USA", "ISR", window="month")),
    ]


def time_call(fn, store, repeat: int) -> dict:
    """Cold run, then ``repeat`` warm runs: median and worst."""
    def once():
        t0 = time.perf_counter()
        fn(store)
        return time.perf_counter() - t0
    cold = once()
    warm = [once() for _ in range(repeat)]
    return {"cold": cold, "median": statistics.median(warm), "max": max(warm)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    how, cmds = commands()
    print(f"{args.claims:,} claims; basis built by: {how}; {dt.date.today()}\n")
    print("| database | command | cold ms | warm median ms | warm max ms | < 300 ms |")
    print("|---|---|---:|---:|---:|---|")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        store = fresh_store(kind)
        store.save_codebook(builtin_codebook())
        arts, claim_rows = _rows(args.claims)
        t0 = time.perf_counter()
        (load_sqlite if kind == "sqlite" else load_postgresql)(store, arts, claim_rows)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        derived = rebuild_counts(store)
        derived_s = time.perf_counter() - t0
        assert store.count_claims() == args.claims
        for name, fn in cmds:
            t = {k: v * 1000 for k, v in time_call(fn, store, args.repeat).items()}
            ok = "yes" if t["median"] < 300 else "NO"
            print(f"| {kind} | {name} | {t['cold']:.0f} | {t['median']:.0f} | {t['max']:.0f} | {ok} |", flush=True)
        print(f"| {kind} | (bulk load of {args.claims:,} claims + ANALYZE) | {load_s * 1000:.0f} | | | |", flush=True)
        print(f"| {kind} | ({derived}) | {derived_s * 1000:.0f} | | | |", flush=True)
        store.close()


if __name__ == "__main__":
    main()

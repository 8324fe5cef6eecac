"""compare, matrix and timeline over 1,000,000 claims read from the day counts, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/queries_counts.py [--claims N] [--db sqlite|postgresql|both] [--repeat R]

Generates N claims with the generator of ``benchmarks/queries.py`` (10 per article, 22 actors
with a Zipf-like frequency, 20 issues, 450 days, quotes from a pool of 20,000 sentences, so
stories are reprinted across days), bulk-loads them (COPY on PostgreSQL) with their story
hashes, builds ``claim_counts`` and ``story_repeats`` with ``rebuild_claim_counts``, runs
ANALYZE, then times the library calls behind the commands, end to end (SQL and analysis):

    stancemap compare USA ISR               -> report.data.compare_from_store
    stancemap matrix                        -> report.data.matrix_from_store
    stancemap matrix --since 2024-01-01 --until 2024-03-31 -> the same, over a period with a start
    stancemap timeline USA ISR --window month -> report.data.timeline_from_store

one cold run, then the median and worst of R warm runs. It also checks that the counts equal
a recount from the claims for USA and ISR (over all dates and over that period), and times
one extraction batch (200 articles, 2,000 claims) written through ``Store.save_extractions``
into the full store, day counts and story repeats maintained. SQLite file:
/tmp/stancemap-bench-counts.db; PostgreSQL: schema ``bench_counts`` in database ``test`` at
127.0.0.1:5432, dropped and made anew (``--reuse`` times them again without reloading).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import statistics
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from stancemap.knowledge.codebook import builtin_codebook
from stancemap.model import Article, Claim
from stancemap.report.data import compare_from_store, matrix_from_store, timeline_from_store
from stancemap.store import Store
from stancemap.report import queries as q
from stancemap.store.counts import rebuild_claim_counts, story_hash

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_counts"
SQLITE_PATH = Path("/tmp/stancemap-bench-counts.db")


def _generator():
    """benchmarks/queries.py, imported by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_queries", Path(__file__).with_name("queries.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def open_store(kind: str) -> Store:
    """The store a previous run left (``--reuse``)."""
    if kind == "sqlite":
        return Store.open(f"sqlite:///{SQLITE_PATH}")
    return Store.open(f"{PG_SERVER}?options=-csearch_path%3D{PG_SCHEMA}")


def fresh_store(kind: str) -> Store:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return Store.open(f"sqlite:///{SQLITE_PATH}")
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.dispose()
    return Store.open(f"{PG_SERVER}?options=-csearch_path%3D{PG_SCHEMA}")


def load(kind: str, store: Store, n_claims: int) -> dict[str, float]:
    """Bulk load and counts rebuild; seconds for each."""
    gen = _generator()
    store.save_codebook(builtin_codebook())  # the generator's claims use it; scope() finds it
    arts, claim_rows = gen._rows(n_claims)

    def hashed():
        for r in claim_rows():
            r["evidence_hash"] = story_hash(r["evidence"])
            yield r

    t0 = time.perf_counter()
    (gen.load_sqlite if kind == "sqlite" else gen.load_postgresql)(store, arts, hashed)
    t1 = time.perf_counter()
    rows = rebuild_claim_counts(store.engine)
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    t2 = time.perf_counter()
    with store.engine.connect() as conn:
        repeats = conn.execute(text("SELECT count(*) FROM story_repeats")).scalar_one()
    return {"load": t1 - t0, "rebuild": t2 - t1, "rows": rows, "repeats": repeats, "codebook": gen.CODEBOOK}


SINCE, UNTIL = dt.date(2024, 1, 1), dt.date(2024, 3, 31)  # the workbench's dated matrix (benchmarks/web_pages.py)


def check_counts(store: Store, codebook: str) -> bool:
    """The counts' answer equals the same count straight from the claims (USA and ISR; all dates and SINCE..UNTIL)."""
    def key(cells):
        return {(c.actor, c.issue, c.stance): (c.n_claims, c.n_distinct, round(c.w, 6)) for c in cells}
    for since, until in [(None, None), (SINCE, UNTIL)]:
        f = dict(codebook=codebook, actors=["USA", "ISR"], issues=None, since=since, until=until)
        if key(q.stance_counts(store, **f)) != key(q._counts_from_claims(store, bucket=None, **f)):
            return False
    return True


def time_write(store: Store, codebook: str) -> float:
    """One extraction batch, 200 articles x 10 claims, through save_extractions (seconds)."""
    day = dt.date(2024, 3, 1)
    arts = [Article(id=f"w-{k}", date=day, source="w", text=f"Write batch article {k}.") for k in range(200)]
    store.add_articles(type("R", (), {"error": None, "article": a})() for a in arts)
    results = []
    for k, a in enumerate(arts):
        ev = f"Sentence {k % 50} of the write batch."
        results.append((a, [Claim(article_id=a.id, date=day, actor=("USA", "ISR", "EGY", "QAT")[j % 4],
                                  issue="ceasefire", stance="support" if j % 3 else "oppose", evidence=ev,
                                  start=j * 100, end=j * 100 + len(ev), confidence=0.5, extractor="w",
                                  extractor_version="w1") for j in range(10)]))
    t0 = time.perf_counter()
    store.save_extractions(codebook, "w1", results)
    return time.perf_counter() - t0


def commands():
    """As the commands call them: the codebook is the one last extracted with (Store.latest_codebook)."""
    return [
        ("stancemap compare USA ISR", lambda s: compare_from_store(s, "USA", "ISR")),
        ("stancemap matrix", lambda s: matrix_from_store(s)),
        ("stancemap matrix --since 2024-01-01 --until 2024-03-31",
         lambda s: matrix_from_store(s, since=SINCE, until=UNTIL)),
        ("stancemap timeline USA ISR --window month", lambda s: timeline_from_store(s, "USA", "ISR", window="month")),
    ]


def time_call(fn, store: Store, repeat: int) -> tuple[float, float, float]:
    def once():
        t0 = time.perf_counter()
        fn(store)
        return time.perf_counter() - t0
    cold = once()
    warm = [once() for _ in range(repeat)]
    return cold, statistics.median(warm), max(warm)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reuse", action="store_true", help="time the stores a previous run left, without reloading")
    args = ap.parse_args()

    print(f"{args.claims:,} claims, read from claim_counts; {dt.date.today()}; "
          f"`.venv/bin/python benchmarks/queries_counts.py --claims {args.claims} --db {args.db} "
          f"--repeat {args.repeat}{' --reuse' if args.reuse else ''}`\n")
    print("| database | command | cold ms | warm median ms | warm max ms | < 300 ms |")
    print("|---|---|---:|---:|---:|---|")
    notes = []
    for kind in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        if args.reuse:
            store, info = open_store(kind), None
        else:
            store = fresh_store(kind)
            info = load(kind, store, args.claims)
            assert store.count_claims() == args.claims
        for name, fn in commands():
            cold, med, worst = (x * 1000 for x in time_call(fn, store, args.repeat))
            print(f"| {kind} | `{name}` | {cold:.0f} | {med:.0f} | {worst:.0f} | {'yes' if med < 300 else 'NO'} |",
                  flush=True)
        if info is None:
            store.close()
            continue
        exact = check_counts(store, info["codebook"])
        write = time_write(store, info["codebook"])
        notes.append(f"{kind}: bulk load {info['load']:.1f} s; rebuild_claim_counts + ANALYZE {info['rebuild']:.1f} s "
                     f"({info['rows']:,} day rows, {info['repeats']:,} story repeats); counts equal a recount "
                     f"from claims (USA, ISR; all dates and {SINCE}..{UNTIL}): "
                     f"{'yes' if exact else 'NO'}; save_extractions of 200 articles / 2,000 claims into the "
                     f"full store: {write * 1000:.0f} ms")
        store.close()
    print()
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main()

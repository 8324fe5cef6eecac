"""Page times of the web workbench: every page, over real HTTP on 127.0.0.1, one store.

    .venv/bin/python benchmarks/web_pages.py --db URL [--repeat R] [--pair A B] [--query WORDS]

Serves the workbench (uvicorn, in this process, single-user) on a free port of 127.0.0.1 and
times each page with httpx: one cold request, then the median and worst of R warm ones
(server time plus the local round trip). The stores of the benchmarks README: the whole shared
corpus (``stancemap ingest ../shared/corpus/gaza-2023-24.jsonl.gz && stancemap extract``) and
1,000,000 generated claims (``benchmarks/queries_counts.py --db sqlite`` leaves
/tmp/stancemap-bench-counts.db).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time

import httpx
import uvicorn

from stancemap.store import Store
from stancemap.store import workbench as wb
from stancemap.web import create_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(store: Store, a: str, b: str, query: str) -> list[str]:
    fp = store.latest_codebook()
    issue = store.codebook(fp).issues[0].id
    first = wb.queue_next(store, wb.ClaimFilter(codebook=fp))
    cid = first["id"] if first else 1
    art = first["article_id"] if first else ""
    src = (wb.sources(store) or [""])[0]
    return ["/", f"/?source={src}", "/?since=2024-01-01&until=2024-03-31", f"/cell?actor={a}&issue={issue}",
            f"/pair?a={a}&b={b}", f"/pair/timeline?a={a}&b={b}", f"/pair/chart.svg?a={a}&b={b}", f"/claims/{cid}", f"/articles/{art}",
            f"/search?q={query}", f"/search?q={query}&source={src}", "/codebook", "/review",
            f"/review?actor={b}&issue={issue}", f"/review?after={first['confidence']}:{cid}" if first else "/review"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pair", nargs=2, default=["USA", "ISR"])
    ap.add_argument("--query", default="ceasefire")
    args = ap.parse_args()
    store = Store.open(args.db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    print(f"claims: {store.count_claims():,}, articles: {store.count_articles():,}")
    print("| page | cold ms | warm median ms | warm max ms | < 300 ms |\n|---|---:|---:|---:|---|")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        for path in pages(store, *args.pair, args.query):
            times = []
            for _ in range(args.repeat + 1):
                t = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
            warm = times[1:]
            med = statistics.median(warm)
            print(f"| `{path}` | {times[0]:,.0f} | {med:,.0f} | {max(warm):,.0f} | {'yes' if med < 300 else 'NO'} |",
                  flush=True)
    server.should_exit = True


if __name__ == "__main__":
    main()

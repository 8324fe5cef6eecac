"""The README's screenshots of the workbench, taken in headless Chromium.

    .venv/bin/python docs/img/screenshots.py --db URL

The README's are of a store built from text written for stancemap (never the shared corpus,
whose articles are their publishers'): the demo article, and the test articles twice over::

    stancemap demo --db /tmp/shots.db
    .venv/bin/python -c "import sys; sys.path.insert(0, 'tests'); from conftest import make_articles, records; \
        from stancemap.store import Store; Store.open('/tmp/shots.db').add_articles(records(make_articles(copies=2)))"
    stancemap extract --db /tmp/shots.db
    .venv/bin/python docs/img/screenshots.py --db /tmp/shots.db

Serves the store on a free port of 127.0.0.1 and saves overview.png, pair.png, review.png,
claim.png, search.png and codebook.png next to this file (viewport 1280 x 860).
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from stancemap.store import Store
from stancemap.web import create_app

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--query", default="ceasefire")
    args = ap.parse_args()
    store = Store.open(args.db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(base + "/")
        cell = page.locator("table.matrix td[data-actor=USA] a").first
        cell.click()
        page.wait_for_selector("#cell ol.claims li")
        page.screenshot(path=str(HERE / "overview.png"), full_page=False)
        page.goto(base + "/pair?a=USA&b=ISR")
        page.wait_for_selector("#timeline img.chart")
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        page.evaluate("window.scrollTo(0, document.querySelector('h2').offsetTop - 250)")
        page.screenshot(path=str(HERE / "pair.png"))
        page.goto(base + "/review")
        page.screenshot(path=str(HERE / "review.png"))
        page.goto(base + "/search?q=" + args.query)
        page.screenshot(path=str(HERE / "search.png"))
        page.goto(base + "/codebook")
        page.evaluate("window.scrollTo(0, document.querySelector('table.unmapped').offsetTop - 120)")
        page.screenshot(path=str(HERE / "codebook.png"))
        browser.close()
    server.should_exit = True
    for name in ("overview", "pair", "review", "search", "codebook"):
        print(name, (HERE / f"{name}.png").stat().st_size)


if __name__ == "__main__":
    main()

"""Fetching against a real HTTP server on 127.0.0.1: saved pages, a feed (conditional GET), a
robots.txt that forbids a path, a 429 with Retry-After, a slow response, a redirect loop, a
response over the size cap; `watch` stops cleanly and resumes."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from stancemap.cli import app
from stancemap.ingest.http import Fetcher, Politeness, retry_after
from stancemap.jobs.fetching import fetch_urls, parse_every, watch

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body><nav>Home | News | Sport</nav>
<article><h1>{title}</h1><p>{body}</p><p>The council will decide on the plan next month, officials said on Monday.</p>
<p>Residents have been asked to send their views before the meeting in the town hall.</p></article></body></html>"""


def _page(title, date, body):
    return PAGE.format(title=title, date=date, body=body).encode()


class Site(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    arrivals: list = []  # (time.monotonic(), path) of each request, as the server saw it
    conditional: Counter = Counter()
    busy_left = {"n": 1}
    feed_etag = '"feed-v1"'

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        path = self.path
        self.arrivals.append((time.monotonic(), path))
        self.hits[path] += 1
        host = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/feed.xml":
            if self.headers.get("If-None-Match") == self.feed_etag:
                self.conditional[path] += 1
                return self._send(304)
            items = "".join(
                f"<item><title>Story {n}</title><link>{host}/{link}</link>"
                f"<pubDate>Mon, 0{n} Jan 2024 10:00:00 GMT</pubDate>"
                + ("<description>The council said it supports the bridge.</description>" if n == 1 else "")
                + "</item>"
                for n, link in ((1, "a1.html"), (2, "a2.html"), (3, "private/p.html")))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Town News</title>{items}</channel></rss>'
            return self._send(200, body.encode(), "application/rss+xml", [("ETag", self.feed_etag)])
        if path == "/a1.html":
            return self._send(200, _page("Council backs the new bridge", "2024-01-01",
                                         "The town council said it supports building a new bridge over the river."))
        if path == "/a2.html":
            return self._send(200, _page("Mayor opposes parking charges", "2024-01-02",
                                         "The mayor said she opposes the new parking charges in the town centre."))
        if path == "/private/p.html":
            return self._send(200, _page("Private", "2024-01-03", "Nobody should fetch this page at all."))
        if path == "/busy.html":
            if self.busy_left["n"] > 0:
                self.busy_left["n"] -= 1
                return self._send(429, b"slow down", "text/plain", [("Retry-After", "1")])
            return self._send(200, _page("Library hours extended", "2024-01-04",
                                         "The library said it will extend its opening hours on weekdays."))
        if path == "/toolong.html":
            return self._send(429, b"no", "text/plain", [("Retry-After", "3600")])
        if path == "/slow.html":
            time.sleep(1.5)
            return self._send(200, _page("Slow", "2024-01-05", "This page comes too late to be read."))
        if path in ("/loop1", "/loop2"):
            return self._send(302, b"", headers=[("Location", "/loop2" if path == "/loop1" else "/loop1")])
        if path == "/big.html":
            return self._send(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>")
        return self._send(404, b"not here", "text/plain")


@pytest.fixture
def site():
    Site.hits = Counter()
    Site.arrivals = []
    Site.conditional = Counter()
    Site.busy_left = {"n": 1}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _fetcher(**kw):
    waits = []

    def sleep(s):
        waits.append(s)
        time.sleep(s)

    policy = dict(min_interval=0.01, retries=1, backoff=0.05, timeout=5.0, max_bytes=100_000)
    policy.update(kw)
    return Fetcher(Politeness(**policy), sleep=sleep), waits


def test_feed_is_followed_robots_honoured_and_refetch_is_conditional(site, store):
    fetcher, _ = _fetcher()
    with fetcher:
        rep = fetch_urls(store, [f"{site}/feed.xml"], fetcher)
        assert rep.ingest.added == 2 and store.count_articles() == 2
        assert sorted(a.title for a in store.iter_articles()) == ["Council backs the new bridge", "Mayor opposes parking charges"]
        a1 = store.article(f"{site}/a1.html")
        assert a1 is not None and str(a1.date) == "2024-01-01" and "supports building a new bridge" in a1.text
        assert [e.reason for e in rep.failed] == ["robots.txt forbids it"]
        assert Site.hits["/private/p.html"] == 0 and Site.hits["/robots.txt"] == 1
        again = fetch_urls(store, [f"{site}/feed.xml"], fetcher)
    assert again.not_modified == 1 and Site.conditional["/feed.xml"] == 1
    assert again.ingest.added == 0 and Site.hits["/a1.html"] == 1


def test_feed_without_following_stores_the_entries_content(site, tmp_path):
    from stancemap.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'nf.db'}")
    fetcher, _ = _fetcher()
    with fetcher:
        rep = fetch_urls(store, [f"{site}/feed.xml"], fetcher, follow=False)
    assert Site.hits["/a1.html"] == 0 and rep.ingest.added == 1
    assert store.article(f"{site}/a1.html").text == "The council said it supports the bridge."
    assert len(rep.ingest.rejected) == 2 and all(e.field == "text" for e in rep.ingest.rejected)


def test_429_retry_after_is_honoured(site, store):
    fetcher, waits = _fetcher()
    with fetcher:
        rep = fetch_urls(store, [f"{site}/busy.html"], fetcher)
        assert rep.ingest.added == 1 and Site.hits["/busy.html"] == 2
        assert 1.0 in waits  # the server's Retry-After, not the 0.05 s backoff
        rep = fetch_urls(store, [f"{site}/toolong.html"], fetcher)
    assert [e.reason for e in rep.failed] == ["HTTP 429; Retry-After 3600 s is longer than 120 s"]


def test_slow_response_times_out_after_retries(site, store):
    fetcher, waits = _fetcher(timeout=0.3, retries=1)
    with fetcher:
        rep = fetch_urls(store, [f"{site}/slow.html"], fetcher)
    assert [e.reason for e in rep.failed] == ["timed out after 0.3 s, 2 tries"]
    assert Site.hits["/slow.html"] == 2 and 0.05 in waits and store.count_articles() == 0


def test_redirect_loop_and_size_cap_fail_clearly(site, store):
    fetcher, _ = _fetcher()
    with fetcher:
        rep = fetch_urls(store, [f"{site}/loop1", f"{site}/big.html", f"{site}/missing.html", "ftp://x/y"], fetcher)
    assert [e.reason for e in rep.failed] == [
        "more than 5 redirects (a redirect loop?)", "response of 300,026 bytes is over the cap of 100,000",
        "HTTP 404", "not an http(s) URL"]
    assert 5 <= Site.hits["/loop1"] + Site.hits["/loop2"] <= 7


def test_per_host_rate_limit_spaces_requests(site, store):
    # A clock that moves only when the fetcher sleeps: the requests (to the real local server) take
    # no time on it, so each must wait its whole turn, however loaded the machine is.
    now = [0.0]
    waits = []

    def sleep(s):
        waits.append(s)
        now[0] += s

    policy = Politeness(min_interval=0.2, retries=1, backoff=0.05, timeout=5.0, max_bytes=100_000)
    with Fetcher(policy, sleep=sleep, clock=lambda: now[0]) as fetcher:
        rep = fetch_urls(store, [f"{site}/a1.html", f"{site}/a2.html"], fetcher)
    assert not rep.failed and store.count_articles() == 2
    assert [p for _t, p in Site.arrivals] == ["/robots.txt", "/a1.html", "/a2.html"]
    assert waits == pytest.approx([0.2, 0.2])  # robots.txt goes first; a1 and a2 each wait 0.2 s


def test_watch_stops_cleanly_and_resumes(site, tmp_path):
    from stancemap.store import Store

    db = f"sqlite:///{tmp_path / 'w.db'}"
    store = Store.open(db)
    stop = threading.Event()
    rounds = []
    fetcher, _ = _fetcher()
    with fetcher:
        total = watch(store, [f"{site}/feed.xml"], fetcher, every=0.05, stop=stop, rounds=2,
                      on_round=lambda n, rep: rounds.append((n, rep.ingest.added, rep.not_modified)))
    assert rounds == [(1, 2, 0), (2, 0, 1)] and total.ingest.added == 2
    stop.set()
    fetcher, _ = _fetcher()
    with fetcher:  # stopped before it starts: nothing fetched
        watch(store, [f"{site}/feed.xml"], fetcher, every=60, stop=stop)
    assert Site.hits["/feed.xml"] == 2
    # a restart (new fetcher, same store) resumes: the stored pages are not fetched again
    Site.feed_etag = '"feed-v2"'
    try:
        fetcher, _ = _fetcher()
        with fetcher:
            rep = watch(Store.open(db), [f"{site}/feed.xml"], fetcher, every=0, stop=threading.Event(), rounds=1)
    finally:
        Site.feed_etag = '"feed-v1"'
    assert rep.fetched == 1 and rep.skipped == 2 and Site.hits["/a1.html"] == 1


def test_cli_fetch(site, tmp_path):
    db = str(tmp_path / "cli.db")
    res = CliRunner().invoke(app, ["fetch", f"{site}/feed.xml", "--db", db, "--rate", "0.01", "--retries", "0"])
    assert res.exit_code == 3, res.output  # the page robots.txt forbids is a failure
    assert "robots.txt forbids it" in res.output and "2 added" in res.output
    res = CliRunner().invoke(app, ["watch", f"{site}/feed.xml", "--db", db, "--every", "1s", "--rounds", "1",
                                   "--rate", "0.01"])
    assert res.exit_code == 0, res.output and "round 1: 0 new articles" in res.output


def test_retry_after_and_every_parsing():
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None
    assert (parse_every("15m"), parse_every("1h"), parse_every("90s"), parse_every("2")) == (900, 3600, 90, 2)
    with pytest.raises(Exception, match="cannot read 'often'"):
        parse_every("often")


def test_cli_ingest_takes_urls_too(site, tmp_path):
    res = CliRunner().invoke(app, ["ingest", f"{site}/a1.html", "--db", str(tmp_path / "u.db")])
    assert res.exit_code == 0, res.output
    assert "1 added" in res.output


def test_watch_stops_cleanly_on_ctrl_c(site, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from stancemap.store import Store

    db = tmp_path / "sigint.db"
    exe = str(Path(sys.executable).with_name("stancemap"))
    proc = subprocess.Popen([exe, "watch", f"{site}/feed.xml", "--db", str(db), "--every", "1h", "--rate", "0.01"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
    lines = []
    for line in proc.stderr:  # wait for the first round, then press Ctrl-C during the wait
        lines.append(line)
        if line.startswith("round 1:"):
            proc.send_signal(signal.SIGINT)
            break
    _, rest = proc.communicate(timeout=60)
    out = "".join(lines) + rest
    assert proc.returncode == 0, out
    assert "round 1: 2 new articles" in out and "stopped; the next watch resumes" in out and "Traceback" not in out
    assert Store.open(f"sqlite:///{db}").count_articles() == 2

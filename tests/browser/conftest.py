"""Browser journeys: Playwright (Python) driving Debian's chromium against a live test server.

Each journey runs at 1280 px and at 390 px, leaves a screenshot in test-artifacts/browser/, and
then axe-core checks the page it ended on and every page it loaded with a GET: a violation fails
the journey.

They need chromium at /usr/bin/chromium (CHROMIUM_PATH; CI installs it): without it they skip,
saying so (common.testing.require_service).
"""

import os
from pathlib import Path

import pytest

from common.testing import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
# axe-core from npm (tests/sdk/package.json; `make test` installs it).
AXE = Path(__file__).resolve().parents[1] / "sdk" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session", autouse=True)
def _chromium():
    # Session-wide and automatic, so a missing chromium skips before the live server and the
    # demo data are set up.
    require_service("chromium")


@pytest.fixture(autouse=True)
def _sync_orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    settings.DEBUG = False


# Every journey runs on a laptop and on a phone-sized screen.
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=list(WIDTHS))
def page(live_server, demo, request):
    """A fresh browser per test, started after (so stopped before) the database fixtures: the
    event loop of Playwright's sync API must be gone when the database is flushed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        width, height = WIDTHS[request.param]
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        visited = []  # the pages it loaded with a GET (those can be loaded again for axe-core)

        def _seen(response):
            if response.request.resource_type == "document" and response.request.method == "GET" and response.ok:
                visited.append(response.url)

        page.on("response", _seen)
        yield page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name
        failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
        page.screenshot(path=str(ARTIFACTS / f"{'FAILED-' if failed else ''}{name}.png"), full_page=True)
        try:
            if not failed:
                (ARTIFACTS / f"FAILED-{name}.png").unlink(missing_ok=True)
                # axe-core on the page the journey ended on, then on every other page it went through.
                assert_accessible(page)
                for url in dict.fromkeys(visited):
                    if url != page.url and page.goto(url).ok:  # not what the journey deleted since
                        assert_accessible(page)
        finally:
            browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, email="demo@example.com", password="demo-pass-123"):
    page.goto("/account/sign-in/")
    page.get_by_label("Mobile number or email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()  # not "Sign in with a passkey"


def assert_fits_the_screen(page):
    """Nothing on the page reaches past the screen's right edge (no sideways scrolling)."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} is wider than {width} px"


def assert_in_view(page, locator):
    """The element is on the screen as the page stands (not somewhere below the fold)."""
    box = locator.bounding_box()
    view = page.viewport_size
    assert box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 40) <= view["height"], box
    assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], box


def snapshot(page, name, *, full_page=False):
    """A screenshot of a moment inside a journey (what the screen shows, unless `full_page`), named
    with the screen's width, beside the end-of-journey ones in test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.viewport_size['width']}px.png"), full_page=full_page)


def assert_accessible(page):
    """No axe-core violation on the page as it stands (evaluated, not a script tag: the pages'
    Content-Security-Policy allows no inline script)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations = page.evaluate(
        # WCAG 2.0, 2.1 and 2.2 at A and AA (the accessibility statement's standard), and axe's
        # best practices; named, so a new axe release cannot quietly leave a level out.
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    assert violations == [], f"axe-core on {page.url}: {violations}"

"""Browser journeys: Playwright (Python) driving Debian's chromium against a live test server.

They run wherever /usr/bin/chromium exists (CI installs it); without it this folder is not
collected, and the run says so.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
    collect_ignore_glob = ["test_*.py"]
    print(f"\nBrowser journeys not collected: no chromium at {CHROMIUM} (CI installs it).")


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


@pytest.fixture
def page(live_server, demo, request):
    """A fresh browser per test, started after (so stopped before) the database fixtures: the
    event loop of Playwright's sync API must be gone when the database is flushed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name
        failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
        page.screenshot(path=str(ARTIFACTS / f"{'FAILED-' if failed else ''}{name}.png"), full_page=True)
        if not failed:
            (ARTIFACTS / f"FAILED-{name}.png").unlink(missing_ok=True)
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, email="demo@example.com", password="demo-pass-123"):
    page.goto("/account/sign-in/")
    page.get_by_label("Email or phone number").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()




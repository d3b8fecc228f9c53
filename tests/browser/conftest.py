"""Browser tests: Playwright for Python driving Debian's Chromium against the live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Chromium at {CHROMIUM} for the browser tests (apt-get install -y chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests skipped (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on the test thread; the test's own database
    # calls (setting up data) are still plain synchronous code, so Django may allow them
    # while this module's browser is open, and only then.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(live_server, make_user):
    """Log a fresh user with the given role in through the real login form."""

    def login_as(page, role):
        make_user(role, username=f"{role}-agent", first_name="Sanne", last_name="Visser")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", f"{role}-agent")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/customers/")

    return login_as

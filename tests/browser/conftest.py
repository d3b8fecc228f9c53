"""Browser tests: Playwright for Python driving Debian's Chromium against the live server."""

import os
import re
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


@pytest.fixture(autouse=True)
def shipped_data(request):
    """Browser tests are transactional: the flush after each takes away what the data
    migrations ship (message and journey templates); every browser test starts with it."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from tests.conftest import shipped_data_ensure

    shipped_data_ensure()


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
        page.wait_for_url(f"{live_server.url}/inbox/mine/")

    return login_as


@pytest.fixture
def server(request):
    """A real ASGI server (uvicorn) on the test database, for tests that need websockets. Its
    log is ``.test-asgi/<test>.log``; a failed test's report ends with the log's tail."""
    from tests.browser.asgi_server import AsgiServer

    server = AsgiServer(re.sub(r"[^\w.-]+", "_", request.node.nodeid.removeprefix("tests/browser/")))
    request.node.asgi_server = server
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    server = getattr(item, "asgi_server", None)
    if server is not None and report.failed and report.when == "call":
        report.sections.append((f"uvicorn log, last lines ({server.log_path})", server.log_tail()))
        report.sections.append(("websocket frames of the pages", "\n".join(server.frames[-300:])))
    return report


@pytest.fixture
def worker():
    """In the full stack the server sends follow-up tasks (flag recomputation) to the broker:
    run a worker on the test database, as production does. The embedded mode runs them in the server."""
    from django.conf import settings

    if not settings.REDIS_URL:
        yield
        return
    from celery.contrib.testing.worker import start_worker

    from console.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True

"""The manager dashboard in a browser: an invoice event that puts a customer on credit hold
shows up in the "on hold" list without a reload."""

import json
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from console.celery import app
from console.ingest.models import ApiToken
from tests.browser.asgi_server import AsgiServer
from tests.factories import CustomerFactory
from tests.ingest.events import invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    server = AsgiServer()
    yield server
    server.stop()


@pytest.fixture
def worker():
    """In the full stack the server sends the flag recomputation to the broker: run a worker
    (on the test database) as production does. The embedded mode runs it in the server."""
    if not settings.REDIS_URL:
        yield
        return
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def post(server, token, body):
    request = urllib.request.Request(
        f"{server.url}/api/v1/events",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_a_customer_put_on_hold_appears_without_a_reload(browser, server, worker, make_user):
    make_user("manager", username="mila", first_name="Mila", last_name="de Manager")
    CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    _, token = ApiToken.issue(source="finance", scopes=["events:write"])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", "mila")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.click("nav.topnav >> text=Dashboard")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    hold = page.locator("#dash-hold")
    expect(hold).to_contain_text("Nobody on hold")
    page.evaluate("window.notReloaded = true")

    today = timezone.localdate()
    due = today - timedelta(days=47)
    body = invoice(number="INV-2026-101", amount="1240.00", issued_on=str(due - timedelta(days=14)), due_on=str(due))
    assert post(server, token, body) == 201

    row = hold.locator("tr", has_text="Jeroen de Vries")
    expect(row).to_contain_text("EUR 1,240.00")
    expect(row).to_contain_text("47 days")
    expect(page.locator("#dash-tiles")).to_contain_text("1 on credit hold")
    assert page.evaluate("window.notReloaded") is True
    row.locator("a", has_text="Jeroen de Vries").click()
    expect(page.locator("#customer-header h1")).to_have_text("Jeroen de Vries")

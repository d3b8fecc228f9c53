"""An agent's open page says so when their access ends while it is open: logged out in another
tab, or deactivated by an administrator (console/live/access.py, static/console/live.js). The page
shows why and a way to sign in, and does not sit in a silent reconnect loop."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import CustomerFactory, add_entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customer(db):
    customer = CustomerFactory(name="Sanne Jansen")
    add_entries(customer, 2)
    return customer


def assert_told_within_5_seconds(page, text, started):
    bar = page.locator("#access-ended")
    expect(bar).to_be_visible(timeout=5_000)
    assert time.monotonic() - started < 5
    expect(bar).to_contain_text(text)
    path = "/" + page.url.split("/", 3)[3]
    expect(bar.locator("a")).to_have_attribute("href", "/accounts/login/?next=" + path.replace("/", "%2F"))
    expect(page.locator("#live-state")).to_have_attribute("data-state", "ended")


def test_logging_out_in_another_tab_tells_the_open_page(browser, server, make_user, customer):
    make_user("phone", username="daan", first_name="Daan", last_name="Smit")
    page = server.open_live(browser, "daan", customer)
    other_tab = page.context.new_page()
    other_tab.goto(f"{server.url}/customers/")
    started = time.monotonic()
    other_tab.click("text=Log out")
    assert_told_within_5_seconds(page, "You were signed out", started)


def test_an_administrator_deactivating_the_agent_tells_their_open_page(browser, server, make_user, customer):
    agent = make_user("webcare", username="lotte", first_name="Lotte", last_name="Visser")
    make_user("admin", username="beheer", is_staff=True, is_superuser=True)
    page = server.open_live(browser, "lotte", customer)
    admin = server.login(browser, "beheer")
    admin.goto(f"{server.url}/admin/auth/user/{agent.pk}/change/")
    admin.uncheck("#id_is_active")
    started = time.monotonic()
    admin.click("input[name=_save]")
    expect(admin.locator(".messagelist")).to_contain_text("changed successfully")
    assert_told_within_5_seconds(page, "deactivated", started)
    page.wait_for_timeout(2_000)  # and it stays told: no reconnect replaces the message
    expect(page.locator("#access-ended")).to_be_visible()
    expect(page.locator("#live-state")).to_have_attribute("data-state", "ended")

"""A phone agent on a store-tablet-sized screen promises a callback from the customer's
picture, finds it in the phone queue and marks it made on the case page."""

import pytest
from playwright.sync_api import expect

from console.callbacks.models import Callback
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_promise_find_in_the_queue_and_make_a_callback_at_768_px(browser, live_server, make_user, templates, tmp_path):
    customer = CustomerFactory(name="Jeroen de Vries", phone="06 12345678")
    make_user("phone", username="lotte", first_name="Lotte", last_name="Visser")
    page = browser.new_page(viewport={"width": 768, "height": 1024})
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "lotte")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/mine/")

    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.get_by_text("Callback…").click()
    page.fill(f"#callback-{customer.pk}-about", "Tweede SIM")
    page.get_by_role("button", name="Promise callback").click()
    expect(page.locator(".callback-promise-form .case-done")).to_contain_text("Callback promised: 06 12345678 between")
    page.screenshot(path=tmp_path / "picture-768.png", full_page=False)
    callback = Callback.objects.get()

    page.goto(f"{live_server.url}/cases/queues/phone/")
    row = page.locator(f"#queue-case-{callback.case_id}")
    expect(row).to_contain_text("Call back: Tweede SIM")
    expect(row.locator(".queue-callback")).to_contain_text("Call back 06 12345678 between")
    page.screenshot(path=tmp_path / "queue-768.png", full_page=False)

    row.get_by_role("link", name="Call back: Tweede SIM").click()
    page.fill(f"#callback-{callback.pk}-done-outcome", "Klant gesproken: SIM komt morgen.")
    page.screenshot(path=tmp_path / "case-768.png", full_page=True)
    page.get_by_role("button", name="Callback made").click()
    expect(page.locator(".messages")).to_contain_text("Callback made; the outcome is on the timeline.")
    expect(page.locator("#case-head")).to_contain_text("Resolved")
    expect(page.locator(".case-entries")).to_contain_text("Called back 06 12345678 as promised")
    page.close()

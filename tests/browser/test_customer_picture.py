import pytest
from playwright.sync_api import expect

from tests.factories import add_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue_customer(customer):
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    add_invoice(customer, number="INV-2026-882", amount="500.00", days_overdue=20)
    return customer


def test_webcare_finds_a_caller_by_phone_and_records_a_note(page, login, live_server, overdue_customer):
    login(page, "webcare")
    page.keyboard.press("/")
    page.keyboard.type("06 12 34 56 78")
    result = page.locator("#search-results a", has_text="Jeroen de Vries")
    expect(result).to_be_visible()
    result.click()

    credit = page.locator("[data-flag=credit]")
    expect(credit).to_contain_text("Hold")
    expect(credit).to_contain_text("2 invoices overdue, EUR 1,240 open, oldest 47 days")

    page.fill("#record-form input[name=summary]", "Belde over het vogelhuisje, stuurt foto")
    page.click("#record-form button[type=submit]")
    first = page.locator("#timeline-entries li.entry").first
    expect(first).to_contain_text("Belde over het vogelhuisje, stuurt foto")
    expect(page.locator("#record-form input[name=summary]")).to_have_value("")


def test_the_picture_fits_a_768px_tablet_without_sideways_scrolling(page, login, live_server, overdue_customer):
    login(page, "store")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server.url}{overdue_customer.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Jeroen de Vries")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0

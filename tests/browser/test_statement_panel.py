"""An agent sends this month's invoice statement from the invoices panel."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CustomerFactory, add_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set SCREENSHOT_DIR to keep pictures of the panel before and after (for review and the docs).
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")


def shoot(page, name: str, locator=None):
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        (locator or page).screenshot(path=str(Path(SCREENSHOT_DIR) / name))


@pytest.fixture
def debtor(db, settings, tmp_path):
    settings.LETTERS_DIR = str(tmp_path / "letters")
    customer = CustomerFactory(
        name="Jeroen de Vries",
        customer_number="C-200001",
        email="j.devries@example.nl",
        address={"street": "Dorpsstraat 12", "postal_code": "3511 AB", "city": "Utrecht"},
    )
    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    add_invoice(customer, number="INV-2026-905", amount="120.50", due_in=10)
    return customer


@pytest.mark.parametrize("width", [1280, 768])
def test_a_phone_agent_sends_the_statement_and_sees_it_go_out(page, login, live_server, debtor, width):
    login(page, "phone")
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{live_server.url}{debtor.get_absolute_url()}")
    panel = page.locator("#panel-invoices")
    expect(panel.get_by_role("button", name="Send statement")).to_be_visible()
    shoot(page, f"statement-panel-before-{width}.png", panel)

    panel.get_by_role("button", name="Send statement").click()

    expect(panel).to_contain_text("Went out")
    expect(panel.locator(".statement-message")).to_have_count(2)
    expect(panel.locator(".pill.st-sent")).to_have_count(2)
    expect(panel.get_by_role("button", name="Send a copy")).to_be_visible()
    first = page.locator("#timeline-entries li.entry").first
    expect(first).to_contain_text("Invoice statement for")
    expect(first).to_contain_text("EUR 860.50")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    shoot(page, f"statement-panel-after-{width}.png", panel)
    shoot(page, f"statement-picture-{width}.png")

    panel.get_by_role("button", name="Send a copy").click()
    expect(panel).to_contain_text("A copy went out today")
    expect(panel.locator(".statement-message")).to_have_count(4)


def test_an_unconfirmed_delivery_is_shown_and_can_be_sent_again(page, login, live_server, debtor, settings):
    from django.utils import timezone

    from console.messaging.models import OutboundMessage
    from console.messaging.selectors import period_of
    from console.messaging.statements import statement_send
    from console.messaging.tasks import message_send_task
    from tests.messaging.backends import WorkerDied

    real = settings.MESSAGING_BACKENDS
    settings.MESSAGING_BACKENDS = {**real, "email": "tests.messaging.backends.DiesAfterHandingOver"}
    with pytest.raises(WorkerDied):  # the worker dies with the e-mail handed over, not recorded
        statement_send(customer_id=debtor.pk, period=period_of(timezone.localdate()))
    settings.MESSAGING_BACKENDS = real
    message_send_task.delay(OutboundMessage.objects.get(channel="email").pk)  # delivered again
    message_send_task.delay(OutboundMessage.objects.get(channel="post").pk)  # its own task, on another worker
    login(page, "webcare")
    page.goto(f"{live_server.url}{debtor.get_absolute_url()}")
    panel = page.locator("#panel-invoices")

    unknown = panel.locator(".statement-message", has_text="E-mail to j.devries@example.nl")
    expect(unknown.locator(".pill")).to_have_text("Delivery not confirmed")
    expect(unknown).to_contain_text("ask the customer before sending it again")
    expect(page.locator("#timeline-entries li.entry").first).to_contain_text("delivery not confirmed")
    shoot(page, "statement-panel-unknown-1280.png", panel)

    page.once("dialog", lambda dialog: dialog.accept())
    unknown.get_by_role("button", name="Send again").click()
    expect(panel).to_contain_text("The message is being sent again.")
    expect(panel.locator(".pill.st-sent")).to_have_count(2)

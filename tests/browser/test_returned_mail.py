"""Story S2 in the browser: a returned letter prompts two agents on the same customer; when one
corrects the address, the prompt vanishes from the other's screen without a reload."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from console.ingest.models import ApiToken
from tests.factories import CustomerFactory
from tests.ingest.events import event, order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set SCREENSHOT_DIR to keep pictures of the prompt at 1280 and 768 px (for review and the docs).
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")


def shoot(page, name: str):
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / name))


def test_the_prompt_vanishes_for_the_second_agent_when_the_first_corrects_the_address(
    browser, server, worker, make_user
):
    make_user("phone", username="lotte", first_name="Lotte", last_name="Visser")
    make_user("store", username="noor", first_name="Noor", last_name="de Boer")
    customer = CustomerFactory(
        name="Jeroen de Vries",
        customer_number="C-200001",
        address={"street": "Dorpsstraat 1", "postal_code": "1234 AB", "city": "Ergens"},
    )
    _, token = ApiToken.issue(source="postroom", scopes=["events:write"])
    desk = server.open_live(browser, "lotte", customer, width=1280)
    tablet = server.open_live(browser, "noor", customer, width=768)
    tablet.evaluate("window.stillTheSamePage = true")

    returned = {
        "mail_ref": "INV-2026-881 statement",
        "reason": "addressee_unknown",
        "address": "Dorpsstraat 1, 1234 AB Ergens",
    }
    assert server.post_event(token, event("mail.returned", returned)) == 201
    for page in (desk, tablet):
        prompt = page.locator("#address-prompt")
        expect(prompt).to_contain_text("Post to Dorpsstraat 1, 1234 AB Ergens came back")
        expect(prompt).to_contain_text("Confirm the address with the customer.")
        expect(page.locator("[data-flag=data_quality]")).to_contain_text("Address undeliverable")
    shoot(desk, "returned-mail-prompt-1280.png")
    shoot(tablet, "returned-mail-prompt-768.png")
    assert tablet.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0

    # The store agent starts typing too: a push must not throw that away while the prompt stays.
    tablet.locator("#address-prompt summary", has_text="Correct the address").click()
    tablet.fill("#address-prompt [name=street]", "Kerkstr")
    shoot(tablet, "returned-mail-correct-768.png")
    assert server.post_event(token, order(number="WS-2026-7")) == 201  # re-renders every panel, the prompt too
    expect(tablet.locator("#panel-orders")).to_contain_text("WS-2026-7")
    expect(tablet.locator("#address-prompt [name=street]")).to_have_value("Kerkstr")
    desk.locator("#address-prompt summary", has_text="Correct the address").click()
    desk.fill("#address-prompt [name=street]", "Kerkstraat 5")
    desk.fill("#address-prompt [name=postal_code]", "56789")
    desk.fill("#address-prompt [name=city]", "Elders")
    desk.get_by_role("button", name="Save the new address").click()
    expect(desk.locator("#address-prompt [role=alert]")).to_contain_text("A Dutch postal code is 4 digits")
    expect(desk.locator("#address-prompt [name=street]")).to_have_value("Kerkstraat 5")
    # A push that re-renders the prompt now (another order) keeps the error and the typing.
    assert server.post_event(token, order(number="WS-2026-8")) == 201
    expect(desk.locator("#panel-orders")).to_contain_text("WS-2026-8")
    expect(desk.locator("#address-prompt [role=alert]")).to_contain_text("A Dutch postal code is 4 digits")
    expect(desk.locator("#address-prompt [name=street]")).to_have_value("Kerkstraat 5")
    shoot(desk, "returned-mail-correct-1280.png")
    expect(tablet.locator("#address-prompt [name=street]")).to_have_value("Kerkstr")

    desk.fill("#address-prompt [name=postal_code]", "5678 cd")
    desk.get_by_role("button", name="Save the new address").click()

    for page in (desk, tablet):
        expect(page.locator("#address-prompt")).not_to_contain_text("came back")
        expect(page.locator("#customer-header")).to_contain_text("Kerkstraat 5, 5678 CD Elders")
        expect(page.locator("[data-flag=data_quality]")).not_to_contain_text("Address undeliverable")
        expect(page.locator("#timeline-entries li.entry").first).to_contain_text("closed: Confirm address")
        expect(page.locator("#timeline-entries")).to_contain_text("Address corrected: Dorpsstraat 1, 1234 AB Ergens")
    assert tablet.evaluate("window.stillTheSamePage") is True

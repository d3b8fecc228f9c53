"""An agent texts the customer from the messages panel; a colleague on the same customer sees
the message arrive and its status move from queued to sent, on the panel and on the timeline,
without a reload; at 768 px the panel fits the tablet."""

import pytest
from playwright.sync_api import expect

from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_text_goes_out_and_its_status_reaches_the_colleagues_timeline_live(browser, server, worker, make_user):
    make_user("webcare", username="lotte", first_name="Lotte", last_name="Visser")
    make_user("phone", username="daan", first_name="Daan", last_name="Smit")
    customer = CustomerFactory(name="Ahmed Yilmaz", phone="06 34567890", email="a.yilmaz@example.nl")
    lotte = server.open_live(browser, "lotte", customer, width=1280)
    daan = server.open_live(browser, "daan", customer, width=768)
    daan.evaluate("window.stillTheSamePage = true")

    panel = lotte.locator("#panel-messages")
    panel.locator("summary", has_text="Write to the customer").click()
    panel.locator("select[name=channel]").select_option("sms")
    panel.locator("textarea[name=text]").fill("De tweede SIM-kaart komt morgen tussen 10 en 12 uur.")
    panel.get_by_role("button", name="Send").click()
    expect(panel).to_contain_text("Your SMS is on its way.")
    expect(panel.locator("textarea[name=text]")).to_have_value("")

    for page in (lotte, daan):
        item = page.locator("#message-list .message-item").first
        expect(item).to_contain_text("SMS to +31634567890")
        expect(item.locator(".pill")).to_have_text("Sent")
        entry = page.locator("#timeline-entries li.entry").first
        expect(entry).to_contain_text("SMS to +31634567890: De tweede SIM-kaart komt morgen tussen 10 en 12 uur.")
        expect(entry.locator("[data-message-status]")).to_have_text("Sent")
    assert daan.evaluate("window.stillTheSamePage") is True
    assert daan.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0

"""Story 2 of STORIES.md in Chromium: a returned letter reaches every channel, and the corrected
address clears the flag on every screen (tests/browser/stories_shared.py).
"""

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_shared import outbox_fixture, users_fixture  # noqa: F401 - the fixtures "outbox", "users"
from tests.browser.stories_support import TABLET, StoryRun, console_open, no_sideways_scroll, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_s2_a_returned_letter_reaches_every_channel_and_the_correction_clears_the_flag(browser, server, worker, users):
    sanne = demo.story_seed(demo.s2_sanne, users)
    webcare = console_open(browser, server, "webcare", customer=sanne)
    phone = console_open(browser, server, "phone", customer=sanne)
    store = console_open(browser, server, "store", size=TABLET, customer=sanne)
    agents = (webcare, phone, store)
    # The "before" state: the first letter came back, the address is already flagged.
    for page in agents:
        expect(page.locator("[data-flag=data_quality]")).to_contain_text("Address undeliverable")
    story = StoryRun(server, "s2")

    # 1. The post room scans the second returned letter: on every screen within a second or so.
    step = story.next_step()
    for page in agents:
        returned = page.locator("#timeline-entries li.entry").filter(has_text="INV-2026-881 herinnering")
        expect(returned).to_be_visible(timeout=2_000)
        expect(page.locator("#address-prompt")).to_contain_text("Post to Dorpsstraat 1, 1234 AB Ergens came back")
        expect(page.locator("[data-flag=data_quality]")).to_contain_text("Address undeliverable")
    assert "Dorpsstraat 1, 1234 AB Ergens: undeliverable" in story.check(step)
    assert no_sideways_scroll(store)
    shoot(webcare, "s2-1-letter-returned-webcare.png")
    shoot(store, "s2-1-letter-returned-store.png")

    # 2. Her tweet finds her by handle; webcare sees it on top with both returned letters below.
    story.next_step()
    tweet = webcare.locator("#timeline-entries li.entry").first
    expect(tweet).to_contain_text("letters keep coming for someone who does not live here")
    expect(tweet).to_contain_text("Twitter")
    expect(webcare.locator("#timeline-entries li.kind-mail_returned")).to_have_count(2)
    expect(webcare.locator("#activity")).to_contain_text("Active on Twitter")
    shoot(webcare, "s2-2-tweet.png", show=webcare.locator("#live-bar"))

    # 3. Webcare's public reply is on the timeline as outbound.
    story.next_step()
    reply = webcare.locator("#timeline-entries li.entry").first
    expect(reply).to_contain_text("Replied: sorry, we will correct the address")
    expect(reply).to_contain_text("outbound")

    # The prompt is answered: webcare corrects the address; it clears on every screen, on the record.
    webcare.locator("#address-prompt summary", has_text="Correct the address").click()
    webcare.fill("#address-prompt [name=street]", "Kerkstraat 5")
    webcare.fill("#address-prompt [name=postal_code]", "5678 CD")
    webcare.fill("#address-prompt [name=city]", "Elders")
    shoot(webcare, "s2-3-correct-address.png")
    webcare.get_by_role("button", name="Save the new address").click()
    for page in agents:
        expect(page.locator("#address-prompt")).not_to_contain_text("came back")
        expect(page.locator("#customer-header")).to_contain_text("Kerkstraat 5, 5678 CD Elders")
        expect(page.locator("[data-flag=data_quality]")).not_to_contain_text("Address undeliverable")
        expect(page.locator("#timeline-entries")).to_contain_text("Address corrected: Dorpsstraat 1, 1234 AB Ergens")
        assert page.evaluate("window.stillTheSamePage") is True
    shoot(store, "s2-3-corrected-store.png")
    story.close()

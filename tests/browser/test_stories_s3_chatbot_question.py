"""Story 3 of STORIES.md in Chromium: the call pops with last night's chatbot question, and the
store tablet shows the wish list (tests/browser/stories_shared.py).
"""

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_shared import entry, outbox_fixture, users_fixture  # noqa: F401 - the fixtures "outbox", "users"
from tests.browser.stories_support import TABLET, StoryRun, console_open, no_sideways_scroll, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_s3_the_call_pops_with_last_nights_chatbot_question_and_the_tablet_shows_the_wish_list(
    browser, server, worker, users
):
    fatima = demo.story_seed(demo.s3_fatima, users)
    daan = console_open(browser, server, "phone")
    webcare = console_open(browser, server, "webcare")
    store = console_open(browser, server, "store", size=TABLET, customer=fatima)
    story = StoryRun(server, "s3")

    # 1-3. Last night: the chatbot, the web shop and the wish list, found by her e-mail address.
    story.next_step()
    chat = store.locator("#timeline-entries li.entry", has_text="Asked the chatbot again")
    expect(chat).to_contain_text("Chatbot")
    story.next_step()
    expect(entry(store, "Viewed Philips Airfryer XXL: out of stock online").first).to_be_visible()
    story.next_step()
    wishlist = store.locator("#panel-wishlist")
    expect(wishlist).to_contain_text("Philips Airfryer XXL")
    expect(wishlist).to_contain_text("Siliconen ovenwanten")
    expect(wishlist.locator(".count")).to_have_text("3")
    assert no_sideways_scroll(store)
    shoot(store, "s3-3-wish-list-store.png", show=wishlist)

    # 4. Next morning she calls: the picture pops for Daan, the chatbot question right at the top.
    story.next_step()
    daan.wait_for_url(f"{server.url}{fatima.get_absolute_url()}")
    entries = daan.locator("#timeline-entries li.entry")
    expect(entries.nth(0)).to_contain_text("Incoming call for Daan Smit")
    expect(entries.nth(1)).to_contain_text("Wish list updated")
    expect(entries.nth(3)).to_contain_text("Is de Philips Airfryer XXL al weer op voorraad?")
    # ... and above the timeline, first of all: what she last asked, on which channel.
    latest = daan.locator("#latest-questions li").first
    expect(latest).to_contain_text("Chatbot · Yesterday 21:41")
    expect(latest).to_contain_text("Asked the chatbot again whether the Philips Airfryer XXL is back in stock")
    expect(latest).to_be_in_viewport()
    expect(daan.locator("#panel-wishlist")).to_contain_text("Philips Airfryer XXL")
    shoot(daan, "s3-4-call-pops.png")
    # Only the agent who takes the call gets the pop.
    webcare.wait_for_timeout(500)
    assert webcare.url == f"{server.url}/inbox/mine/"

    # 5. The call ends; the store's tablet has the outcome without a reload.
    story.next_step()
    expect(store.locator("#timeline-entries li.entry").first).to_contain_text("Airfryer reserved in store Utrecht")
    assert store.evaluate("window.stillTheSamePage") is True
    shoot(store, "s3-5-call-ended-store.png", show=store.locator("#timeline"))
    story.close()

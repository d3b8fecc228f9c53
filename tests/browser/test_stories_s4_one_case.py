"""Story 4 of STORIES.md in Chromium: contacts from three channels join one case, and the agents
on the customer see each other (tests/browser/stories_shared.py).
"""

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_shared import entry, outbox_fixture, users_fixture  # noqa: F401 - the fixtures "outbox", "users"
from tests.browser.stories_support import TABLET, StoryRun, console_open, no_sideways_scroll, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_s4_contacts_from_three_channels_join_one_case_and_agents_see_each_other(browser, server, worker, users):
    pieter = demo.story_seed(demo.s4_pieter, users)
    case = pieter.cases.get(title="Internet storing sinds maandag")
    lotte = console_open(browser, server, "webcare", customer=pieter)
    daan = console_open(browser, server, "phone")
    store = console_open(browser, server, "store", size=TABLET, customer=pieter)
    story = StoryRun(server, "s4")

    # 1. Web site and chat at the same moment (one batch): both join his open case.
    story.next_step()
    for text in ("Checking the case status in My Account", "Chat: the engineer did not come this morning"):
        expect(entry(lotte, text).locator(".entry-case")).to_have_text(f"Case {case.reference}")
    activity = lotte.locator("#activity")
    expect(activity).to_contain_text("Active on Chat")
    expect(activity).to_contain_text("Active on Web")
    expect(store.locator("#activity")).to_contain_text("Active on Chat")
    shoot(lotte, "s4-1-web-and-chat.png", show=lotte.locator("#live-bar"))

    # 2. He calls while still in chat: Daan gets the picture with the case, its next step and
    # the colleagues already on this customer.
    story.next_step()
    daan.wait_for_url(f"{server.url}{pieter.get_absolute_url()}")
    cases = daan.locator("#panel-cases article.case", has_text="Internet storing sinds maandag")
    expect(cases).to_contain_text("Daan Smit")
    expect(cases).to_contain_text("due ")
    expect(cases).to_contain_text("Next: Engineer visit booked: confirm the time slot with the customer")
    expect(daan.locator("#activity")).to_contain_text("Active on Chat")
    presence = daan.locator("#presence")
    expect(presence).to_contain_text("Also here:")
    expect(presence.locator(".viewer", has_text="Lotte Visser")).to_contain_text("webcare")
    expect(presence.locator(".viewer", has_text="Noor de Boer")).to_contain_text("store")
    expect(lotte.locator("#presence")).to_contain_text("Daan Smit")
    # Lotte starts typing in chat; Daan sees it, so they do not both answer him.
    lotte.fill("#record-form input[name=summary]", "Monteur opnieuw inplannen")
    expect(daan.locator("#presence .viewer.typing")).to_contain_text("Lotte Visser")
    expect(daan.locator("#presence")).to_contain_text("is typing…")
    shoot(daan, "s4-2-call-collision.png")
    assert no_sideways_scroll(store)
    shoot(store, "s4-2-store-tablet.png")
    expect(store.locator("#panel-cases")).to_contain_text("Next: Engineer visit booked")
    shoot(store, "s4-2-store-case-768.png", show=store.locator("#panel-cases"))

    # 3. The phone note joins the same case: the case page lists contacts from three channels.
    story.next_step()
    expect(entry(daan, "Engineer rebooked for Thursday").locator(".entry-case")).to_have_text(f"Case {case.reference}")
    story.next_step()  # 4. the call ends
    expect(daan.locator("#timeline-entries li.entry").first).to_contain_text("Call ended after 7:06")
    daan.goto(f"{server.url}{case.get_absolute_url()}")
    expect(daan.locator("#case-head")).to_contain_text("Internet storing sinds maandag")
    expect(daan.locator("#case-head")).to_contain_text("Daan Smit")
    history = daan.locator(".case-entries li.entry")
    for channel in ("web", "chat", "phone"):
        expect(history.and_(daan.locator(f"[data-channel={channel}]")).first).to_be_visible()
    expect(history.first).to_contain_text("Engineer rebooked for Thursday")
    shoot(daan, "s4-3-case-page.png")
    story.close()

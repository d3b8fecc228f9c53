"""Story 1 of STORIES.md in Chromium: Jeroen calls, the phone agent sees his orders, invoices
and flags and opens the return; Marieke, a loyal customer, calls next (tests/browser/stories_shared.py).
"""

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_shared import entry, outbox_fixture, users_fixture  # noqa: F401 - the fixtures "outbox", "users"
from tests.browser.stories_support import TABLET, StoryRun, console_open, no_sideways_scroll, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_s1_the_phone_agent_sees_orders_invoices_and_flags_and_opens_the_return(browser, server, worker, users):
    jeroen = demo.story_seed(demo.s1_jeroen, users)
    marieke = demo.story_seed(demo.s1_marieke, users)
    daan = console_open(browser, server, "phone")
    store = console_open(browser, server, "store", size=TABLET, customer=jeroen)
    story = StoryRun(server, "s1")

    # 1. Jeroen calls: his picture pops on Daan's screen with the back office on it.
    story.next_step()
    daan.wait_for_url(f"{server.url}{jeroen.get_absolute_url()}")
    order = daan.locator("#panel-orders article.order", has_text="WS-2026-11803")
    expect(order).to_contain_text("Vogelhuisje Eiken")
    expect(order.locator("li.line")).to_contain_text("Wrong item")
    expect(daan.locator("#panel-orders")).to_contain_text("WS-2026-11801")
    invoices = daan.locator("#panel-invoices")
    expect(invoices).to_contain_text("2 overdue")
    expect(invoices.locator("tr", has_text="INV-2026-612")).to_contain_text("Overdue")
    expect(invoices.locator("tr", has_text="INV-2026-802")).to_contain_text("Paid")
    credit = daan.locator("[data-flag=credit]")
    expect(credit).to_contain_text("Hold")
    expect(credit).to_contain_text("2 invoices overdue, EUR 1,240 open, oldest 47 days")
    expect(daan.locator("[data-flag=loyalty]")).to_be_visible()
    expect(entry(daan, "Incoming call for Daan Smit")).to_be_visible()
    shoot(daan, "s1-1-call-pops.png")
    # The store tablet shows the same flags (without amounts: store sees the open balance only).
    expect(store.locator("[data-flag=credit]")).to_contain_text("Hold")
    expect(store.locator("[data-flag=loyalty]")).to_be_visible()
    expect(entry(store, "Incoming call for Daan Smit")).to_be_visible()
    assert no_sideways_scroll(store)
    shoot(store, "s1-1-store-tablet.png")

    # 2. His complaint lands on the timeline; the return for the wrong item takes two clicks.
    story.next_step()
    expect(daan.locator("#timeline-entries li.entry").first).to_contain_text("pop CD instead of the birdhouse")
    line = daan.locator("#panel-orders li.line", has_text="Vogelhuisje Eiken")
    line.locator("summary", has_text="Return…").click()
    line.get_by_role("button", name="Wrong item").click()
    returns = daan.locator("#panel-returns")
    expect(returns).to_contain_text("order WS-2026-11803 · wrong item")
    expect(returns).to_contain_text("Vogelhuisje Eiken")
    expect(daan.locator("#panel-orders li.line", has_text="Vogelhuisje Eiken")).to_contain_text("Return open")
    expect(store.locator("#panel-returns")).to_contain_text("order WS-2026-11803")
    shoot(daan, "s1-2-return-opened.png")

    # 3. The call ends: duration and outcome on the timeline.
    story.next_step()
    expect(daan.locator("#timeline-entries li.entry").first).to_contain_text(
        "Call ended after 5:12: Return for the wrong item, birdhouse re-sent"
    )

    # 4. The web shop's credit check (API), and the same question asked in the console.
    step = story.next_step()
    answer = story.check(step)
    assert "credit check for EUR 900.00: refused" in answer, answer
    daan.fill("#credit-amount", "900")
    daan.locator("#panel-credit-check").get_by_role("button", name="Check").click()
    verdict = daan.locator("#panel-credit-check .credit-answer")
    expect(verdict).to_contain_text("Refused")
    expect(verdict).to_contain_text("on hold")
    shoot(daan, "s1-4-credit-check.png", show=daan.locator("#panel-credit-check"))

    # 5. Marieke calls: a loyal customer, and the console says so.
    step = story.next_step()
    daan.wait_for_url(f"{server.url}{marieke.get_absolute_url()}")
    loyalty = daan.locator("[data-flag=loyalty]")
    expect(loyalty).to_contain_text("Gold")
    assert "loyalty flag gold" in story.check(step)
    shoot(daan, "s1-5-loyal-customer.png")

    # 6. Her call ends.
    story.next_step()
    expect(daan.locator("#timeline-entries li.entry").first).to_contain_text("Question about delivery answered")
    story.close()

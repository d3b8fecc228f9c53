"""The five stories of STORIES.md end to end: the demo's "before" state, the simulator's own steps
sent through the public API, and after each step what the agents see in Chromium, live, at the
screen sizes of the people in the story (desk 1280 px, store tablet 768 px).

SCREENSHOT_DIR=docs/img/stories keeps one picture per step for docs/stories.md.
"""

import threading
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_support import (
    TABLET,
    StoryRun,
    console_open,
    demo_users,
    no_sideways_scroll,
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def outbox(monkeypatch, settings, tmp_path):
    """SMS "go out" into a folder of the test's own, in the test and in the server it starts."""
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))
    settings.OUTBOX_DIR = str(tmp_path / "outbox")


@pytest.fixture
def users(db):
    return demo_users()


def entry(page, text: str):
    """The timeline entry that says ``text``."""
    return page.locator("#timeline-entries li.entry", has_text=text)


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
    assert webcare.url == f"{server.url}/customers/"

    # 5. The call ends; the store's tablet has the outcome without a reload.
    story.next_step()
    expect(store.locator("#timeline-entries li.entry").first).to_contain_text("Airfryer reserved in store Utrecht")
    assert store.evaluate("window.stillTheSamePage") is True
    shoot(store, "s3-5-call-ended-store.png", show=store.locator("#timeline"))
    story.close()


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


def callbacks_run_as_if_at(moment):
    """The beat job's service, run with the clock at ``moment`` (in a thread: Playwright's event
    loop owns this one, and the live push after commit needs a loop-free thread)."""
    from console.callbacks.services import callbacks_warn_about_to_be_missed

    moved = []
    worker_thread = threading.Thread(target=lambda: moved.append(callbacks_warn_about_to_be_missed(now=moment)))
    worker_thread.start()
    worker_thread.join(30)
    return moved[0]


def test_s5_the_sim_journey_goes_off_track_and_the_customer_is_told_texted_and_heard(browser, server, worker, users):
    ahmed = demo.story_seed(demo.s5_ahmed, users)
    journey_case = ahmed.cases.get(kind="journey")
    callback_case = ahmed.cases.get(title=demo.CALLBACK_TITLE)
    complaint = ahmed.cases.get(kind="complaint")
    daan = console_open(browser, server, "phone", customer=ahmed)
    journey = console_open(browser, server, "phone")
    journey.goto(f"{server.url}{journey_case.get_absolute_url()}")
    progress = journey.locator("#journey-progress")
    expect(journey.locator("#case-head")).to_contain_text("Daan Smit")
    tablet = console_open(browser, server, "store", size=TABLET)
    tablet.goto(f"{server.url}{journey_case.get_absolute_url()}")
    story = StoryRun(server, "s5")

    # Before: the expired passport is flagged, the complaint has an owner, a deadline and a
    # status, the callback is promised, and the journey waits for the SIM cards to be sent.
    expect(daan.locator("[data-flag=id_document]")).to_contain_text("expired")
    cases = daan.locator("#panel-cases")
    complaint_line = cases.locator("article.case", has_text="Klacht: tweede SIM-kaart niet geleverd")
    expect(complaint_line).to_contain_text("Joost Mulder")
    expect(complaint_line).to_contain_text("due ")
    expect(complaint_line).to_contain_text("Open")
    expect(cases.locator("article.case", has_text=demo.CALLBACK_TITLE)).to_contain_text("Next: Call back 06 34567890")
    expect(cases.locator("article.case", has_text="Nummerbehoud")).to_contain_text("step 1 of 4")
    expect(progress).to_contain_text("0 of 4 steps done")
    shoot(daan, "s5-0-before.png", show=cases)

    # 1. The courier is on the way with the second SIM: step 1 done, Ahmed texted.
    story.next_step()
    line = daan.locator("#panel-orders li.line", has_text="SIM-kaart (nummer dochter)")
    expect(line).to_contain_text("Shipped")
    expect(cases.locator("article.case", has_text="Nummerbehoud")).to_contain_text("step 2 of 4")
    expect(entry(daan, "Journey step 1 of 4 done").first).to_be_visible()
    expect(progress).to_contain_text("1 of 4 steps done")
    expect(progress.locator(".step-current")).to_contain_text("ID checked at the door")
    shoot(journey, "s5-1-journey-step-2.png", show=progress)

    # 2. The passport at the door does not match: the record takes the scan, the flag says so,
    # the journey goes off track and Ahmed is texted his choices.
    step = story.next_step()
    expect(daan.locator("[data-flag=id_document]")).to_contain_text("match")
    expect(daan.locator("#customer-header")).to_contain_text("Paspoort ···7730")
    assert "mismatch" in story.check(step)
    expect(progress.locator(".step-failed")).to_contain_text("Off track: The ID at the door did not match")
    expect(progress.get_by_role("button", name="Update the ID on file and deliver again")).to_be_visible()
    shoot(daan, "s5-2-id-mismatch.png")
    shoot(journey, "s5-2-journey-off-track.png", show=progress)

    # 3. The courier keeps the second SIM: the failure is told too, with that failure's choices.
    story.next_step()
    expect(line).to_contain_text("Delivery failed")
    expect(progress).to_contain_text("A SIM card could not be delivered")
    for choice in ("Deliver the SIM card again", "Pick it up in a store", "Cancel that number's porting"):
        expect(progress.get_by_role("button", name=choice)).to_be_visible()
    messages = daan.locator("#panel-messages")
    expect(messages.locator(".message-item").first).to_contain_text("SMS")
    expect(messages.locator(".message-item").first.locator(".pill")).to_have_text("Sent")
    shoot(daan, "s5-3-customer-texted.png", show=messages)
    shoot(journey, "s5-3-sim-failed-choices.png", show=progress)
    # The store tablet shows the same journey and choices, big enough to tap.
    choice = tablet.locator("#journey-progress").get_by_role("button", name="Pick it up in a store")
    expect(choice).to_be_visible()
    # A live refresh may be replacing the box at this moment (a button being swapped out
    # measures 0): measure the one on screen once the box has settled.
    assert settled_height(choice) >= 40
    assert no_sideways_scroll(tablet)
    shoot(tablet, "s5-3-choices-store-tablet.png", show=tablet.locator("#journey-progress"))

    # 4. Nobody calls back in time: the beat job, with the clock 10 minutes before the window
    # ends, moves the callback and texts Ahmed the new time; the agent sees it on the timeline.
    step = story.next_step()
    callback = callback_case.callbacks.get()
    assert callbacks_run_as_if_at(callback.window_end - timedelta(minutes=10)) == 1
    moved = entry(daan, "the promised window would have been missed").first
    expect(moved.locator(".entry-case")).to_have_text(f"Case {callback_case.reference}")
    texted = daan.locator("#timeline-entries li.entry.kind-message", has_text="SMS").first
    expect(texted.locator(".entry-case")).to_have_text(f"Case {callback_case.reference}")
    assert story.check(step).startswith("callback moved")
    shoot(daan, "s5-4-callback-moved.png", show=daan.locator("#timeline"))

    # 5. Ahmed's SMS reply lands on the callback case; the agent records his choice on the journey.
    story.next_step()
    reply = entry(daan, "SMS reply: the new time for the callback is fine")
    expect(reply.locator(".entry-case")).to_have_text(f"Case {callback_case.reference}")
    shoot(daan, "s5-5-sms-reply.png", show=daan.locator("#timeline"))
    progress.get_by_role("button", name="Deliver the SIM card again").click()
    expect(journey.locator("#case-head")).to_contain_text("Arrange what the customer chose: Deliver the SIM card again")
    expect(entry(daan, "Customer chose: Deliver the SIM card again").first).to_be_visible()

    # The written complaint is a case like any other: owner, deadline, status, on its own page.
    journey.goto(f"{server.url}{complaint.get_absolute_url()}")
    head = journey.locator("#case-head")
    expect(head).to_contain_text("Complaint")
    expect(head).to_contain_text("came in on Post")
    expect(head).to_contain_text("Joost Mulder")
    expect(head).to_contain_text("Answer due")
    expect(head).to_contain_text("Answer the written complaint in writing")
    shoot(journey, "s5-6-complaint.png")
    story.close()


def settled_height(button, seconds: float = 5.0) -> float:
    """The button's height as the agent sees it: measured again while a live swap leaves it at 0."""
    deadline = time.monotonic() + seconds
    height = button.evaluate("button => button.getBoundingClientRect().height")
    while height == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
        height = button.evaluate("button => button.getBoundingClientRect().height")
    return height

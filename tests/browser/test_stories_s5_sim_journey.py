"""Story 5 of STORIES.md in Chromium: the SIM journey goes off track, and the customer is told,
texted and heard (tests/browser/stories_shared.py).
"""

import threading
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from console.demo import stories as demo
from tests.browser.stories_shared import entry, outbox_fixture, users_fixture  # noqa: F401 - the fixtures "outbox", "users"
from tests.browser.stories_support import TABLET, StoryRun, console_open, no_sideways_scroll, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def callbacks_run_as_if_at(moment):
    """The beat job's service, run with the clock at ``moment`` (in a thread: Playwright's event
    loop owns this one, and the live push after commit needs a loop-free thread)."""
    from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed

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

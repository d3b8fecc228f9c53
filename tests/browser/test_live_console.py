"""Two agents on one customer, a desktop and a store tablet: events arrive without reload,
each sees the other, and a call pops on the phone agent's screen only."""

import pytest
from playwright.sync_api import expect

from console.customers.services import identifier_add
from console.ingest.models import ApiToken
from tests.factories import CustomerFactory, add_entries
from tests.ingest.events import event, interaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_consoles_stay_live_and_see_each_other(browser, server, make_user):
    make_user("webcare", username="lotte", first_name="Lotte", last_name="Visser")
    make_user("store", username="noor", first_name="Noor", last_name="de Boer")
    customer = CustomerFactory(name="Sanne Jansen", customer_number="C-200002", email="sanne@example.nl")
    add_entries(customer, 3)
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    desk = server.login(browser, "lotte")
    tablet = server.login(browser, "noor", width=768)
    for page in (desk, tablet):
        page.goto(f"{server.url}{customer.get_absolute_url()}")
        expect(page.locator("#live-state")).to_have_attribute("data-state", "live")

    expect(desk.locator("#presence")).to_contain_text("Noor de Boer")
    expect(tablet.locator("#presence")).to_contain_text("Lotte Visser")

    assert (
        server.post_event(
            token,
            interaction(customer={"email": "sanne@example.nl"}, summary="@klantbeeld de brieven komen nog steeds"),
        )
        == 201
    )
    for page in (desk, tablet):
        first = page.locator("#timeline-entries li.entry").first
        expect(first).to_contain_text("de brieven komen nog steeds")
        assert page.locator("#timeline-entries li.entry").count() == 4

    tablet.fill("#record-form input[name=summary]", "Adres gecontroleerd aan de balie")
    expect(desk.locator("#presence")).to_contain_text("is typing")
    overflow = tablet.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0


def test_a_call_pops_the_callers_picture_for_the_phone_agent_only(browser, server, make_user):
    make_user("phone", username="daan", first_name="Daan", last_name="Smit")
    make_user("phone", username="sanne", first_name="Sanne", last_name="Visser")
    caller = CustomerFactory(name="Fatima El Amrani", customer_number="C-200003")
    identifier_add(customer_id=caller.pk, kind="phone", value="06 23456789")
    add_entries(caller, 2, channel="chatbot", summary="Vraag aan de chatbot over de airfryer")
    _, token = ApiToken.issue(source="telephony", scopes=["events:write"])
    daan, other = server.login(browser, "daan"), server.login(browser, "sanne")
    for page in (daan, other):
        expect(page.locator("body")).to_have_attribute("data-live", "live")

    body = event(
        "call.started",
        {"call_id": "c-42", "from_number": "06 23456789", "agent": "daan"},
        customer={"phone": "06 23456789"},
    )
    assert server.post_event(token, body) == 201
    daan.wait_for_url(f"{server.url}{caller.get_absolute_url()}")
    expect(daan.locator("h1")).to_have_text("Fatima El Amrani")
    expect(daan.locator("#timeline-entries li.entry").nth(1)).to_contain_text("chatbot over de airfryer")
    other.wait_for_timeout(1000)
    assert other.url == f"{server.url}/inbox/mine/"


def test_a_late_answer_to_a_form_does_not_take_a_live_entry_off_the_page(browser, server, make_user):
    """The agent adds a note; the answer (the whole timeline as it was then) is slow to arrive,
    and a customer's message reaches the page live before it. The late answer must not take that
    message off the screen: the page asks for what came after the timeline it was given."""
    make_user("webcare", username="lotte", first_name="Lotte", last_name="Visser")
    customer = CustomerFactory(name="Sanne Jansen", customer_number="C-200004", email="sanne@example.nl")
    add_entries(customer, 2)
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    page = server.open_live(browser, "lotte", customer)
    held = []  # the answer to the note, fetched from the server but not yet given to the page
    page.route("**/record/", lambda route: held.append((route, route.fetch())))

    page.fill("#record-form input[name=summary]", "Gebeld over de levering")
    page.locator("#record-form").get_by_role("button", name="Add to timeline").click()
    entries = page.locator("#timeline-entries li.entry")
    expect(entries.first).to_contain_text("Gebeld over de levering")  # the note's own push
    for _ in range(50):  # the route's handler hands the answer over once it has it all
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    message = interaction(customer={"email": "sanne@example.nl"}, summary="Waar blijft mijn pakket?")
    assert server.post_event(token, message) == 201
    expect(entries.first).to_contain_text("Waar blijft mijn pakket?")

    route, answer = held[0]
    route.fulfill(response=answer)
    expect(page.locator("#record-form input[name=summary]")).to_have_value("")  # the answer is in
    expect(entries.first).to_contain_text("Waar blijft mijn pakket?")
    expect(entries).to_have_count(4)
    expect(entries.nth(1)).to_contain_text("Gebeld over de levering")

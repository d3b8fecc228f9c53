"""The case page in the browser: two agents on the same case; what one does, and a contact a
source system links to the case through the API, appear on the other's page without a reload."""

import re

import pytest
from playwright.sync_api import expect

from console.cases.services import case_open
from console.ingest.models import ApiToken
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_colleague_s_note_next_step_and_a_linked_tweet_appear_without_a_reload(browser, server, worker, make_user):
    make_user("phone", username="lotte", first_name="Lotte", last_name="Visser")
    make_user("store", username="noor", first_name="Noor", last_name="de Boer")
    customer = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001", handles=[("twitter", "@jdevries")])
    case = case_open(
        customer_id=customer.pk, title="Tweede SIM-kaart niet geleverd", next_step="Bel de koerier", channel="phone"
    )
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    desk = server.open_live(browser, "lotte", case, width=1280)
    tablet = server.open_live(browser, "noor", case, width=768)
    tablet.evaluate("window.stillTheSamePage = true")
    # The store agent is typing a note of her own: nothing that arrives may take it away.
    tablet.fill("#id_text", "Klant komt morgen langs")

    desk.fill("#id_text", "Koerier gebeld: de SIM komt morgen.")
    desk.get_by_role("button", name="Add note").click()
    expect(desk.locator(".case-done")).to_have_text("Note added.")
    expect(tablet.locator("#timeline-entries li.entry").first).to_contain_text("Koerier gebeld: de SIM komt morgen.")

    desk.fill("#id_next_step", "Wacht op de koerier (morgen)")
    desk.get_by_role("button", name="Save changes").click()
    expect(tablet.locator("#case-head .case-next")).to_contain_text("Wacht op de koerier (morgen)")
    # Her Change form was untouched, so it starts from the new values too.
    expect(tablet.locator("#id_next_step")).to_have_value("Wacht op de koerier (morgen)")

    tweet = interaction(
        channel="twitter",
        summary="@provider waar blijft mijn tweede SIM?",
        case_ref=case.reference,
        customer={"handle": {"network": "twitter", "value": "@jdevries"}},
    )
    assert server.post_event(token, tweet) == 201
    other = interaction(channel="twitter", summary="Leuke actie!", customer={"customer_number": "C-200001"})
    assert server.post_event(token, other) == 201
    for page in (desk, tablet):
        expect(page.locator("#timeline-entries li.entry").first).to_contain_text("waar blijft mijn tweede SIM?")
        expect(page.locator("#case-count")).to_have_text("4")  # opened, note, update, tweet
    # A contact of the customer that is not on this case stays off the case page.
    expect(tablet.locator("#timeline-entries")).not_to_contain_text("Leuke actie!")
    expect(tablet.locator("#id_text")).to_have_value("Klant komt morgen langs")
    assert tablet.evaluate("window.stillTheSamePage") is True
    assert tablet.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


def test_a_change_made_while_the_page_was_away_is_caught_up(browser, server, worker, make_user):
    make_user("phone", username="lotte")
    customer = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    case = case_open(customer_id=customer.pk, title="Factuur klopt niet", channel="email")
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    page = server.open_live(browser, "lotte", case, width=1280)
    page.evaluate("window.stillTheSamePage = true")

    # The socket drops (a laptop lid, a worker restart); meanwhile an e-mail is linked to the case.
    page.evaluate("document.body['htmx-internal-data'].webSocket.close()")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "reconnecting")
    mail = interaction(channel="email", summary="Bijlage: de factuur", case_ref=case.reference)
    assert server.post_event(token, mail) == 201
    expect(page.locator("#timeline-entries")).not_to_contain_text("Bijlage: de factuur")

    page.evaluate("document.body['htmx-internal-data'].webSocket.init()")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    expect(page.locator("#timeline-entries li.entry").first).to_contain_text("Bijlage: de factuur")
    assert page.evaluate("window.stillTheSamePage") is True


def test_a_field_being_typed_in_keeps_its_text_while_pushes_arrive(browser, server, worker, make_user):
    """A push never replaces what an agent is typing: the refresh a contact on the case brings
    was asked for before the agent began to type in "Next step" and arrives while she types
    (a busy server), and more contacts arrive meanwhile. Her text, focus and caret stay."""
    make_user("phone", username="lotte")
    customer = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    case = case_open(customer_id=customer.pk, title="Tweede SIM-kaart", next_step="Bel de koerier", channel="phone")
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    page = server.open_live(browser, "lotte", case, width=1280)
    # The page's refresh of the case is held on its way, as a busy server would hold it.
    held, live_url = [], re.compile(rf"/cases/{case.pk}/live/")
    page.route(live_url, lambda route: held.append(route) if not held else route.continue_())

    def mail(summary):
        assert server.post_event(token, interaction(channel="email", summary=summary, case_ref=case.reference)) == 201

    with page.expect_request(live_url):
        mail("Eerste mail")
    page.evaluate("document.getElementById('case-side').dataset.before = 'the push'")

    field = page.locator("#id_next_step")
    field.click()
    field.press("Control+A")
    field.press_sequentially("Wacht op de koerier", delay=40)
    with page.expect_response(live_url):
        held[0].continue_()  # the refresh lands, with the Change form as it was fetched
    expect(page.locator("#case-side[data-before]")).to_have_count(0)
    for n in range(2):  # more contacts while she types on
        mail(f"Mail {n}")
        field.press_sequentially(" (morgen)" if n else ",", delay=40)
    expect(page.locator("#case-count")).to_have_text("4")  # opened and three mails

    expect(field).to_have_value("Wacht op de koerier, (morgen)")
    assert page.evaluate("document.activeElement.id") == "id_next_step"
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#case-head .case-next")).to_contain_text("Wacht op de koerier, (morgen)")

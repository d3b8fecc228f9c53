"""Two webcare agents on their inbox (issue 15's story): a tweet arrives live for both; Anna
takes it and Bram's screen says so; Anna replies; it waits on the customer, its first response
is recorded and both counts change; the customer's next tweet reopens it for Anna."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from console.conversations.models import Conversation
from console.ingest.models import ApiToken
from tests.browser.asgi_server import AsgiServer
from tests.conversations.conftest import tweet
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _anna_and_bram(browser, server, make_user, anna_at: str, bram_at: str):
    """Two webcare agents with an inbox open (live), a customer who tweets, and the social tool's
    token for her tweets."""
    make_user("webcare", username="anna", first_name="Anna", last_name="de Wit")
    make_user("webcare", username="bram", first_name="Bram", last_name="Kok")
    CustomerFactory(name="Sanne Jansen", customer_number="C-300001", handles=[("twitter", "@sjansen")])
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    anna, bram = server.login(browser, "anna"), server.login(browser, "bram")
    for page, path in ((anna, anna_at), (bram, bram_at)):
        page.goto(f"{server.url}{path}")
        expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
    return anna, bram, token


def test_a_tweet_reaches_both_inboxes_live_one_takes_and_answers_and_the_next_tweet_reopens_it(
    shipped, browser, server, make_user
):
    anna, bram, token = _anna_and_bram(browser, server, make_user, "/inbox/team/webcare/", "/inbox/team/webcare/")
    for page in (anna, bram):
        expect(page.locator("#inbox-list")).to_contain_text("Nothing waiting here")

    assert server.post_event(token, tweet("@klantbeeld mijn pakket is kwijt")) == 201
    for page in (anna, bram):
        row = page.locator(".inbox-row", has_text="mijn pakket is kwijt")
        expect(row).to_be_visible()
        expect(row).to_contain_text("Sanne Jansen")
        expect(page.locator("#inbox-counts")).to_contain_text("1 new")

    anna.locator(".inbox-row").get_by_role("button", name="Take").click()
    expect(anna.locator(".inbox-row .queue-owner")).to_have_text("Anna de Wit")
    expect(anna.locator(".inbox-row").get_by_role("button", name="Give back")).to_be_visible()
    # Bram's list fetched itself again: taken, by Anna, and no Take button any more.
    expect(bram.locator(".inbox-row")).to_contain_text("Anna de Wit")
    expect(bram.locator(".inbox-row").get_by_role("button", name="Take")).to_have_count(0)
    expect(bram.locator("#inbox-counts")).not_to_contain_text("new")
    expect(anna.locator("#inbox-counts .nav-count").first).to_have_text("1")

    row = anna.locator(".inbox-row")
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label("Reply by Twitter").fill("Hoi Sanne, we zoeken het uit en komen vandaag bij je terug.")
    row.get_by_role("button", name="Send").click()
    expect(anna.locator(".inbox-row .queue-due")).to_have_text(re.compile("waiting on (the )?customer", re.IGNORECASE))
    expect(anna.locator("#inbox-counts .nav-count").first).to_have_text("0")
    conversation = Conversation.objects.get()
    assert conversation.status == "waiting_on_customer" and conversation.first_response_at is not None
    expect(bram.locator(".inbox-row")).to_contain_text("Waiting on customer")

    assert server.post_event(token, tweet("Nog steeds niks gehoord")) == 201
    expect(anna.locator(".inbox-row")).to_contain_text("Nog steeds niks gehoord")
    expect(anna.locator("#inbox-counts .nav-count").first).to_have_text("1")
    conversation.refresh_from_db()
    assert conversation.status == "awaiting_reply" and conversation.assignee.username == "anna"


def test_open_lists_place_pushed_rows_in_due_order_drop_taken_ones_and_keep_their_filter_without_fetching(
    shipped, browser, server, make_user
):
    anna, bram, token = _anna_and_bram(browser, server, make_user, "/inbox/unassigned/", "/inbox/team/webcare/")
    fetched = []
    anna.on("request", lambda request: fetched.append(request.url) if "/inbox/" in request.url else None)

    now = timezone.now()
    assert server.post_event(token, tweet("Later gestuurd", thread="t-new", occurred_at=now.isoformat())) == 201
    earlier = (now - timedelta(minutes=30)).isoformat()
    assert server.post_event(token, tweet("Eerder gestuurd", thread="t-old", occurred_at=earlier)) == 201
    # Waiting longer, due sooner: on top, though it arrived second.
    expect(anna.locator(".inbox-row .inbox-words")).to_have_text(["Eerder gestuurd", "Later gestuurd"])
    expect(anna.locator("#inbox-list .count")).to_have_text("2 open")
    expect(anna.locator("#inbox-counts")).to_contain_text("2 new")

    bram.locator(".inbox-row", has_text="Eerder gestuurd").get_by_role("button", name="Take").click()
    expect(bram.locator(".inbox-row", has_text="Eerder gestuurd")).to_contain_text("Bram Kok")
    # Taken: no longer unassigned, so off Anna's list; her counts follow.
    expect(anna.locator(".inbox-row .inbox-words")).to_have_text(["Later gestuurd"])
    expect(anna.locator("#inbox-list .count")).to_have_text("1 open")
    expect(anna.locator("#inbox-counts")).to_contain_text("1 new")
    assert fetched == [], f"the list kept itself up to date by pushes alone, yet fetched {fetched}"

    anna.goto(f"{server.url}/inbox/unassigned/?channel=whatsapp")
    expect(anna.locator("#live-state")).to_have_attribute("data-state", "live")
    assert server.post_event(token, tweet("Nog een tweet", thread="t-3")) == 201
    expect(anna.locator("#inbox-counts")).to_contain_text("2 new")
    expect(anna.locator("#inbox-list")).to_contain_text("Nothing waiting here")
    expect(anna.locator(".inbox-row")).to_have_count(0)


@pytest.fixture
def small_pages():
    """The console served with inbox pages of two rows: lists longer than their page."""
    served = AsgiServer("inbox-small", extra_env={"INBOX_PAGE_SIZE": "2"})
    yield served
    served.stop()


def test_a_list_longer_than_its_page_keeps_its_total_right_and_the_agents_half_written_reply(
    shipped, browser, small_pages, make_user
):
    server = small_pages
    make_user("webcare", username="anna", first_name="Anna")
    CustomerFactory(name="Sanne Jansen", customer_number="C-300001", handles=[("twitter", "@sjansen")])
    _, token = ApiToken.issue(source="social", scopes=["events:write"])
    now = timezone.now()
    for n, minutes in ((1, 30), (2, 20), (3, 10)):
        at = (now - timedelta(minutes=minutes)).isoformat()
        assert server.post_event(token, tweet(f"Vraag {n}", thread=f"t-{n}", occurred_at=at)) == 201
    anna = server.login(browser, "anna")
    anna.goto(f"{server.url}/inbox/unassigned/")
    expect(anna.locator("#live-state")).to_have_attribute("data-state", "live")
    expect(anna.locator("#inbox-list .count")).to_have_text("3 open")
    expect(anna.locator(".inbox-row .inbox-words")).to_have_text(["Vraag 1", "Vraag 2"])

    # The third, not on the page, hears again: still three open, the page unchanged.
    assert server.post_event(token, tweet("Vraag 3 opnieuw", thread="t-3")) == 201
    anna.wait_for_timeout(1500)
    expect(anna.locator("#inbox-list .count")).to_have_text("3 open")
    expect(anna.locator(".inbox-row .inbox-words")).to_have_text(["Vraag 1", "Vraag 2"])

    # Anna writes in the last row shown; a conversation due sooner arrives: her text stays.
    last = anna.locator(".inbox-row", has_text="Vraag 2")
    last.get_by_text("Reply", exact=True).click()
    last.get_by_label("Reply by Twitter").fill("Half een antwoord")
    at = (now - timedelta(minutes=50)).isoformat()
    assert server.post_event(token, tweet("Vraag 0", thread="t-0", occurred_at=at)) == 201
    expect(anna.locator(".inbox-row").first).to_contain_text("Vraag 0")
    expect(last.get_by_label("Reply by Twitter")).to_have_value("Half een antwoord")
    # Which of the others it pushed off the page is the server's to say; the list waits for her.
    expect(anna.locator(".inbox-behind")).to_be_visible()
    last.get_by_label("Reply by Twitter").fill("")
    anna.locator("h1").click()
    expect(anna.locator("#inbox-list .count")).to_have_text("4 open")
    expect(anna.locator(".inbox-row .inbox-words")).to_have_text(["Vraag 0", "Vraag 1"])
    expect(anna.locator(".inbox-behind")).to_be_hidden()

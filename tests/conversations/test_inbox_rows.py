"""The inbox's rows (console/conversations/rows.py): rendered once per change of what they show
and kept, yet never stale, each agent's own where it must be; the totals counted up to a cap;
and what a change pushes to open inboxes (fragments.py): the row rendered once for everyone."""

import asyncio
import json
import re
from datetime import timedelta

import pytest
import time_machine
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from console.conversations.models import Conversation
from console.conversations.rows import ROW, span_text
from console.conversations.services import conversation_hear, conversation_take
from console.customers.models import Customer
from console.flags.models import Flag
from console.live.groups import agent_group, managers_group, team_agents_group
from console.timeline.services import timeline_entry_record
from tests.conversations.conftest import at, tweet
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TEAM = "/inbox/team/webcare/"


def _row(html: str, conversation: Conversation) -> str:
    found = re.search(rf'<tr [^>]*id="conversation-{conversation.pk}".*?</tr>', html, re.S)
    assert found, "the conversation's row is not on the page"
    return found.group(0)


def test_a_kept_row_shows_a_change_of_the_customer_or_a_flag_at_once(client_as, api, tweeter):
    api.post(tweet())
    conversation = Conversation.objects.get()
    client = client_as("webcare")
    assert "Sanne Jansen" in _row(client.get(TEAM).content.decode(), conversation)
    Customer.objects.filter(pk=tweeter.pk).update(name="Sanne de Vries-Jansen")
    Flag.objects.create(
        customer=tweeter, kind=Flag.Kind.LOYALTY, level="gold", reason="Tien jaar klant", computed_at=timezone.now()
    )
    row = _row(client.get(TEAM).content.decode(), conversation)
    assert "Sanne de Vries-Jansen" in row and "Gold" in row


def test_each_agent_gets_their_own_form_token_and_only_the_owner_may_give_it_back(api, tweeter, make_user):
    api.post(tweet())
    conversation = Conversation.objects.get()
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    conversation_take(conversation_id=conversation.pk, user=anna)
    pages = {}
    for user in (anna, bram):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        pages[user.username] = (client, client.get(TEAM).content.decode())
    anna_row, bram_row = (_row(html, conversation) for _client, html in pages.values())
    assert "Give back" in anna_row and "Give back" not in bram_row
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1) for row in (anna_row, bram_row)]
    assert tokens[0] != tokens[1] and "<!--slot" not in anna_row + bram_row
    # Anna's form, with the token her page carries, works (no JavaScript: a plain POST).
    client, _html = pages[anna.username]
    answer = client.post(reverse("conversations:hand-back", args=[conversation.pk]), {"csrfmiddlewaretoken": tokens[0]})
    assert answer.status_code == 302 and Conversation.objects.get().assignee is None


def test_the_clocks_are_as_long_as_the_customer_has_waited_when_the_page_is_asked_for(client_as, api, tweeter):
    # A Wednesday morning, in opening hours (at night it would be due the next morning).
    with time_machine.travel(at("2026-12-02 10:00"), tick=False):
        api.post(tweet(occurred_at=at("2026-12-02 09:40").isoformat()))
        conversation = Conversation.objects.get()
        client = client_as("webcare")
        assert "In 40 min" in _row(client.get(TEAM).content.decode(), conversation)
    with time_machine.travel(conversation.due_at + timedelta(hours=1, minutes=5), tick=False):
        row = _row(client.get(TEAM).content.decode(), conversation)  # the same kept row, later
    assert "Overdue 1 h 5 min" in row and "overdue" in row.split(">")[0]


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "<1 min"), (12, "12 min"), (60, "1 h"), (185, "3 h 5 min"), (1500, "1 d 1 h")]
)
def test_how_waiting_times_read(minutes, text):
    assert span_text(timedelta(minutes=minutes)) == text


def test_totals_beyond_the_cap_read_as_more(client_as, api, tweeter, settings):
    settings.INBOX_COUNT_CAP = 3
    for n in range(5):  # five threads of one customer: five conversations
        api.post(tweet(f"Vraag {n}", thread=f"t-{n}"))
    client = client_as("webcare")
    html = client.get(TEAM).content.decode()
    assert "3+ open" in html and '<p class="muted queue-more" hidden>' in html  # all five are on the page
    assert ">3+ new<" in client.get(reverse("conversations:counts")).content.decode()
    settings.INBOX_COUNT_CAP = 999
    assert "5 open" in client.get(TEAM).content.decode()


def _tweet_and_anna(make_user) -> tuple[Conversation, object]:
    customer = CustomerFactory(name="Sanne Jansen", handles=[("twitter", "@sjansen")])
    with transaction.atomic():
        entry = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="twitter", summary="Hoi")
        conversation = conversation_hear(entry=entry)
    return conversation, make_user("webcare", first_name="Anna", last_name="de Wit")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_change_is_rendered_once_for_every_group_it_goes_to(shipped, make_user):
    conversation, anna = await sync_to_async(_tweet_and_anna)(make_user)
    layer = get_channel_layer()
    listeners = []
    for group in (team_agents_group("webcare"), agent_group(anna.pk), managers_group()):
        listeners.append(await layer.new_channel())  # a console of each audience, on the real layer
        await layer.group_add(group, listeners[-1])
    rendered = []
    listener = lambda sender, template, **kw: rendered.append(template.name)  # noqa: E731
    template_rendered.connect(listener)
    try:
        await sync_to_async(conversation_take)(conversation_id=conversation.pk, user=anna)
        texts = set()
        for channel in listeners:
            while (message := await asyncio.wait_for(layer.receive(channel), 5))["type"] != "page.event":
                pass
            texts.add(message["text"])
    finally:
        template_rendered.disconnect(listener)
    assert rendered.count(ROW) == 2  # everyone's row, and Anna's own (with "Give back"), once each
    assert len(texts) == 1, "every audience gets the same push"
    detail = json.loads(texts.pop())["detail"]
    assert detail["assignee"] == anna.pk and detail["counts"]["teams"]["webcare"] == {"unassigned": 0, "breaching": 0}
    assert "Anna de Wit" in detail["html"] and "Give back" in detail["html_mine"] and "Take" not in detail["html"]
    assert "csrfmiddlewaretoken" not in detail["html"]  # a pushed form sends the page's token


def test_only_the_owner_or_a_manager_gives_a_conversation_back(client, api, tweeter, make_user):
    api.post(tweet())
    conversation = Conversation.objects.get()
    anna, bram = make_user("webcare", first_name="Anna"), make_user("webcare", first_name="Bram")
    conversation_take(conversation_id=conversation.pk, user=anna)
    url = reverse("conversations:hand-back", args=[conversation.pk])
    client.force_login(bram)
    answer = client.post(url, headers={"HX-Request": "true"})
    assert answer.status_code == 403 and "Only Anna" in answer.content.decode()
    assert Conversation.objects.get().assignee == anna
    client.force_login(make_user("manager"))
    assert client.post(url, headers={"HX-Request": "true"}).status_code == 200
    assert Conversation.objects.get().assignee is None


def test_the_no_script_answer_goes_back_only_to_a_page_of_this_site(client, api, tweeter, make_user):
    api.post(tweet())
    client.force_login(make_user("webcare"))
    url = reverse("conversations:take", args=[Conversation.objects.get().pk])
    assert client.post(url, {"next": "https://evil.example/phish"}).url == reverse("conversations:home")

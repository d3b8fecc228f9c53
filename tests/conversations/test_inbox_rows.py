"""The inbox's rows (console/conversations/rows.py): rendered once per change of what they show
and kept, yet never stale, each agent's own where it must be; the totals counted up to a cap;
and what a change pushes to open inboxes (fragments.py): the row rendered once for everyone."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from console.conversations.models import Conversation
from console.conversations.rows import ROW, span_text
from console.conversations.services import conversation_take
from console.customers.models import Customer
from console.flags.models import Flag
from console.live.groups import agent_group, managers_group, team_agents_group
from tests.conversations.conftest import tweet

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
    api.post(tweet(occurred_at=(timezone.now() - timedelta(minutes=20)).isoformat()))
    conversation = Conversation.objects.get()
    client = client_as("webcare")
    due_in = conversation.due_at - timezone.now()
    assert f"In {span_text(due_in)}" in _row(client.get(TEAM).content.decode(), conversation)
    with time_machine.travel(conversation.due_at + timedelta(hours=1, minutes=5)):
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


def test_a_change_is_rendered_once_for_every_group_it_goes_to(
    api, tweeter, make_user, django_capture_on_commit_callbacks
):
    api.post(tweet())
    conversation = Conversation.objects.get()
    anna = make_user("webcare", first_name="Anna", last_name="de Wit")
    layer = get_channel_layer()
    groups = [team_agents_group("webcare"), agent_group(anna.pk), managers_group()]
    listeners = {}
    for group in groups:  # a console of each audience, listening on the real channel layer
        listeners[group] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, listeners[group])
    rendered = []
    listener = lambda sender, template, **kw: rendered.append(template.name)  # noqa: E731
    template_rendered.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            conversation_take(conversation_id=conversation.pk, user=anna)
    finally:
        template_rendered.disconnect(listener)
    assert rendered.count(ROW) == 2  # everyone's row, and Anna's own (with "Give back"), once each
    texts = set()
    for channel in listeners.values():
        while True:
            message = async_to_sync(layer.receive)(channel)
            if message["type"] == "page.event":
                texts.add(message["text"])
                break
    assert len(texts) == 1, "every audience gets the same push"
    detail = json.loads(texts.pop())["detail"]
    assert detail["assignee"] == anna.pk and detail["counts"]["webcare"] == {"unassigned": 0, "breaching": 0}
    assert "Anna de Wit" in detail["html"] and "Give back" in detail["html_mine"] and "Take" not in detail["html"]
    assert "csrfmiddlewaretoken" not in detail["html"]  # a pushed form sends the page's token

"""A restricted customer's conversations in the inbox (docs/privacy.md): outside its group, in
every role, they are in no list and no count, their rows are never pushed to a page, nobody can
take, answer or close them (404, tested over every page in tests/security), and automatic
assignment never gives one to a non-member; a member lists and works them as any."""

import asyncio
import json
import re

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from console.conversations.assignment import agent_for
from console.conversations.models import InboxTeam
from console.conversations.services import conversation_hear, conversation_take
from console.live.groups import agent_group, managers_group, team_agents_group
from console.live.online import seen_now
from console.timeline.services import timeline_entry_record
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

ROLES = ["webcare", "phone", "store", "manager", "admin"]
LISTS = ["/inbox/team/webcare/", "/inbox/unassigned/", "/inbox/breaching/", "/inbox/mine/"]


def _tweet(customer, summary):
    with transaction.atomic():
        entry = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="twitter", summary=summary)
        return conversation_hear(entry=entry)


@pytest.fixture
def employee(db, restrict):
    customer = CustomerFactory(name="Petra Medewerker", handles=[("twitter", "@petra")])
    restrict(customer)
    return customer


def _as(client_as, role, *, member):
    client = client_as(role)
    if member:
        client.user.groups.add(Group.objects.get(name="Personeelszaken"))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_outside_its_group_the_conversation_is_in_no_list_and_no_count(shipped, client_as, employee, role):
    _tweet(employee, "Vraag over mijn salarisstrook")
    _tweet(CustomerFactory(name="Gewone Klant"), "Waar blijft mijn pakket?")
    client = _as(client_as, role, member=False)
    for url in LISTS:
        html = client.get(url).content.decode()
        assert "Medewerker" not in html and "salarisstrook" not in html, url
    assert "Gewone Klant" in client.get("/inbox/team/webcare/").content.decode()
    counts = client.get(reverse("conversations:counts")).content.decode().replace("&quot;", '"')
    teams = json.loads(re.search(r'data-teams="([^"]*(?:"[^"]*)*?)" data-cap', counts).group(1))
    assert all(team["unassigned"] == (1 if name == "webcare" else 0) for name, team in teams.items())


@pytest.mark.parametrize("role", ROLES)
def test_a_member_lists_it(shipped, client_as, employee, role):
    _tweet(employee, "Vraag over mijn salarisstrook")
    client = _as(client_as, role, member=True)
    assert "salarisstrook" in client.get("/inbox/team/webcare/").content.decode()


def test_a_member_takes_and_answers_it_and_sees_it_in_their_own_list(shipped, client_as, employee):
    conversation = _tweet(employee, "Vraag over mijn salarisstrook")
    client = _as(client_as, "webcare", member=True)
    assert client.post(reverse("conversations:take", args=[conversation.pk])).status_code == 302
    assert "salarisstrook" in client.get("/inbox/mine/").content.decode()


def test_automatic_assignment_passes_over_agents_outside_its_group(shipped, make_user, employee):
    InboxTeam.objects.filter(team="webcare").update(auto_assign=True, capacity=5)
    outsider, member = make_user("webcare"), make_user("webcare")
    member.groups.add(Group.objects.get(name="Personeelszaken"))
    seen_now(outsider.pk, member.pk)
    conversation = _tweet(employee, "Vraag over mijn salarisstrook")
    assert conversation.assignee == member
    assert agent_for(conversation, leaving=member.pk) is None  # never the outsider


async def _first_row(layer, channel, timeout=2):
    """The next inbox row pushed to this channel, or None when none comes in time."""
    try:
        while (message := await asyncio.wait_for(layer.receive(channel), timeout))["type"] != "page.event":
            pass
    except TimeoutError:
        return None
    return json.loads(message["text"])["detail"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_its_rows_are_pushed_to_the_members_pages_only(shipped, make_user, employee):
    member, outsider, manager = [await sync_to_async(make_user)(role) for role in ("webcare", "webcare", "manager")]
    await sync_to_async(member.groups.add)(await sync_to_async(Group.objects.get)(name="Personeelszaken"))
    conversation = await sync_to_async(_tweet)(employee, "Vraag over mijn salarisstrook")
    layer = get_channel_layer()
    # The groups each console joins (console/live/consumers.py): its agent's, its team's agents',
    # and for managers the managers'; on the real layer.
    listening = {}
    for name, groups in {
        "member": [agent_group(member.pk), team_agents_group("webcare")],
        "outsider": [agent_group(outsider.pk), team_agents_group("webcare")],
        "manager": [agent_group(manager.pk), managers_group()],
    }.items():
        listening[name] = await layer.new_channel()
        for group in groups:
            await layer.group_add(group, listening[name])
    await sync_to_async(conversation_take)(conversation_id=conversation.pk, user=member)
    row = await _first_row(layer, listening["member"])
    assert row is not None and row["id"] == conversation.pk and "salarisstrook" in row["html"]
    assert await _first_row(layer, listening["outsider"], timeout=0.5) is None
    assert await _first_row(layer, listening["manager"], timeout=0.5) is None


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_restricting_takes_its_rows_off_the_open_inboxes_of_non_members(shipped, make_user, restrict):
    customer = await sync_to_async(CustomerFactory)(name="Petra Medewerker")
    conversation = await sync_to_async(_tweet)(customer, "Vraag over mijn salarisstrook")
    outsider = await sync_to_async(make_user)("webcare")
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(agent_group(outsider.pk), channel)
    await sync_to_async(restrict)(customer)
    row = await _first_row(layer, channel)
    assert row["id"] == conversation.pk and row["open"] is False
    assert "html" not in row and row["counts"]["teams"]["webcare"]["unassigned"] == 0

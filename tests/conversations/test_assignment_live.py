"""An agent with a console open counts as online (console/live/online.py), is given the new
conversation automatically and hears it at once: a notice and the inbox counts, on their pages."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.db import transaction

from console.accounts.models import AgentSeen
from console.conversations.models import Conversation, InboxTeam
from console.conversations.services import conversation_hear
from console.timeline.services import timeline_entry_record
from tests.cases.test_live import frame_with
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _whatsapp_message() -> Conversation:
    customer = CustomerFactory(name="Ahmed <b>Yilmaz</b>", phone="06 28765432")
    with transaction.atomic():
        entry = timeline_entry_record(
            customer_id=customer.pk, kind="interaction", channel="whatsapp", summary="Is mijn nummer al over?"
        )
        return conversation_hear(entry=entry)


async def _seen(user, timeout: float = 5.0) -> None:
    """Until the console's process has marked the user as online."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await sync_to_async(AgentSeen.objects.filter(user=user).exists)():
        assert asyncio.get_running_loop().time() < deadline, "the console never marked its user online"
        await asyncio.sleep(0.05)


async def test_an_agent_with_a_console_open_is_given_the_conversation_and_hears_it(shipped, session_cookie, socket):
    await sync_to_async(InboxTeam.objects.update_or_create)(team="webcare", defaults={"auto_assign": True})
    anna, cookie = await sync_to_async(session_cookie)("webcare", first_name="Anna")
    page = await socket(cookie)  # any page: the console marks her online (in the background)
    await _seen(anna)
    conversation = await sync_to_async(_whatsapp_message)()
    assert conversation.assignee_id == anna.pk
    notice = await frame_with(page, "is yours now")
    assert "A WhatsApp conversation with Ahmed &lt;b&gt;Yilmaz&lt;/b&gt; is yours now." in notice
    assert 'href="/inbox/mine/"' in notice
    # Her inbox gets the row as hers (with "Give back"), and her counts learn it is hers.
    pushed = json.loads(await frame_with(page, '"inbox-row"'))["detail"]
    assert pushed["assignee"] == anna.pk and pushed["id"] == conversation.pk
    assert "Give back" in pushed["html_mine"] and "Give back" not in pushed["html"]
    assert "Ahmed &lt;b&gt;Yilmaz&lt;/b&gt;" in pushed["html_mine"] and "<b>" not in pushed["html_mine"]


async def test_the_inbox_row_says_who_has_the_customer_open_right_now(shipped, session_cookie, socket, client):
    conversation = await sync_to_async(_whatsapp_message)()
    noor, noor_cookie = await sync_to_async(session_cookie)("store", first_name="Noor", last_name="de Boer")
    await socket(noor_cookie, f"customer={conversation.customer_id}")  # Noor has the picture open
    anna, _ = await sync_to_async(session_cookie)("webcare", first_name="Anna")
    await sync_to_async(client.force_login)(anna)
    html = (await sync_to_async(client.get)("/inbox/team/webcare/")).content.decode()
    assert "Looking now" in html and "Noor de Boer" in html

"""The credit approval round trip, live: an order system asks through the API, every online
manager's console shows the notice (and nobody else's), a manager decides in the console, the
notice goes away, and the decision reaches the timeline, the audit log, the API and the
order system's webhook."""

import json
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.test import Client
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.ingest.models import ApiToken
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, add_invoice
from tests.flags.webhook_receiver import WebhookReceiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def notices(communicator, timeout=3):
    """The next approval-notices frame (dashboard signals may come in between)."""
    while True:
        text = await communicator.receive_from(timeout)
        if 'id="approval-notices"' in text:
            return text


async def everything_until_quiet(communicator, seconds=0.5):
    frames = []
    # receive_nothing, not a timed-out receive: that would cancel the consumer.
    while not await communicator.receive_nothing(seconds):
        frames.append(await communicator.receive_from())
    return frames


@pytest.fixture
def customer_on_watch(db):
    customer = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    return customer


def api_client():
    token = ApiToken.issue(source="webshop", scopes=["customers:read"])[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


async def test_an_approval_reaches_every_manager_live_and_the_decision_goes_back(
    connect, session_cookie, customer_on_watch
):
    manager, manager_cookie = await sync_to_async(session_cookie)("manager", first_name="Anna", last_name="Smit")
    _, webcare_cookie = await sync_to_async(session_cookie)("webcare")
    managers_socket, connected = await connect(manager_cookie)
    assert connected
    webcare_socket, _ = await connect(webcare_cookie, customer=customer_on_watch.pk)
    order_system = await sync_to_async(api_client)()

    with WebhookReceiver() as receiver:
        reply = await sync_to_async(order_system.post)(
            f"/api/v1/customers/{customer_on_watch.pk}/credit-approvals",
            data=json.dumps({"amount": "900.00", "order_reference": "WS-2026-11873", "webhook_url": receiver.url}),
            content_type="application/json",
        )
        assert reply.status_code == 201
        approval = reply.json()["approval"]
        assert approval["status"] == "pending"

        html = await notices(managers_socket)
        assert 'hx-swap-oob="true"' in html
        assert "Approval needed:</b> Jeroen de Vries, EUR 900.00 (order WS-2026-11873)" in html
        assert f'href="/flags/approvals/#approval-{approval["id"]}"' in html
        # The webcare agent on this customer sees the request on the timeline, not the notice.
        frames = await everything_until_quiet(webcare_socket)
        assert any("waits for a manager&#x27;s approval" in f for f in frames)
        assert not any("approval-notices" in f for f in frames)

        console = Client()
        await sync_to_async(console.force_login)(manager)
        decided = await sync_to_async(console.post)(
            reverse("flags:approval-decide", args=[approval["id"]]),
            {"decision": "approve", "reason": "Pays by direct debit"},
            headers={"HX-Request": "true"},
        )
        assert decided.status_code == 200

        html = await notices(managers_socket)
        assert "Jeroen de Vries" not in html and "Approval needed" not in html

    entry = await sync_to_async(TimelineEntry.objects.filter(customer=customer_on_watch).order_by("-seq").first)()
    assert entry.summary == "Order WS-2026-11873 of EUR 900.00 approved by a manager"
    assert entry.body == "Reason: Pays by direct debit"
    audit = await sync_to_async(AuditEvent.objects.get)(action=AuditEvent.Action.DECIDED_CREDIT)
    assert audit.actor_id == manager.pk

    read = await sync_to_async(order_system.get)(approval["url"])
    assert (read.json()["status"], read.json()["reason"]) == ("approved", "Pays by direct debit")
    assert read.json()["webhook_delivered_at"] is not None
    assert receiver.received == [
        {
            "id": approval["id"],
            "customer": {"id": customer_on_watch.pk, "customer_number": "C-200001"},
            "status": "approved",
            "reason": "Pays by direct debit",
            "decided_at": read.json()["decided_at"],
            "amount": "900.00",
            "currency": "EUR",
            "order_reference": "WS-2026-11873",
        }
    ]
    frames = await everything_until_quiet(webcare_socket)
    assert any("approved by a manager" in f for f in frames)
    assert not any("approval-notices" in f for f in frames)


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
async def test_only_managers_sockets_get_approval_notices(connect, session_cookie, customer_on_watch, role):
    from console.flags.approvals import credit_approval_request

    _, cookie = await sync_to_async(session_cookie)(role)
    agent_socket, _ = await connect(cookie)
    _, admin_cookie = await sync_to_async(session_cookie)("admin")
    admin_socket, _ = await connect(admin_cookie)
    await sync_to_async(credit_approval_request)(
        customer_id=customer_on_watch.pk, amount=Decimal("900"), source="webshop"
    )
    assert "Jeroen de Vries, EUR 900.00" in await notices(admin_socket)
    assert await everything_until_quiet(agent_socket) == []

"""An open customer picture, kept up by its pushes, shows what a fresh load of the page shows.

Zulip's check for its events, applied to ours: for every kind of event the API accepts (taken
from the registry, so a new event type without an example here fails), a console is open on
the customer; the event is posted through the API; the frames its socket receives are applied
to the page as the browser applies them (tests/live/page.py); then every part of the page must
equal the same part of a fresh GET. Once for a role that sees invoices and once for store
staff, who do not. The agent's own actions that change the picture are checked the same way.
"""

import difflib
import json
import re
from datetime import timedelta
from functools import partial

import pytest
from channels.db import database_sync_to_async as sync_to_async
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.accounts.roles import agent_channel
from console.commerce.models import OrderLine
from console.ingest.schemas import EVENT_TYPES
from console.live import publish
from tests.factories import CustomerFactory
from tests.live.page import Element, Page, canonical

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NUMBER = "C-300001"
# The parts that are the page's own state, not the customer's: who else is here, the socket's state.
CLIENT_STATE = {"presence", "live-state"}
CSRF = "csrfmiddlewaretoken"
# Never replaced by a push, so that a message being written is not wiped (templates/messaging/
# messages.html): it stays as the page was loaded, and is checked to (its channel choices go
# stale after a bounce or a new handle until the page is loaded again: docs/live.md).
AS_LOADED = "message-compose"


def _event(type_, data, *, at=None):
    at = at or timezone.localtime()
    return {
        "id": f"{type_}-{at.timestamp()}",
        "type": type_,
        "occurred_at": at.isoformat(),
        "customer": {"customer_number": NUMBER},
        "data": data,
    }


LINES = [
    {"line_number": 1, "sku": "VH-01", "description": "Vogelhuisje Eiken", "quantity": 1, "unit_price": "39.95"},
    {"line_number": 2, "sku": "VT-02", "description": "Voederton", "quantity": 2, "unit_price": "12.50"},
]


def _order(status, number="WS-1"):
    return {"order_number": number, "status": status, "lines": LINES, "total": "64.95", "currency": "EUR"}


def _return(status, number="RT-1"):
    lines = [{"sku": "VT-02", "quantity": 1}]
    return {"return_number": number, "order_number": "WS-1", "lines": lines, "reason": "damaged", "status": status}


def examples() -> dict:
    """One valid event of every type, on top of the history ``history`` gives the customer."""
    today = timezone.localdate().isoformat()
    return {
        "interaction.recorded": {"channel": "chat", "direction": "inbound", "summary": "Kan ik nog ruilen?"},
        "call.started": {"call_id": "call-2", "from_number": "06 12345678"},
        "call.ended": {"call_id": "call-1", "duration_s": 184, "outcome": "Ruil afgesproken"},
        "order.placed": _order("placed", number="WS-2"),
        "order.updated": _order("shipped"),
        "invoice.issued": {
            "invoice_number": "INV-2",
            "amount": "64.95",
            "currency": "EUR",
            "issued_on": today,
            "due_on": today,
            "order_number": "WS-1",
        },
        "payment.received": {"invoice_number": "INV-1", "amount": "20.00", "received_on": today},
        "return.opened": _return("requested", number="RT-2"),
        "return.updated": _return("received"),
        "mail.returned": {"mail_ref": "BRF-7", "reason": "moved", "address": "Kerkstraat 1, 1234 AB Utrecht"},
        "email.bounced": {"email": "klant@example.nl", "reason": "mailbox full"},
        "identity.checked": {
            "document_type": "passport",
            "document_last4": "X123",
            "expires_on": today,
            "result": "expired",
        },
        "wishlist.updated": {"items": [{"sku": "NK-9", "description": "Nestkastje"}]},
    }


async def test_every_event_type_the_api_accepts_has_an_example():
    # The event tests below are parametrized over the registry: a type without an example fails.
    assert set(examples()) == set(EVENT_TYPES)


def history(api) -> None:
    """What the customer did before the page was opened: an order, an invoice for it, a return,
    a call under way and a question asked on chat an hour ago."""
    earlier = timezone.localtime() - timedelta(hours=1)
    past = [
        _event("order.placed", _order("placed"), at=earlier),
        _event("invoice.issued", examples()["invoice.issued"] | {"invoice_number": "INV-1"}, at=earlier),
        _event("return.opened", _return("requested"), at=earlier),
        _event(
            "interaction.recorded",
            {"channel": "chat", "direction": "inbound", "summary": "Waar is mijn pakket?"},
            at=earlier,
        ),
        _event("call.started", {"call_id": "call-1", "from_number": "06 12345678"}),
    ]
    for event in past:
        answer = api.post(event)
        assert answer.status_code == 201, answer.content


@pytest.fixture
def customer_pk(db, api):
    customer = CustomerFactory(
        customer_number=NUMBER,
        name="Jeroen de Vries",
        email="klant@example.nl",
        phone="06 12345678",
        address={"street": "Kerkstraat 1", "postal_code": "1234 AB", "city": "Utrecht"},
    )
    history(api)
    return customer.pk


class Console:
    """One agent's browser on the customer's picture: the page, and its socket."""

    def __init__(self, role, customer_pk, make_user, connect):
        self.role, self.customer_pk = role, customer_pk
        self.make_user, self.connect = make_user, connect

    async def open(self):
        def log_in():
            self.browser, self.user = Client(), self.make_user(self.role)
            self.browser.force_login(self.user)
            return f"sessionid={self.browser.cookies['sessionid'].value}".encode()

        cookie = await sync_to_async(log_in)()
        self.page = Page(await self.fetch())
        self.as_loaded = canonical(self.page.document.find(AS_LOADED))
        self.socket, connected = await self.connect(cookie, customer=self.customer_pk)
        assert connected
        self.page.resume()  # as live.js does when the socket opens
        await self.settle()

    async def fetch(self) -> str:
        answer = await sync_to_async(self.browser.get)(reverse("customers:picture", args=[self.customer_pk]))
        assert answer.status_code == 200
        return answer.content.decode()

    async def settle(self, *, pushes_done=False):
        """Apply every frame until the page has asked for nothing it has not got. With
        ``pushes_done``, first every push sent so far: a reload sent after them through the same
        road marks their end (the page under test notes it and does not reload)."""
        if pushes_done:
            await sync_to_async(publish.customer_reload)(self.customer_pk)
        waiting = 0
        while pushes_done or waiting or self.page.resumes:
            for frame in self.page.resumes:
                await self.socket.send_to(json.dumps(frame))
                waiting += 1
            self.page.resumes = []
            text = await self.socket.receive_from(5)
            self.page.receive(text)
            if text.startswith('{"type": "seq"'):  # a resume's answer ends so (a tick's looks alike)
                waiting = max(0, waiting - 1)
            if self.page.reload:
                self.page.reload = pushes_done = False

    async def act(self, url: str, form: dict, *, target: str):
        """The agent submits a form with htmx: its pushes reach the page first (they were sent
        on commit, before the answer), then the answer is swapped in."""
        post = partial(self.browser.post, url, form, headers={"HX-Request": "true"})
        answer = await sync_to_async(post)()
        assert answer.status_code == 200, answer.content
        await self.settle(pushes_done=True)
        self.page.answer(answer.content.decode(), target=target)
        await self.settle()

    async def assert_as_fresh(self):
        assert self.page.no_target == []
        assert canonical(self.page.document.find(AS_LOADED)) == self.as_loaded
        fresh = parts(Page(await self.fetch()))
        live = parts(self.page)
        assert list(live) == list(fresh)
        stale = {name: _diff(live[name], fresh[name]) for name in fresh if live[name] != fresh[name]}
        assert not stale, f"stale on the live page ({self.role}): {stale}"


def parts(page: Page) -> dict[str, str]:
    """The outermost elements with an id in the page's main content, each as normalised markup
    (the live bar's own state left out)."""
    found = {}

    def walk(element):
        for child in element.children:
            if not isinstance(child, Element) or child.id in CLIENT_STATE:
                continue
            if child.id:
                found[child.id] = normalised(child)
            else:
                walk(child)

    walk(page.main())
    bar = page.main().find("live-bar")
    bar.children = [c for c in bar.children if not (isinstance(c, Element) and c.id in CLIENT_STATE)]
    found["live-bar"] = normalised(bar)
    return found


def _diff(live: str, fresh: str) -> str:
    """Where a live part differs from the fresh one, tag by tag."""
    lines = difflib.unified_diff(live.split("><"), fresh.split("><"), "live", "fresh", n=1, lineterm="")
    return "\n".join(lines)


def normalised(element) -> str:
    for e in [element, *element.elements()]:
        e.children = [c for c in e.children if not (isinstance(c, Element) and c.id == AS_LOADED)]
        # A push is rendered once for many sessions, so its forms carry no csrf token: htmx
        # sends the page's own in a header (hx-headers on <body>).
        e.children = [c for c in e.children if not (isinstance(c, Element) and c.attrs.get("name") == CSRF)]
        # The list's seq as the page was rendered; live.js keeps its own count from then on.
        e.attrs.pop("data-last-seq", None)
    # "Active on chat now" says "a minute ago" a minute later.
    return re.sub(r" (now|(an?|\d+)\s\w+ ago)</span>", " (when)</span>", canonical(element))


# A role that sees invoices (and works on its own channel and team), and store staff, who do not.
ROLES = ["webcare", "store"]


@pytest.fixture
def consoles(customer_pk, make_user, connect):
    async def open_all():
        opened = [Console(role, customer_pk, make_user, connect) for role in ROLES]
        for console in opened:
            await console.open()
        return opened

    return open_all


async def settled_as_fresh(opened):
    for console in opened:
        await console.settle(pushes_done=True)
    for console in opened:
        await console.assert_as_fresh()


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
async def test_after_an_event_the_open_picture_equals_a_fresh_one(event_type, api, consoles):
    opened = await consoles()
    answer = await sync_to_async(api.post)(_event(event_type, examples()[event_type]))
    assert answer.status_code == 201, answer.content
    await settled_as_fresh(opened)


async def test_a_new_identifier_an_event_brings_shows_on_the_open_picture(api, consoles):
    opened = await consoles()
    event = _event("interaction.recorded", {"channel": "twitter", "direction": "inbound", "summary": "Hallo?"})
    event["customer"]["handle"] = {"network": "twitter", "value": "@jeroen_dv"}
    answer = await sync_to_async(api.post)(event)
    assert answer.status_code == 201, answer.content
    await settled_as_fresh(opened)
    assert "@jeroen_dv" in canonical(opened[0].page.document.find("customer-header"))


async def test_after_a_note_is_added_the_open_pictures_equal_fresh_ones(consoles):
    agent, colleague = await consoles()
    # On the agent's own channel, as the form offers it: the form comes back as it was.
    channel = await sync_to_async(agent_channel)(agent.user)
    form = {"record_kind": "note", "channel": channel, "summary": "Ruil toegezegd", "body": ""}
    await agent.act(reverse("customers:record", args=[agent.customer_pk]), form, target="record-form")
    await settled_as_fresh([agent, colleague])


async def test_after_a_return_is_opened_the_open_pictures_equal_fresh_ones(consoles):
    agent, colleague = await consoles()
    line = await sync_to_async(OrderLine.objects.get)(order__order_number="WS-1", sku="VH-01")
    url = reverse("customers:open-return", args=[agent.customer_pk, line.pk])
    await agent.act(url, {"reason": "damaged"}, target="panel-orders")
    await settled_as_fresh([agent, colleague])

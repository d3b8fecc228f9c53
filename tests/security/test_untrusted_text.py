"""Text from source systems is shown escaped everywhere: a script in any text field of any event
type runs nowhere in the console.

A source system sends one customer every event type with a script in each of its free-text
fields (and in the customer's name); every page an agent or manager opens on that customer is
then read as HTML, and must hold the script only as text.
"""

import pytest
from django.urls import reverse

from console.customers.models import Customer
from console.ingest.models import Scope
from console.ingest.schemas import EVENT_TYPES
from tests.ingest.events import event

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
IMG = "<img src=x onerror=alert(2)>"  # for numbers of at most 40 characters
TINY = "<i onclick=a()>"  # for the extension, at most 20
RAW = ("<script>alert(", "<img src=x", "<i onclick")
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"


def x(label: str) -> str:
    """A field's text with the script in it; the label tells the fields apart on the page."""
    return f"{label} {SCRIPT}"


def short(label: str) -> str:
    return f"{label}{IMG}"


def line(n: int) -> dict:
    return {"sku": x(f"SKU{n}"), "description": x(f"Artikel {n}"), "quantity": 1, "unit_price": "10.00"}


ORDER = short("WS-9")
INVOICE = short("INV-9")
EVERY_TYPE = [
    ("interaction.recorded", {"channel": "twitter", "direction": "inbound", "summary": x("tweet"), "body": x("body")}),
    ("interaction.recorded", {"channel": "chat", "direction": "outbound", "summary": x("chat"), "agent": x("agent")}),
    ("call.started", {"call_id": x("call"), "from_number": "06 12345678", "extension": TINY}),
    ("call.ended", {"call_id": x("call"), "duration_s": 312, "outcome": x("outcome")}),
    (
        "order.placed",
        {"order_number": ORDER, "status": "placed", "lines": [line(1), line(2)], "total": "20.00", "currency": "EUR"},
    ),
    (
        "order.updated",
        {"order_number": ORDER, "status": "shipped", "lines": [line(1), line(2)], "total": "20.00", "currency": "EUR"},
    ),
    (
        "invoice.issued",
        {
            "invoice_number": INVOICE,
            "amount": "20.00",
            "currency": "EUR",
            "issued_on": "2026-09-01",
            "due_on": "2026-09-15",
            "order_number": ORDER,
        },
    ),
    ("payment.received", {"invoice_number": INVOICE, "amount": "5.00", "received_on": "2026-09-20"}),
    (
        "return.opened",
        {
            "return_number": short("R-9"),
            "order_number": ORDER,
            "lines": [{"sku": x("SKU1"), "quantity": 1}],
            "reason": "wrong_item",
            "status": "requested",
        },
    ),
    (
        "return.updated",
        {
            "return_number": short("R-9"),
            "order_number": ORDER,
            "lines": [{"sku": x("SKU1"), "quantity": 1}],
            "reason": "wrong_item",
            "status": "received",
        },
    ),
    ("mail.returned", {"mail_ref": x("statement"), "reason": "moved", "address": x("Dorpsstraat 1")}),
    ("email.bounced", {"email": "x@example.nl", "reason": x("mailbox full")}),
    (
        "identity.checked",
        {
            "document_type": short("P"),
            "document_last4": "1234",
            "expires_on": "2020-01-01",
            "result": "expired",
            "checked_by": x("store"),
        },
    ),
    ("wishlist.updated", {"items": [{"sku": x("W1"), "description": x("Airfryer")}]}),
]


def test_every_event_type_is_sent_with_a_script_in_its_text():
    assert {type_ for type_, _ in EVERY_TYPE} == set(EVENT_TYPES)


@pytest.fixture
def scripted(api, issue_token):
    api.token = issue_token(scopes=[Scope.EVENTS_WRITE, Scope.CUSTOMERS_READ, Scope.CUSTOMERS_CREATE])
    who = {"external_id": "crm-666", "name": x("Evil Name"), "email": "x@example.nl"}
    refused = []
    for type_, data in EVERY_TYPE:
        response = api.post(event(type_, data, customer=who))
        if response.status_code not in (200, 201):
            refused.append(f"{type_}: {response.status_code} {response.content[:300]!r}")
    assert not refused, "\n".join(refused)
    return Customer.objects.get()


def pages(client, customer) -> dict[str, str]:
    urls = {
        "picture": reverse("customers:picture", args=[customer.pk]),
        "timeline": reverse("customers:timeline", args=[customer.pk]),
        "search": reverse("customers:search") + "?q=Evil",
        "credit flag": reverse("flags:flag", args=[customer.pk, "credit"]),
        "id flag": reverse("flags:flag", args=[customer.pk, "id_document"]),
        "credit check": reverse("customers:credit-check", args=[customer.pk]) + "?amount=10",
        "messages": reverse("messaging:messages", args=[customer.pk]),
        "merge": reverse("customers:merge", args=[customer.pk]),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


@pytest.mark.parametrize("role", ["manager", "store", "webcare"])
def test_no_script_from_an_event_reaches_any_page_as_html(scripted, client_as, role):
    shown = pages(client_as(role), scripted)
    if role == "manager":
        shown["dashboard"] = client_as(role).get(reverse("dashboard:dashboard")).content.decode()
    assert {name: [r for r in RAW if r in html] for name, html in shown.items() if any(r in html for r in RAW)} == {}
    # The text is there, as text: on the picture, the name, the tweet, the order line and more.
    for label in ("Evil Name", "tweet", "Artikel 1", "Dorpsstraat 1"):
        assert f"{label} {SHOWN}" in shown["picture"], label

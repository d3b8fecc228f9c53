"""A customer with one record of every kind Klantbeeld keeps, made as in real life: every event type
through the event API, and the rest through the services agents and managers use."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from console.callbacks.services import callback_promise
from console.customers.models import Customer
from console.flags.approvals import credit_approval_request
from console.flags.services import flag_override_set
from console.ingest.models import Scope
from console.journeys.models import JourneyTemplate
from console.journeys.services import journey_start
from console.messaging.services import message_to_customer
from console.messaging.statements import statement_send
from tests.conftest import shipped_data_ensure
from tests.ingest.events import event

NAME, EMAIL, PHONE = "Wilhelmina Zonderland", "w.zonderland@voorbeeld.nl", "0612398765"
ORDER, INVOICE = "WS-77", "INV-77"
LINE = {"sku": "VH-01", "description": "Vogelhuisje Eiken", "quantity": 1, "unit_price": "39.95"}
EVENTS = [
    ("interaction.recorded", {"channel": "twitter", "direction": "inbound", "summary": "Waar blijft mijn pakket?"}),
    ("interaction.recorded", {"channel": "chat", "direction": "outbound", "summary": "Antwoord", "agent": "Eva"}),
    ("call.started", {"call_id": "call-1", "from_number": PHONE}),
    ("call.ended", {"call_id": "call-1", "duration_s": 120, "outcome": "answered"}),
    ("order.placed", {"order_number": ORDER, "status": "placed", "lines": [LINE], "total": "39.95", "currency": "EUR"}),
    (
        "order.updated",
        {"order_number": ORDER, "status": "shipped", "lines": [LINE], "total": "39.95", "currency": "EUR"},
    ),
    (
        "invoice.issued",
        {
            "invoice_number": INVOICE,
            "amount": "39.95",
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
            "return_number": "R-77",
            "order_number": ORDER,
            "lines": [{"sku": "VH-01", "quantity": 1}],
            "reason": "wrong_item",
            "status": "requested",
        },
    ),
    ("mail.returned", {"mail_ref": "statement", "reason": "moved", "address": "Zonnelaan 3, 1234 AB Ergens"}),
    ("email.bounced", {"email": EMAIL, "reason": "mailbox full"}),
    (
        "identity.checked",
        {"document_type": "passport", "document_last4": "4321", "expires_on": "2030-01-01", "result": "valid"},
    ),
    ("wishlist.updated", {"items": [{"sku": "W1", "description": "Airfryer"}]}),
]


@pytest.fixture
def everything(api, issue_token, make_user, client_as):
    """The customer (and the manager and agent who worked on them), with one record of each kind."""
    shipped_data_ensure()
    api.token = issue_token(scopes=[Scope.EVENTS_WRITE, Scope.CUSTOMERS_READ, Scope.CUSTOMERS_CREATE])
    who = {"external_id": "crm-77", "name": NAME, "email": EMAIL, "phone": PHONE}
    for type_, data in EVENTS:
        response = api.post(event(type_, data, customer=who))
        assert response.status_code == 201, response.content
    customer = Customer.objects.get(customer_number=response.json()["customer"]["customer_number"])
    agent, manager = make_user("phone"), make_user("manager")
    now = timezone.now()
    # Tomorrow at ten, within opening hours whenever the test runs.
    ten = timezone.localtime(now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    callback_promise(
        customer_id=customer.pk,
        user=agent,
        window_start=ten,
        window_end=ten + timedelta(hours=1),
        phone=PHONE,
        about=f"{NAME} mist haar pakket",
    )
    template = JourneyTemplate.objects.filter(active=True).first()
    journey_start(
        customer_id=customer.pk,
        template_id=template.pk,
        title=f"Klacht van {NAME}",
        order_number=ORDER,
        actor_user=agent,
    )
    # The journey hears the order's next event.
    delivered = {"order_number": ORDER, "status": "delivered", "lines": [LINE], "total": "39.95", "currency": "EUR"}
    assert api.post(event("order.updated", delivered, customer=who)).status_code == 201
    message_to_customer(
        customer_id=customer.pk,
        template_key="agent_message",
        channel="sms",
        context={"subject": "", "text": "We bellen u morgen terug."},
        actor_user=agent,
    )
    flag_override_set(
        customer_id=customer.pk,
        kind="credit",
        level="ok",
        reason=f"Betalingsregeling met {NAME} afgesproken",
        until=now + timedelta(days=3),
        user=manager,
    )
    credit_approval_request(customer_id=customer.pk, amount=Decimal("25000.00"), source="webshop")
    statement_send(customer_id=customer.pk, period="2026-11")
    # Viewed by an agent: "who viewed the record" has a row.
    client_as("store").get(customer.get_absolute_url())
    return customer, agent, manager

"""A little of everything the dashboard lists, made the way agents and source systems make it."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from console.cases.data_quality import email_bounce_record, identity_check_record, mail_returned_record
from console.cases.services import case_open
from console.commerce.models import OrderLine
from console.commerce.services import return_open
from console.flags.approvals import credit_approval_request
from console.timeline.services import timeline_entry_record
from tests.factories import CustomerFactory, add_entries, add_invoice, add_order
from tests.live.conftest import connect, session_cookie  # noqa: F401 - the websocket fixtures, shared

ADDRESS = {"street": "Dorpsstraat 1", "postal_code": "1234 AB", "city": "Ergens"}


@dataclass
class Everything:
    hold: object
    watch: object
    gold_complaint: object
    gold_return: object
    silver_complaint: object
    returned_mail: object
    bounced: object
    expired_id: object
    expired_id_delivered: object
    approval: object


def gold_customer(name: str, number: str, prefix: str):
    """A customer for nine years who spent EUR 2,400 this year over three orders: gold."""
    customer = CustomerFactory(
        name=name, customer_number=number, customer_since=timezone.localdate() - timedelta(days=9 * 365)
    )
    for n in range(3):
        line = {"sku": f"TV-{n}", "description": "Televisie", "quantity": 1, "unit_price": "800.00"}
        add_order(customer, number=f"{prefix}-{n}", lines=[line])
    return customer


@pytest.fixture
def everything(make_user, django_capture_on_commit_callbacks) -> Everything:
    """One customer (at least) in every section, each set up through the real services; the
    recomputation they start on commit runs in the test (tasks are eager)."""
    agent = make_user("phone", username="anouk")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        hold = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001")
        add_invoice(hold, number="INV-2026-101", amount="1240.00", days_overdue=47)
        add_invoice(hold, number="INV-2026-102", amount="60.00", due_in=10)
        watch = CustomerFactory(name="Wim Wachters", customer_number="C-200010")
        add_invoice(watch, number="INV-2026-201", amount="80.00", days_overdue=5)

        gold_complaint = gold_customer("Marieke Bakker", "C-200006", "WS-G1")
        case_open(customer_id=gold_complaint.pk, title="Klacht over de bezorging", kind="complaint", actor_user=agent)
        gold_return = gold_customer("Gerrit Goud", "C-200020", "WS-G2")
        line = OrderLine.objects.filter(order__order_number="WS-G2-0").get()
        return_open(user=agent, customer_id=gold_return.pk, order_line_id=line.pk, reason="damaged")
        silver_complaint = CustomerFactory(name="Sietske Zilver", customer_number="C-200030")
        case_open(customer_id=silver_complaint.pk, title="Klacht zonder goud", kind="complaint")

        returned_mail = CustomerFactory(name="Sanne Jansen", customer_number="C-200002", address=ADDRESS)
        mail_returned_record(
            customer_id=returned_mail.pk,
            mail_ref="INV-2026-881",
            reason="addressee_unknown",
            reason_label="Addressee unknown",
            address="Dorpsstraat 1, 1234 AB Ergens",
            occurred_at=now - timedelta(days=12),
        )
        bounced = CustomerFactory(name="Bram Bounce", customer_number="C-200040", email="bram@example.nl")
        email_bounce_record(
            customer_id=bounced.pk,
            email="bram@example.nl",
            reason="550 5.1.1 mailbox unknown",
            occurred_at=now - timedelta(days=3),
        )

        expired_id = CustomerFactory(name="Henk Verlopen", customer_number="C-200005")
        expired_id_delivered = CustomerFactory(name="Dirk Afgeleverd", customer_number="C-200050")
        for customer in (expired_id, expired_id_delivered):
            identity_check_record(
                customer_id=customer.pk,
                document_type="Paspoort",
                document_last4="4821",
                expires_on=timezone.localdate() - timedelta(days=20),
                result="expired",
                occurred_at=now - timedelta(days=1),
                source="courier",
            )
        add_order(expired_id, number="WS-2026-11851")
        delivered = {"sku": "SIM-2", "description": "SIM-kaart", "unit_price": "10.00", "status": "delivered"}
        add_order(expired_id_delivered, number="WS-2026-11852", lines=[delivered])

        approval = credit_approval_request(
            customer_id=hold.pk, amount=Decimal("900.00"), order_reference="WS-2026-12000", source="webshop"
        ).approval

        add_entries(watch, 3, channel="chat", summary="Vraag in de chat")
        timeline_entry_record(customer_id=watch.pk, kind="call", channel="phone", summary="Belde over factuur")
        case_open(customer_id=watch.pk, title="Oude vraag", occurred_at=now - timedelta(days=10))

    return Everything(
        hold=hold,
        watch=watch,
        gold_complaint=gold_complaint,
        gold_return=gold_return,
        silver_complaint=silver_complaint,
        returned_mail=returned_mail,
        bounced=bounced,
        expired_id=expired_id,
        expired_id_delivered=expired_id_delivered,
        approval=approval,
    )


def section(html: str, element_id: str, *, end: str = "</section>") -> str:
    """The markup of one section of the page (or of a list in it, ``end="</div>"``), by its id."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(end, start)]

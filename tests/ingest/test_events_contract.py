"""One contract test per event type: status, stored record, timeline entry, flags."""

import pytest

from console.cases.models import Case
from console.commerce.models import Invoice, Order, Return
from console.customers.models import Address
from console.flags.models import Flag
from console.ingest.models import InboundEvent
from console.timeline.models import TimelineEntry
from tests.factories import add_order
from tests.ingest.events import event, interaction, invoice, order

pytestmark = pytest.mark.django_db


def newest_entry(customer):
    return TimelineEntry.objects.filter(customer=customer).order_by("-seq").first()


def accepted(response, customer):
    assert response.status_code == 201, response.json()
    body = response.json()
    entry = newest_entry(customer)
    assert body["customer"] == {"id": customer.pk, "customer_number": customer.customer_number, "created": False}
    assert body["timeline_entry"] == {"id": entry.pk, "seq": entry.seq}
    return entry


def test_interaction_recorded(api, customer):
    entry = accepted(api.post(interaction(body="Al twee weken niets gehoord")), customer)
    assert (entry.kind, entry.channel, entry.summary, entry.actor_source) == (
        "interaction",
        "twitter",
        "Waar blijft mijn vogelhuisje?",
        "webshop",
    )
    assert entry.body == "Al twee weken niets gehoord"


def test_interaction_linked_to_a_case(api, customer):
    from console.cases.services import case_open

    case = case_open(customer_id=customer.pk, title="Vogelhuisje")
    entry = accepted(api.post(interaction(case_ref=f"K-{case.pk:06d}")), customer)
    assert entry.case == case


def test_interaction_with_an_unknown_case_is_refused(api, customer):
    response = api.post(interaction(case_ref="K-999999"))
    assert response.status_code == 422
    assert "data.case_ref" in response.json()["errors"]


def test_call_started_and_ended(api, customer, make_user):
    agent = make_user("phone", username="daan")
    started = accepted(
        api.post(event("call.started", {"call_id": "c-1", "from_number": "06 12345678", "agent": "daan"})), customer
    )
    assert (started.kind, started.channel, started.actor_user) == ("call", "phone", agent)
    ended = accepted(
        api.post(event("call.ended", {"call_id": "c-1", "duration_s": 252, "outcome": "opgelost"})), customer
    )
    assert ended.summary == "Call ended after 4:12: opgelost"
    assert ended.actor_user == agent


def test_order_placed_then_updated_line_by_line(api, customer):
    lines = [
        {"sku": "SIM-1", "description": "SIM-kaart echtgenote", "quantity": 1, "unit_price": "10.00"},
        {"sku": "SIM-2", "description": "SIM-kaart dochter", "quantity": 1, "unit_price": "10.00"},
    ]
    placed = accepted(api.post(order("WS-9", lines=lines, total="20.00")), customer)
    stored = Order.objects.get(order_number="WS-9")
    assert (stored.customer, stored.total, stored.lines.count(), placed.order) == (customer, 20, 2, stored)
    lines[0]["status"], lines[1]["status"] = "delivered", "failed"
    updated = accepted(api.post(order("WS-9", status="partially_delivered", lines=lines, total="20.00")), customer)
    assert updated.summary == (
        "Order WS-9: partially delivered — SIM-kaart echtgenote: delivered; SIM-kaart dochter: delivery failed"
    )
    assert sorted(stored.lines.values_list("status", flat=True)) == ["delivered", "failed"]


def test_invoice_issued_recomputes_the_credit_flag(api, customer):
    entry = accepted(api.post(invoice(due_on="2026-10-08")), customer)
    assert Invoice.objects.get(invoice_number="INV-1").customer == customer
    assert entry.invoice.invoice_number == "INV-1"
    credit = Flag.objects.get(customer=customer, kind="credit")
    assert credit.level == "hold"  # EUR 740 open and overdue
    assert credit.reason.startswith("1 invoice overdue, EUR 740 open")


def test_payment_received_clears_the_credit_flag(api, customer):
    api.post(invoice(amount="740.00"))
    entry = accepted(
        api.post(
            event("payment.received", {"invoice_number": "INV-1", "amount": "740.00", "received_on": "2026-11-24"})
        ),
        customer,
    )
    assert "paid in full" in entry.summary
    assert Invoice.objects.get().open_amount == 0
    assert Flag.objects.get(customer=customer, kind="credit").level == "ok"


def test_payment_for_an_unknown_invoice_is_refused(api, customer):
    response = api.post(
        event("payment.received", {"invoice_number": "NOPE", "amount": "1.00", "received_on": "2026-11-24"})
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"data.invoice_number": ["This customer has no invoice NOPE."]}


def test_return_opened_and_updated(api, customer):
    add_order(customer, number="WS-1")
    data = {
        "return_number": "R-1",
        "order_number": "WS-1",
        "lines": [{"sku": "VH-01", "quantity": 1}],
        "reason": "wrong_item",
        "status": "requested",
    }
    opened = accepted(api.post(event("return.opened", data)), customer)
    ret = Return.objects.get()
    assert (ret.reason, ret.status, ret.lines.get().order_line.sku, opened.return_request) == (
        "wrong_item",
        "requested",
        "VH-01",
        ret,
    )
    accepted(api.post(event("return.updated", {**data, "status": "refunded"})), customer)
    ret.refresh_from_db()
    assert ret.status == "refunded"


def test_mail_returned_marks_the_address_and_queues_a_task(api, customer):
    Address.objects.create(customer=customer, street="Dorpsstraat 1", postal_code="1234 AB", city="Ergens")
    entry = accepted(
        api.post(
            event(
                "mail.returned",
                {
                    "mail_ref": "INV-2026-881 statement",
                    "reason": "addressee_unknown",
                    "address": "Dorpsstraat 1, 1234 AB Ergens",
                },
            )
        ),
        customer,
    )
    assert (entry.kind, entry.channel) == ("mail_returned", "post")
    address = Address.objects.get()
    assert address.status == "undeliverable"
    assert address.status_evidence == "Letter INV-2026-881 statement returned: addressee unknown"
    task = Case.objects.get(customer=customer)
    assert (task.kind, task.team, task.status) == ("data_quality", "back_office", "open")
    assert Flag.objects.get(customer=customer, kind="data_quality").level == "undeliverable"
    profile = api.get(f"/api/v1/customers/{customer.pk}").json()
    assert profile["addresses"][0]["status"] == "undeliverable"


def test_email_bounced_marks_the_address_and_flags_data_quality(api, customer):
    from console.flags.services import flags_recompute

    flags_recompute(customer_id=customer.pk)  # as the customer's creation left them
    email = customer.identifiers.get(kind="email").value
    entry = accepted(
        api.post(event("email.bounced", {"email": email.upper(), "reason": "mailbox does not exist"})), customer
    )
    assert (entry.kind, entry.channel, entry.summary) == (
        "email_bounced",
        "email",
        f"E-mail to {email} bounced (mailbox does not exist)",
    )
    assert customer.identifiers.get(kind="email").bounced_at is not None
    dq = Flag.objects.get(customer=customer, kind="data_quality")
    assert (dq.level, dq.reason) == ("bounced", f"E-mail to {email} bounced")
    assert dq.changed_because == "e-mail bounced"


def test_identity_checked_mismatch_sets_the_id_flag(api, customer):
    entry = accepted(
        api.post(
            event(
                "identity.checked",
                {
                    "document_type": "Paspoort",
                    "document_last4": "4821",
                    "expires_on": "2031-01-01",
                    "result": "mismatch",
                    "checked_by": "koerier",
                },
            )
        ),
        customer,
    )
    assert entry.kind == "identity"
    customer.refresh_from_db()
    assert (customer.id_document_last4, customer.id_document_check) == ("4821", "mismatch")
    assert Flag.objects.get(customer=customer, kind="id_document").level == "mismatch"


def test_wishlist_updated(api, customer):
    items = [{"sku": "KK-AFR-XXL", "description": "Philips Airfryer XXL"}]
    entry = accepted(api.post(event("wishlist.updated", {"items": items})), customer)
    assert entry.kind == "wishlist"
    assert list(customer.wishlist.items.values_list("description", flat=True)) == ["Philips Airfryer XXL"]


def test_the_raw_event_is_kept_with_unknown_fields(api, customer):
    body = interaction(extra_field="kept")
    body["data"]["campaign"] = "najaar"
    accepted(api.post(body), customer)
    stored = InboundEvent.objects.get()
    assert stored.body["data"]["campaign"] == "najaar"
    assert newest_entry(customer).raw["data"]["campaign"] == "najaar"


def test_lines_with_the_same_sku_are_told_apart(api, customer):
    wife = {"sku": "TC-SIM-NB", "description": "SIM-kaart (nummer echtgenote)", "quantity": 1, "unit_price": "0"}
    daughter = {**wife, "description": "SIM-kaart (nummer dochter)"}
    accepted(api.post(order("WS-SIM", lines=[wife, daughter], total="0")), customer)
    entry = accepted(
        api.post(order("WS-SIM", status="shipped", lines=[{**wife, "status": "delivered"}], total="0")), customer
    )
    statuses = dict(Order.objects.get(order_number="WS-SIM").lines.values_list("description", "status"))
    assert statuses == {"SIM-kaart (nummer echtgenote)": "delivered", "SIM-kaart (nummer dochter)": "pending"}
    assert "echtgenote): delivered" in entry.summary
    accepted(
        api.post(
            order("WS-SIM", status="shipped", lines=[{**daughter, "line_number": 2, "status": "failed"}], total="0")
        ),
        customer,
    )
    assert Order.objects.get(order_number="WS-SIM").lines.get(line_number=2).status == "failed"


def test_the_timeline_api_names_the_case_an_entry_belongs_to(api, customer):
    from console.cases.services import case_open

    case = case_open(customer_id=customer.pk, title="Internet storing")
    api.post(interaction(case_ref=case.reference))
    entries = api.get(f"/api/v1/customers/{customer.pk}/timeline").json()
    assert [e["case_ref"] for e in entries] == [case.reference, case.reference]


def test_a_batch_item_that_is_not_an_object_is_answered_alone(api, customer):
    response = api.post({"events": [42, interaction(id="ok-1")]}, path="/api/v1/events/batch")
    assert response.status_code == 207
    results = response.json()["results"]
    assert [r["status"] for r in results] == [400, 201]

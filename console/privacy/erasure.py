"""Right to erasure (art. 17): what erasing a customer does, in one transaction.

Each part of ``records.PARTS`` says its rule: identifiers, addresses, the timeline (bodies and
raw payloads with it), messages, cases, conversations, callbacks, flags, wish lists and credit
approvals are deleted; the raw events keep only their key (so a source system's retry is still
answered, not applied twice) without their body; orders, invoices, payments and returns stay
for the fiscal retention period, with nothing that names the person once the customer record
itself is pseudonymised; the audit trail stays (its details name no customer). The customer
keeps only its number, as the pseudonym the retained invoices hang on.
"""

from django.db import transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.ingest.models import InboundEvent
from console.live.publish import customer_reload
from console.privacy.exports import exports_cancel
from console.privacy.models import ErasureRequest
from console.privacy.records import DELETE_ORDER, PARTS, Erasure, customer_ids, part

ERASED_NAME = "Erased customer"
REMOVED = "(removed with the customer's data)"
# The customer's columns that erasure empties, with the value they get.
CUSTOMER_BLANK = {
    "name": ERASED_NAME,
    "marketing_consent": False,
    "id_document_type": "",
    "id_document_last4": "",
    "id_document_expires_on": None,
    "id_document_check": "",
    "id_document_checked_at": None,
}


def customer_erase(erasure_id: int) -> ErasureRequest | None:
    """Carry out an approved erasure; once only (a second run finds it done and does nothing)."""
    with transaction.atomic():
        erasure = ErasureRequest.objects.select_for_update().filter(pk=erasure_id).first()
        if erasure is None or erasure.status != ErasureRequest.Status.APPROVED:
            return erasure
        # The person's data lives with the record their request's record was merged into, if a
        # merge came after the request.
        customer = Customer.objects.get(pk=erasure.customer_id).survivor()
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        ids = customer_ids(customer)
        summary = _erase(ids)
        summary["exports cancelled"] = exports_cancel(ids)
        summary["sources"] = sorted(
            set(InboundEvent.objects.filter(customer_id__in=ids).values_list("source", flat=True))
        )
        now = timezone.now()
        Customer.objects.filter(pk__in=ids).update(**CUSTOMER_BLANK, erased_at=now)
        erasure.status, erasure.done_at, erasure.summary = ErasureRequest.Status.DONE, now, summary
        # How the customer asked, and the manager's note, may name them: they go too.
        ErasureRequest.objects.filter(customer_id__in=ids).update(reason=REMOVED, decision_note="")
        erasure.reason, erasure.decision_note = REMOVED, ""
        erasure.save(update_fields=["status", "done_at", "summary"])
        audit_event_record(
            actor=erasure.decided_by,
            action=AuditEvent.Action.ERASED_CUSTOMER,
            customer=customer,
            detail=f"erasure {erasure.pk}: " + ", ".join(f"{k} {v}" for k, v in summary["deleted"].items() if v),
        )
        # Open consoles on this customer (and on the records merged into it) load the page again.
        for customer_id in ids:
            transaction.on_commit(lambda customer_id=customer_id: customer_reload(customer_id))
    return erasure


def _erase(ids: list[int]) -> dict:
    deleted, kept = {}, {}
    for key in DELETE_ORDER:
        rows = part(key).rows(ids)
        # Django's delete() follows every relation, which the order above makes a no-op; the
        # count is of the part's own rows.
        deleted[part(key).label] = rows.count()
        rows.delete()
    for each in PARTS:
        if each.erasure in (Erasure.KEEP_FISCAL, Erasure.KEEP_AUDIT):
            kept[each.label] = each.rows(ids).count()
        elif each.erasure is Erasure.BLANK and each.blank:
            kept[each.label] = each.rows(ids).update(**each.blank)
    return {"deleted": deleted, "kept": kept}

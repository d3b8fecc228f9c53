"""The GDPR requests as people make them: start an export, ask for an erasure, decide on one.

Every step is audited; the long work runs in ``tasks.py`` once the step has committed.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.privacy.models import DataExport, ErasureRequest
from console.privacy.tasks import customer_erase_task, export_build_task
from console.rejected import Rejected


def export_start(*, customer: Customer, user, request=None) -> DataExport:
    """Start building a complete export of the customer; managers only."""
    require(user, Capability.MANAGE_FLAGS)
    with transaction.atomic():
        # A merged-away record's data lives with the one it was merged into; the row lock makes
        # a double click start one export, not two.
        customer = Customer.objects.select_for_update().get(pk=customer.survivor().pk)
        waiting = DataExport.objects.filter(
            customer=customer, requested_by=user, status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING]
        ).first()
        if waiting is not None:
            return waiting
        export = DataExport.objects.create(customer=customer, requested_by=user)
        audit_event_record(
            actor=user,
            action=AuditEvent.Action.STARTED_EXPORT,
            customer=customer,
            detail=f"export {export.pk}",
            request=request,
        )
        transaction.on_commit(lambda: export_build_task.delay(export.pk))
    return export


def erasure_request(*, customer: Customer, user, reason: str, request=None) -> ErasureRequest:
    """Ask for the customer's erasure; a manager other than the asker decides."""
    require(user, Capability.RECORD_INTERACTIONS)
    customer = customer.survivor()
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise Rejected("reason", "Say how the customer asked (e.g. 'by e-mail on 2 December').")
    if customer.erased_at:
        raise Rejected("customer", "This customer's personal data was already erased.")
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(
                customer=customer, customer_number=customer.customer_number, reason=reason, requested_by=user
            )
    except IntegrityError:
        raise Rejected("customer", "An erasure of this customer is already waiting for a manager.") from None
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.REQUESTED_ERASURE,
        customer=customer,
        detail=f"erasure {erasure.pk}",
        request=request,
    )
    return erasure


@transaction.atomic
def erasure_decide(*, erasure_id: int, user, approve: bool, note: str = "", request=None) -> ErasureRequest:
    """Approve (then the erasure runs, irreversibly) or refuse; a manager who did not ask."""
    require(user, Capability.MANAGE_FLAGS)
    erasure = ErasureRequest.objects.select_for_update().select_related("customer").get(pk=erasure_id)
    if erasure.requested_by_id == user.pk:
        raise PermissionDenied("Another manager must decide on an erasure you asked for.")
    if erasure.status != ErasureRequest.Status.REQUESTED:
        raise Rejected("status", f"This request was already decided: {erasure.get_status_display().lower()}.")
    note = " ".join(note.split())[:300]
    if not approve and not note:
        raise Rejected("note", "Say why the erasure is refused; the customer must be told.")
    erasure.status = ErasureRequest.Status.APPROVED if approve else ErasureRequest.Status.REFUSED
    erasure.decided_by, erasure.decided_at, erasure.decision_note = user, timezone.now(), note
    erasure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.APPROVED_ERASURE if approve else AuditEvent.Action.REFUSED_ERASURE,
        customer=erasure.customer,
        detail=f"erasure {erasure.pk}",
        request=request,
    )
    if approve:
        transaction.on_commit(lambda: customer_erase_task.delay(erasure.pk))
    return erasure

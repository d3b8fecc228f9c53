"""The audit trail for managers (docs/privacy.md): a page with filters and a CSV export. Reading
the trail is itself written to it, once per page shown or file exported."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.privacy.audit_csv import audit_csv_rows
from console.privacy.audit_filters import AuditFilters
from console.privacy.audit_selectors import audit_events, audit_page
from console.ui.spreadsheet import csv_download


@require_GET
def audit_trail(request):
    require(request.user, Capability.MANAGE_FLAGS)
    filters = AuditFilters(request.GET)
    context = {"filters": filters, "page": None}
    if filters.is_valid():
        context["page"] = audit_page(filters.audit_filter(), before=filters.cleaned_data["before"])
        context["export_query"] = filters.query()
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.VIEWED_AUDIT_LOG,
            customer=filters.cleaned_data["customer"],
            detail=filters.described(),
            request=request,
        )
    return render(request, "privacy/audit.html", context, status=200 if filters.is_valid() else 422)


@require_GET
def audit_export(request):
    """The rows the same filters select, all of them, newest first, streamed as CSV."""
    require(request.user, Capability.MANAGE_FLAGS)
    filters = AuditFilters(request.GET)
    if not filters.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items())
        return HttpResponseBadRequest(f"The filters are not valid ({problems}).", content_type="text/plain")
    exported = audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORTED_AUDIT_LOG,
        customer=filters.cleaned_data["customer"],
        detail=filters.described(),
        request=request,
    )
    # The file holds what was there when it was asked for; this export's own row is in the trail.
    events = audit_events(filters.audit_filter()).filter(pk__lt=exported.pk)
    return csv_download(audit_csv_rows(events), filename=f"audit-trail-{timezone.localdate()}.csv")

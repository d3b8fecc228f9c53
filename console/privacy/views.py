"""The customer's privacy page (export, erasure request and decision) and the managers' list of
erasure requests. Every view checks the role and, through ``customer_for_user``, that the user may
see this customer."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from console.accounts.roles import Capability
from console.customers.selectors import customer_for_user, hidden_customers
from console.privacy.exports import ExportUnavailable, export_for_download
from console.privacy.models import DataExport, ErasureRequest
from console.privacy.services import erasure_decide, erasure_request, export_start
from console.rejected import Rejected

OPEN = (ErasureRequest.Status.REQUESTED, ErasureRequest.Status.APPROVED)


def _managers_only(request) -> None:
    if not request.user.has_perm(Capability.MANAGE_FLAGS):
        raise PermissionDenied("Only managers export a customer's data.")


def _page(request, customer, *, error=None, status=200):
    exports = (
        DataExport.objects.filter(customer=customer, requested_by=request.user)[:10]
        if request.user.has_perm(Capability.MANAGE_FLAGS)
        else []
    )
    erasures = list(ErasureRequest.objects.filter(customer=customer).select_related("requested_by", "decided_by"))
    context = {
        "customer": customer,
        "exports": exports,
        "erasures": erasures,
        "open_erasure": any(
            e.status in (ErasureRequest.Status.REQUESTED, ErasureRequest.Status.APPROVED) for e in erasures
        ),
        "error": error,
        "may_export": request.user.has_perm(Capability.MANAGE_FLAGS),
        "may_request": request.user.has_perm(Capability.RECORD_INTERACTIONS),
        "export_hours": settings.PRIVACY_EXPORT_HOURS,
    }
    return render(request, "privacy/customer.html", context, status=status)


@require_GET
def customer_privacy(request, customer_id):
    customer = customer_for_user(request.user, customer_id)
    if customer.merged_into_id:
        # A merged-away record's requests are the person's: made on the record it went into.
        return redirect("privacy:customer", customer.survivor().pk)
    return _page(request, customer)


@require_POST
def export_new(request, customer_id):
    customer = customer_for_user(request.user, customer_id)
    try:
        export_start(customer=customer, user=request.user, request=request)
    except Rejected as exc:
        return _page(request, customer, error=str(exc), status=422)
    return redirect("privacy:customer", customer.pk)


@require_GET
def export_status(request, export_id):
    """One export's line, asked again every second by the page while it is being built."""
    _managers_only(request)
    export = get_object_or_404(DataExport.objects.select_related("customer"), pk=export_id, requested_by=request.user)
    customer_for_user(request.user, export.customer_id)
    return render(request, "privacy/customer.html#export", {"export": export})


@require_GET
def export_download(request, export_id, kind):
    _managers_only(request)
    export = get_object_or_404(DataExport.objects.select_related("customer"), pk=export_id, requested_by=request.user)
    customer = customer_for_user(request.user, export.customer_id)
    try:
        handle, content_type = export_for_download(export=export, user=request.user, kind=kind, request=request)
    except ExportUnavailable as exc:
        return _page(request, customer, error=str(exc), status=410)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"klantbeeld-{export.customer.customer_number}.{kind}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def erasure_new(request, customer_id):
    customer = customer_for_user(request.user, customer_id)
    try:
        erasure_request(customer=customer, user=request.user, reason=request.POST.get("reason", ""), request=request)
    except Rejected as exc:
        return _page(request, customer, error=str(exc), status=422)
    return redirect("privacy:customer", customer.pk)


@require_POST
def erasure_decision(request, erasure_id):
    if not request.user.has_perm(Capability.MANAGE_FLAGS):
        raise PermissionDenied("Only a manager decides on an erasure.")
    erasure = get_object_or_404(ErasureRequest, pk=erasure_id)
    customer = customer_for_user(request.user, erasure.customer_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        return _page(request, customer, error="Choose Erase or Refuse.", status=422)
    try:
        erasure_decide(
            erasure_id=erasure.pk,
            user=request.user,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
            request=request,
        )
    except Rejected as exc:
        return _page(request, customer, error=str(exc), status=422)
    return redirect("privacy:customer", customer.pk)


@require_GET
def erasures(request):
    """Every erasure request, the waiting ones first: where managers decide."""
    if not request.user.has_perm(Capability.MANAGE_FLAGS):
        raise PermissionDenied("Only managers see the erasure requests.")
    # Restricted customers the manager is no member for do not exist here either (docs/privacy.md).
    rows = ErasureRequest.objects.select_related("customer", "requested_by", "decided_by").exclude(
        customer_id__in=hidden_customers(request.user)
    )
    context = {
        "waiting": rows.filter(status=ErasureRequest.Status.REQUESTED).order_by("requested_at"),
        "decided": rows.exclude(status=ErasureRequest.Status.REQUESTED)[:50],
    }
    return render(request, "privacy/erasures.html", context)

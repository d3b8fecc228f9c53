"""The dashboard's inbox section (live: it fetches itself again when the inbox changes) and the
CSV export of conversations for a period."""

from datetime import date, timedelta

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.conversations.figures import export_rows, inbox_figures
from console.ui.spreadsheet import csv_download

TEMPLATE = "dashboard/dashboard.html"
# The longest period one export covers.
EXPORT_MAX_DAYS = 366


@require_GET
def inbox_section(request):
    require(request.user, Capability.MANAGE_FLAGS)
    figures = inbox_figures()
    periods = [("Today", figures.today), ("Last 7 days", figures.week)]
    return render(request, f"{TEMPLATE}#inbox-figures", {"inbox": figures, "inbox_periods": periods})


def _day(text: str | None, default: date) -> date | None:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@require_GET
def inbox_export(request):
    """``?from=2026-11-01&to=2026-11-30`` (days, inclusive; default the last 7 days)."""
    require(request.user, Capability.MANAGE_FLAGS)
    today = timezone.localdate()
    start = _day(request.GET.get("from"), today - timedelta(days=6))
    end = _day(request.GET.get("to"), today)
    if start is None or end is None:
        return HttpResponseBadRequest("Give the days as YYYY-MM-DD, e.g. ?from=2026-11-01&to=2026-11-30.")
    if end < start or (end - start).days >= EXPORT_MAX_DAYS:
        return HttpResponseBadRequest(f"The period must run forward and cover at most {EXPORT_MAX_DAYS} days.")
    audit_event_record(
        actor=request.user, action=AuditEvent.Action.EXPORTED_CONVERSATIONS, detail=f"{start}..{end}", request=request
    )
    return csv_download(
        export_rows(start=start, end=end, user=request.user), filename=f"conversations-{start}-{end}.csv"
    )

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404

from console.accounts.roles import Capability, Role, role_names
from console.cases.models import Case, Team
from console.customers.selectors import customer_visible_or_404
from console.messaging.models import OutboundMessage
from console.messaging.selectors import message_statuses_attach
from console.timeline.models import TimelineEntry
from console.timeline.selectors import MONEY_KINDS

# How many linked contacts and notes a case page shows, newest first.
CASE_ENTRIES_LIMIT = 200


def case_for_user(user, case_id: int) -> Case:
    """The case, if this user may see customers at all; 403 otherwise, 404 if unknown or its
    customer is restricted to a group the user is no member of."""
    if not user.is_authenticated or not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    case = get_object_or_404(Case.objects.select_related("customer", "owner"), pk=case_id)
    customer_visible_or_404(user, case.customer)
    return case


def case_entries(*, case: Case, finance: bool) -> list[TimelineEntry]:
    """The contacts and notes linked to the case, newest first; without invoice details for
    roles that may not see them (as on the customer's timeline)."""

    entries = list(
        TimelineEntry.objects.filter(case=case).select_related("actor_user").order_by("-seq")[:CASE_ENTRIES_LIMIT]
    )
    message_statuses_attach(entries)
    return _redacted(entries, finance=finance)


def case_messages(*, case: Case) -> list:
    """The messages sent to the customer on this case (a complaint's answer, a callback's new
    time), newest first, with where each stands: queued, sent, failed."""

    return list(OutboundMessage.objects.filter(case=case).order_by("-created_at", "-id")[:CASE_ENTRIES_LIMIT])


def entry_as_shown(*, entry_id: int, finance: bool) -> TimelineEntry:
    entry = TimelineEntry.objects.select_related("actor_user", "customer").get(pk=entry_id)
    return _redacted([entry], finance=finance)[0]


def _redacted(entries: list[TimelineEntry], *, finance: bool) -> list[TimelineEntry]:
    """Money entries without their details for roles without invoice access (store), worded as
    the timeline words them."""
    if not finance:
        for entry in entries:
            if entry.kind in MONEY_KINDS or entry.invoice_id:
                entry.summary = f"{entry.get_kind_display()} (details are for finance roles)"
                entry.body = ""
    return entries


def customer_open_cases(*, customer_id: int) -> list[Case]:
    """A customer's open cases, soonest due first: what a contact can be linked to."""
    return list(
        Case.objects.filter(customer_id=customer_id, status__in=Case.OPEN_STATUSES).order_by(
            F("due_at").asc(nulls_last=True), "-created_at"
        )
    )


def case_owners() -> list:
    """Colleagues a case can be given to: active users with a role, by name."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=Role.values)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def team_for_user(user) -> str:
    """The queue an agent starts from: their own team's (managers: back office)."""
    names = role_names(user)
    for role in (Role.PHONE, Role.WEBCARE, Role.STORE):
        if role in names:
            return role.value
    return Team.BACK_OFFICE

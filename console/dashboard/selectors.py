"""The reads behind the manager dashboard (docs/dashboard.md).

Each list is one query: the rows a manager sees first (capped), the total beside them (a
window count, so "and 37 more" costs nothing extra) and whatever each row shows, joined or
taken by a correlated subquery on an indexed foreign key. Nothing is read per row, so the
page costs the same number of queries at 100 or 100,000 customers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from console.cases.models import Case as CustomerCase
from console.commerce.models import Order, OrderLine, Return
from console.customers.models import Address, Identifier
from console.customers.selectors import hidden_customers
from console.flags.models import CreditApproval, Flag, FlagChange
from console.timeline.models import Channel, TimelineEntry

# How many rows a list shows before "and N more".
LIST_LIMIT = 20

# Contact with the customer, on any channel; orders, invoices, flags, merges and the like are
# the systems talking and stay out of the interactions chart.
INTERACTION_KINDS = (
    TimelineEntry.Kind.INTERACTION,
    TimelineEntry.Kind.CALL,
    TimelineEntry.Kind.STORE_VISIT,
    TimelineEntry.Kind.MESSAGE,
)

# The levels the "flags over time" chart follows, in the order of its legend.
FLAG_TREND_LEVELS = (Flag.Level.HOLD, Flag.Level.WATCH, Flag.Level.UNDELIVERABLE, Flag.Level.EXPIRED)

# Open cases by age: (label, from days, to days); None is open-ended.
CASE_AGE_BUCKETS = (
    ("< 1 day", 0, 1),
    ("1–3 days", 1, 3),
    ("3–7 days", 3, 7),
    ("7–14 days", 7, 14),
    ("> 14 days", 14, None),
)

# A delivery that has not reached the customer yet (the courier still has to hand it over).
UNDELIVERED_LINE_STATUSES = (OrderLine.DeliveryStatus.PENDING, OrderLine.DeliveryStatus.SHIPPED)


@dataclass
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _listing(queryset: QuerySet, limit: int) -> Listing:
    rows = list(queryset.annotate(listing_total=Window(Count("pk")))[:limit])
    return Listing(rows=rows, total=rows[0].listing_total if rows else 0)


def _overridden(now: datetime) -> Q:
    """A manager's override that still counts (the same rule as ``Flag.overridden``)."""
    return Q(override_until__gt=now) & ~Q(override_level="")


def flags_at_level(*, kind: str, levels: list[str], now: datetime, user=None) -> QuerySet:
    """Flags of one kind whose effective level is one of ``levels``: the override while it
    lasts, the computed level otherwise. Customers merged into another record are left out, and
    so are those restricted to a group ``user`` is no member of."""
    overridden = _overridden(now)
    return (
        Flag.objects.filter(kind=kind, customer__merged_into__isnull=True)
        .exclude(customer_id__in=hidden_customers(user))
        .filter((Q(level__in=levels) & ~overridden) | (overridden & Q(override_level__in=levels)))
        .annotate(
            shown_level=Case(When(overridden, then=F("override_level")), default=F("level"), output_field=CharField())
        )
        .select_related("customer", "override_by")
    )


def credit_list(*, level: str, today: date, now: datetime, user=None, limit: int = LIST_LIMIT) -> Listing:
    """Customers whose credit is on ``level`` (hold or watch), worst first: the most overdue,
    then the longest overdue. The figures are the credit flag's own (``amount_overdue``,
    ``amount_open``, ``oldest_due_on``, written by every recomputation), so the list is read from
    one index (``flag_worst_first``) however many customers are on hold."""
    flags = flags_at_level(kind=Flag.Kind.CREDIT, levels=[level], now=now, user=user)
    listing = _listing(
        flags.order_by(
            F("amount_overdue").desc(nulls_last=True), F("oldest_due_on").asc(nulls_last=True), "customer__name"
        ),
        limit,
    )
    for row in listing.rows:
        row.days_overdue = (today - row.oldest_due_on).days if row.oldest_due_on else None
    return listing


def loyal_at_risk_list(*, now: datetime, user=None, limit: int = LIST_LIMIT) -> Listing:
    """Gold customers with an open complaint or an open return, the longest waiting first."""
    complaints = CustomerCase.objects.filter(
        customer_id=OuterRef("customer_id"),
        kind=CustomerCase.Kind.COMPLAINT,
        status__in=CustomerCase.OPEN_STATUSES,
    ).order_by("created_at", "id")
    returns = Return.objects.filter(customer_id=OuterRef("customer_id"), status__in=Return.OPEN_STATUSES).order_by(
        "opened_at", "id"
    )
    complaint_since = Subquery(complaints.values("created_at")[:1])
    return_since = Subquery(returns.values("opened_at")[:1])
    # Start from the few customers with an open complaint or return (one set), not from the
    # many gold customers: the database then looks up each one's loyalty flag by its index.
    open_complaint = (
        CustomerCase.objects.filter(kind=CustomerCase.Kind.COMPLAINT, status__in=CustomerCase.OPEN_STATUSES)
        .order_by()
        .values("customer_id")
    )
    open_return = Return.objects.filter(status__in=Return.OPEN_STATUSES).order_by().values("customer_id")
    flags = (
        flags_at_level(kind=Flag.Kind.LOYALTY, levels=[Flag.Level.GOLD], now=now, user=user)
        .filter(customer_id__in=open_complaint.union(open_return))
        .annotate(
            complaint_title=Subquery(complaints.values("title")[:1]),
            complaint_since=complaint_since,
            return_number=Subquery(returns.values("return_number")[:1]),
            return_status=Subquery(returns.values("status")[:1]),
            return_since=return_since,
            # SQLite's MIN() of a NULL is NULL (PostgreSQL's LEAST skips it): coalesce each side.
            waiting_since=Least(Coalesce(complaint_since, return_since), Coalesce(return_since, complaint_since)),
        )
    )
    listing = _listing(flags.order_by("waiting_since", "customer__name"), limit)
    for row in listing.rows:
        row.return_status_label = Return.Status(row.return_status).label if row.return_status else ""
    return listing


def returned_mail_list(*, user=None, limit: int = LIST_LIMIT) -> Listing:
    """Addresses marked undeliverable by returned mail, the oldest first."""
    addresses = (
        Address.objects.filter(status=Address.Status.UNDELIVERABLE, customer__merged_into__isnull=True)
        .exclude(customer_id__in=hidden_customers(user))
        .select_related("customer")
    )
    return _listing(addresses.order_by(F("status_changed_at").asc(nulls_first=True), "id"), limit)


def bounced_email_list(*, user=None, limit: int = LIST_LIMIT) -> Listing:
    """E-mail addresses that bounced, the oldest first."""
    identifiers = (
        Identifier.objects.filter(
            kind=Identifier.Kind.EMAIL, bounced_at__isnull=False, customer__merged_into__isnull=True
        )
        .exclude(customer_id__in=hidden_customers(user))
        .select_related("customer")
    )
    return _listing(identifiers.order_by("bounced_at", "id"), limit)


def id_delivery_list(*, now: datetime, user=None, limit: int = LIST_LIMIT) -> Listing:
    """Customers with an expired or mismatched ID document and an order still to be handed
    over (a line pending or shipped), the longest-standing order first: the courier asks for ID."""
    undelivered = (
        OrderLine.objects.filter(order__customer_id=OuterRef("customer_id"), status__in=UNDELIVERED_LINE_STATUSES)
        .exclude(order__status=Order.Status.CANCELLED)
        .order_by("order__placed_at", "order_id")
    )
    flags = (
        flags_at_level(kind=Flag.Kind.ID_DOCUMENT, levels=[Flag.Level.EXPIRED, Flag.Level.MISMATCH], now=now, user=user)
        .filter(Exists(undelivered))
        .annotate(
            order_number=Subquery(undelivered.values("order__order_number")[:1]),
            order_placed_at=Subquery(undelivered.values("order__placed_at")[:1]),
            undelivered_lines=Subquery(
                undelivered.order_by().values("order__customer_id").annotate(n=Count("id")).values("n")
            ),
        )
    )
    return _listing(flags.order_by("order_placed_at", "customer__name"), limit)


def pending_approvals_list(*, user=None, limit: int = LIST_LIMIT) -> Listing:
    """Credit approvals waiting for a manager, the longest waiting first."""
    approvals = (
        CreditApproval.objects.filter(status=CreditApproval.Status.PENDING)
        .exclude(customer_id__in=hidden_customers(user))
        .select_related("customer", "requested_by_user")
    )
    return _listing(approvals.order_by("requested_at", "id"), limit)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _days(today: date, count: int) -> list[date]:
    return [today - timedelta(days=n) for n in range(count - 1, -1, -1)]


@dataclass
class DailySeries:
    """Counts per day (oldest first) for each series that has any, in a fixed order."""

    days: list[date]
    series: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(values) for values in self.series.values())

    def table(self) -> list[tuple[date, list[int], int]]:
        """The days that have any count, oldest first: (day, a count per series, the day's total)."""
        rows = []
        for n, day in enumerate(self.days):
            counts = [values[n] for values in self.series.values()]
            if any(counts):
                rows.append((day, counts, sum(counts)))
        return rows


def _daily(rows, *, days: list[date], key: str, order: list[str]) -> DailySeries:
    index = {day: n for n, day in enumerate(days)}
    counts: dict[str, list[int]] = {}
    for row in rows:
        if row["day"] in index:
            counts.setdefault(row[key], [0] * len(days))[index[row["day"]]] += row["n"]
    return DailySeries(days=days, series={name: counts[name] for name in order if name in counts})


def interactions_per_channel(*, today: date, days: int = 14) -> DailySeries:
    """Contacts with customers per channel per local day, over the last ``days`` days."""
    window = _days(today, days)
    rows = (
        TimelineEntry.objects.filter(
            occurred_at__gte=_local_midnight(window[0]),
            occurred_at__lt=_local_midnight(today + timedelta(days=1)),
            kind__in=INTERACTION_KINDS,
        )
        .exclude(channel=Channel.SYSTEM)
        .annotate(day=TruncDate("occurred_at"))
        .values("day", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _daily(rows, days=window, key="channel", order=[c for c in Channel.values if c != Channel.SYSTEM])


def flags_over_time(*, today: date, days: int = 30) -> DailySeries:
    """Per local day, how many customers went into hold, watch, undeliverable or expired
    (a change to that level from another one, overrides included)."""
    window = _days(today, days)
    rows = (
        FlagChange.objects.filter(changed_at__gte=_local_midnight(window[0]), level__in=FLAG_TREND_LEVELS)
        .exclude(level_before=F("level"))
        .annotate(day=TruncDate("changed_at"))
        .values("day", "level")
        .annotate(n=Count("customer_id", distinct=True))
        .order_by()
    )
    return _daily(rows, days=window, key="level", order=list(FLAG_TREND_LEVELS))


def open_cases_by_age(*, now: datetime) -> list[tuple[str, int]]:
    """Open cases (open or waiting on the customer) counted by how long ago they were opened."""
    counts = {}
    for n, (_, start, end) in enumerate(CASE_AGE_BUCKETS):
        opened = Q(created_at__lte=now - timedelta(days=start))
        if end is not None:
            opened &= Q(created_at__gt=now - timedelta(days=end))
        counts[f"b{n}"] = Count("id", filter=opened)
    totals = CustomerCase.objects.filter(status__in=CustomerCase.OPEN_STATUSES).aggregate(**counts)
    return [(label, totals[f"b{n}"]) for n, (label, _, _) in enumerate(CASE_AGE_BUCKETS)]


def dashboard_overview(*, user=None, now: datetime | None = None) -> dict:
    """Everything the dashboard shows, read at one moment: ten queries, whatever the data. The
    lists name customers, so they leave out those restricted to a group ``user`` is no member of
    (None: every restricted customer); the charts only count."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "now": now,
        "hold": credit_list(level=Flag.Level.HOLD, today=today, now=now, user=user),
        "watch": credit_list(level=Flag.Level.WATCH, today=today, now=now, user=user),
        "loyal_at_risk": loyal_at_risk_list(now=now, user=user),
        "returned_mail": returned_mail_list(user=user),
        "bounced": bounced_email_list(user=user),
        "id_deliveries": id_delivery_list(now=now, user=user),
        "approvals": pending_approvals_list(user=user),
        "interactions": interactions_per_channel(today=today),
        "flag_trend": flags_over_time(today=today),
        "case_ages": open_cases_by_age(now=now),
    }

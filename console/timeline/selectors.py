from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from console.accounts.roles import Capability
from console.timeline.models import ACTIVITY_KINDS, FROM_CUSTOMER, Channel, TimelineEntry


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    # The seq to ask for older entries with, or None when this page reaches the start.
    older_than: int | None
    channel: str


# Entries that carry invoice numbers and amounts (and any entry linked to an invoice), and
# credit approvals (order amounts, the credit standing behind them); roles without invoice
# access see them without those details (store: open balance only).
MONEY_KINDS = (
    TimelineEntry.Kind.INVOICE,
    TimelineEntry.Kind.PAYMENT,
    TimelineEntry.Kind.CREDIT_APPROVAL,
    TimelineEntry.Kind.STATEMENT,
)


def timeline_page(
    *,
    customer_id: int,
    before_seq: int | None = None,
    channel: str = "",
    limit: int | None = None,
    hide_invoice_details: bool = False,
) -> TimelinePage:
    """Newest first, keyset-paginated on seq: the cost is the same for 10 or 100,000 entries."""
    limit = limit or settings.TIMELINE_PAGE_SIZE
    qs = TimelineEntry.objects.filter(customer_id=customer_id)
    if channel:
        qs = qs.filter(channel=channel)
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    rows = list(qs.select_related("actor_user").order_by("-seq")[: limit + 1])
    entries = rows[:limit]
    if hide_invoice_details:
        for entry in entries:
            if entry.kind in MONEY_KINDS or entry.invoice_id:
                entry.summary = f"{entry.get_kind_display()} (details are for finance roles)"
                entry.body = ""
    older_than = entries[-1].seq if len(rows) > limit else None
    return TimelinePage(entries=entries, older_than=older_than, channel=channel)


def channel_filter(value: str | None) -> str:
    """A channel name from a query string, or "" (all channels) for anything else."""
    return value if value in Channel.values else ""


def timeline_for_user(*, user, customer_id: int, channel: str = "", before_seq: int | None = None) -> TimelinePage:
    """The timeline page as this user may see it; every view renders the timeline through here."""

    return timeline_page(
        customer_id=customer_id,
        channel=channel,
        before_seq=before_seq,
        hide_invoice_details=not user.has_perm(Capability.VIEW_INVOICES),
    )


# How long after a customer's last contact on a channel the picture says "active on ...".
ACTIVE_WINDOW_MINUTES = 10


def customer_activity(*, customer_id: int) -> list[dict]:
    """Channels the customer used in the last few minutes (chatting while on the phone).

    Only what the customer did: contacts, calls, web visits, the wish list, a store visit. A
    returned letter, an ID scan or a courier's order update comes in from a source system and
    says nothing about where the customer is now.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    # Asked for every entry a console is sent, so written out: the same query through the ORM
    # spent three times as long building the SQL as the database spent answering it.
    now = timezone.now()
    since = now - timedelta(minutes=ACTIVE_WINDOW_MINUTES)
    adapt = connection.ops.adapt_datetimefield_value
    kinds = ", ".join(["%s"] * len(ACTIVITY_KINDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT channel, MAX(occurred_at) FROM {TimelineEntry._meta.db_table} "  # noqa: S608
            f"WHERE customer_id = %s AND direction = %s AND kind IN ({kinds}) "
            "AND occurred_at >= %s AND occurred_at <= %s GROUP BY channel ORDER BY 2 DESC",
            [customer_id, str(TimelineEntry.Direction.INBOUND), *ACTIVITY_KINDS] + [adapt(since), adapt(now)],
        )
        found = cursor.fetchall()
    rows = []
    for channel, at in found:
        if isinstance(at, str):  # SQLite answers an aggregate as text
            at = parse_datetime(at)
        if timezone.is_naive(at):  # and in the connection's time zone, without saying so
            at = timezone.make_aware(at, connection.timezone)
        rows.append({"channel": channel, "at": at})
    return [
        {
            "channel": r["channel"],
            "label": Channel(r["channel"]).label,
            "at": r["at"],
            "until": r["at"] + timedelta(minutes=ACTIVE_WINDOW_MINUTES),
        }
        for r in rows
    ]


# "What did they ask us lately?": shown at the top of the picture, over the timeline.
LATEST_QUESTIONS_SHOWN = 3


LATEST_QUESTIONS_DAYS = 7


def latest_questions(*, customer_id: int) -> list:
    """What the customer last said to the company, on any channel, in the past week: the
    chatbot question of last night at the top of the picture when they call this morning
    (story S3), whatever came in since (a web visit, an order update) and whatever the
    timeline filter is set to. One indexed query."""

    since = timezone.now() - timedelta(days=LATEST_QUESTIONS_DAYS)
    return list(
        TimelineEntry.objects.filter(FROM_CUSTOMER, customer_id=customer_id, occurred_at__gte=since).order_by(
            "-occurred_at", "-seq"
        )[:LATEST_QUESTIONS_SHOWN]
    )

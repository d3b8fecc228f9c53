"""The managers' figures of the inbox (the dashboard's inbox section and its CSV export):
the backlog per team and channel, first-response times in business hours today and over the
last 7 days (p50 and p90), the share answered in time, and each agent's load. A handful of
queries whatever the number of conversations: the first-response times are stored when the
first answer goes out, in business seconds (services._answered), so no figure walks a calendar."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from console.cases.models import Team
from console.conversations.models import Conversation
from console.customers.selectors import hidden_customers
from console.timeline.models import Channel
from console.ui.spreadsheet import spreadsheet_cell


@dataclass
class Responses:
    """First responses given in a period."""

    count: int = 0
    p50_seconds: float | None = None
    p90_seconds: float | None = None
    in_time_percent: float | None = None


@dataclass
class InboxFigures:
    now: datetime
    channels: list[tuple[str, str]]
    # (team label, counts in the order of ``channels``, total)
    backlog: list[tuple[str, list[int], int]]
    backlog_total: int
    today: Responses
    week: Responses
    # (agent's name, open, of which awaiting a reply)
    loads: list[tuple[str, int, int]] = field(default_factory=list)


def _responses(since: datetime) -> Responses:
    rows = list(
        Conversation.objects.filter(first_response_at__gte=since, first_response_seconds__isnull=False).values_list(
            "first_response_seconds", "first_response_in_time"
        )
    )
    if not rows:
        return Responses()
    seconds = sorted(s for s, _in_time in rows)
    p90 = statistics.quantiles(seconds, n=10, method="inclusive")[8] if len(seconds) > 1 else seconds[0]
    in_time = sum(1 for _s, ok in rows if ok)
    return Responses(
        count=len(rows),
        p50_seconds=statistics.median(seconds),
        p90_seconds=p90,
        in_time_percent=round(100 * in_time / len(rows), 1),
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def inbox_figures(*, now: datetime | None = None) -> InboxFigures:
    now = now or timezone.now()
    open_ = Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES)
    counts = {(r["team"], r["channel"]): r["n"] for r in open_.values("team", "channel").annotate(n=Count("pk"))}
    channel_names = dict(Channel.choices)
    channels = sorted({c for _t, c in counts}, key=list(channel_names).index)
    backlog = []
    for team, label in Team.choices:
        row = [counts.get((team, c), 0) for c in channels]
        if sum(row):
            backlog.append((label, row, sum(row)))
    today = timezone.localdate(now)
    loads = (
        Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES, assignee__isnull=False)
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(open=Count("pk"), awaiting=Count("pk", filter=Q(status=Conversation.Status.AWAITING_REPLY)))
        .order_by("-open", "assignee__username")
    )
    return InboxFigures(
        now=now,
        channels=[(c, channel_names[c]) for c in channels],
        backlog=backlog,
        backlog_total=sum(counts.values()),
        today=_responses(_midnight(today)),
        week=_responses(_midnight(today - timedelta(days=6))),
        loads=[
            (
                f"{r['assignee__first_name']} {r['assignee__last_name']}".strip() or r["assignee__username"],
                r["open"],
                r["awaiting"],
            )
            for r in loads
        ],
    )


EXPORT_FIELDS = [
    "id",
    "opened_at",
    "customer_number",
    "channel",
    "team",
    "priority",
    "status",
    "assignee",
    "first_response_at",
    "first_response_business_minutes",
    "first_response_in_time",
    "done_at",
    "done_reason",
]


def export_rows(*, start: date, end: date, user):
    """Every conversation opened in [start, end] (local days), oldest first, as CSV rows; read
    in chunks, so a year's export streams without holding it in memory. Not those of customers
    restricted to a group ``user`` is no member of: each row names its customer."""
    yield EXPORT_FIELDS
    rows = (
        Conversation.objects.filter(opened_at__gte=_midnight(start), opened_at__lt=_midnight(end + timedelta(days=1)))
        .exclude(customer_id__in=hidden_customers(user))
        .order_by("opened_at", "pk")
        .values_list(
            "pk",
            "opened_at",
            "customer__customer_number",
            "channel",
            "team",
            "priority",
            "status",
            "assignee__username",
            "first_response_at",
            "first_response_seconds",
            "first_response_in_time",
            "done_at",
            "done_reason",
        )
    )
    for (
        pk,
        opened,
        number,
        channel,
        team,
        priority,
        status,
        who,
        first,
        seconds,
        in_time,
        done,
        reason,
    ) in rows.iterator(chunk_size=2000):
        yield [
            pk,
            timezone.localtime(opened).isoformat(timespec="minutes"),
            spreadsheet_cell(number),
            channel,
            team,
            priority,
            status,
            spreadsheet_cell(who or ""),
            timezone.localtime(first).isoformat(timespec="minutes") if first else "",
            round(seconds / 60, 1) if seconds is not None else "",
            "" if in_time is None else ("yes" if in_time else "no"),
            timezone.localtime(done).isoformat(timespec="minutes") if done else "",
            spreadsheet_cell(reason),
        ]

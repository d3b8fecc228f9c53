"""The inbox lists and their counts: open conversations, soonest due first (docs/inbox.md).

A list costs the same few queries however many conversations there are (the page, its total,
the flags of the customers on it); the counts in the navigation are one query."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from console.accounts.roles import Capability, team_roles
from console.cases.models import Team
from console.conversations.models import Conversation
from console.flags.models import Flag
from console.live.presence import REDIS_DOWN, viewers_now
from console.timeline.models import Channel

# "Breaching soon": overdue, or due within this many minutes.
BREACHING_SOON = timedelta(minutes=15)
VIEWS = {"mine": "Mine", "unassigned": "Unassigned", "breaching": "Breaching soon", "team": "Team"}
# Filters by flag: (kind, levels); a manager's override counts, as on the picture.
FLAG_FILTERS = {
    "loyal": ("Loyal", Flag.Kind.LOYALTY, ["gold", "silver"]),
    "credit_hold": ("Credit hold", Flag.Kind.CREDIT, ["hold"]),
}


@dataclass
class InboxFilters:
    channel: str = ""
    language: str = ""
    flag: str = ""

    @classmethod
    def from_query(cls, query) -> "InboxFilters":
        channel = query.get("channel", "")
        flag = query.get("flag", "")
        language = query.get("language", "")
        return cls(
            channel=channel if channel in Channel.values else "",
            language=language if language in ("nl", "en") else "",
            flag=flag if flag in FLAG_FILTERS else "",
        )


@dataclass
class InboxPage:
    view: str
    team: str
    title: str
    rows: list[Conversation]
    total: int
    filters: InboxFilters
    now: object = field(default_factory=timezone.now)


def _flag_holds(kind: str, levels: list[str]) -> Exists:
    now = timezone.now()
    effective = Q(override_level__in=levels, override_until__gt=now) | (
        Q(level__in=levels) & (Q(override_level="") | Q(override_until__isnull=True) | Q(override_until__lte=now))
    )
    return Exists(Flag.objects.filter(effective, customer=OuterRef("customer_id"), kind=kind))


def _open() -> "Conversation.objects":
    return Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES)


def _in_view(queryset, *, user, view: str, team: str):
    if view == "mine":
        return queryset.filter(assignee=user)
    if view == "team":
        return queryset.filter(team=team)
    teams = team_roles(user) or Team.values  # managers and admins see every team's
    queryset = queryset.filter(team__in=teams)
    if view == "unassigned":
        return queryset.filter(assignee__isnull=True)
    return queryset.filter(status=Conversation.Status.AWAITING_REPLY, due_at__lte=timezone.now() + BREACHING_SOON)


def inbox_page(*, user, view: str, team: str = "", filters: InboxFilters | None = None) -> InboxPage:
    """One inbox list, soonest due first (a conversation waiting on the customer has no due time
    and comes last), with the customer's flags on each row."""
    filters = filters or InboxFilters()
    rows = _in_view(_open(), user=user, view=view, team=team)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.language:
        rows = rows.filter(customer__language=filters.language)
    if filters.flag:
        _label, kind, levels = FLAG_FILTERS[filters.flag]
        rows = rows.filter(_flag_holds(kind, levels))
    total = rows.count()
    listed = list(
        rows.select_related("customer", "assignee").order_by(
            F("due_at").asc(nulls_last=True), "waiting_since", "opened_at", "pk"
        )[: settings.INBOX_PAGE_SIZE]
    )
    _flags_attach(listed)
    _lookers_attach(listed, user=user)
    title = Team(team).label if view == "team" else VIEWS[view]
    return InboxPage(view=view, team=team, title=title, rows=listed, total=total, filters=filters)


def _flags_attach(rows: list[Conversation]) -> None:
    """Each row's customer gets the flags worth a badge in a list (loyal, credit watch or hold),
    in one query for the whole page."""
    shown = {}
    for flag in Flag.objects.filter(
        customer_id__in={c.customer_id for c in rows}, kind__in=[Flag.Kind.LOYALTY, Flag.Kind.CREDIT]
    ):
        if flag.effective_level in ("gold", "silver", "watch", "hold"):
            shown.setdefault(flag.customer_id, []).append(flag)
    for conversation in rows:
        conversation.badges = shown.get(conversation.customer_id, [])


def _lookers_attach(rows: list[Conversation], *, user) -> None:
    """Each row gets the colleagues who have its customer's picture open right now (not the
    user themself), from the live console's presence registry: one call for the whole page.
    Without Redis for a moment, nobody is shown rather than the page failing."""
    try:
        found = viewers_now(
            [c.customer_id for c in rows],
            stale_after=3 * settings.LIVE_TICK_SECONDS,
            limit=settings.LIVE_PRESENCE_SHOWN,
        )
    except REDIS_DOWN:
        found = {}
    for conversation in rows:
        names = {v["user"]: v["name"] for v in found.get(conversation.customer_id, []) if v.get("user") != user.pk}
        conversation.lookers = list(names.values())


def _count(queryset) -> Subquery:
    return Subquery(queryset.order_by().values(n=Func("pk", function="COUNT")))


def inbox_counts(*, user) -> dict[str, int]:
    """The counts in the navigation, in one query: the user's own open conversations awaiting a
    reply, their teams' unassigned ones, and those breaching soon. Each is a count of its own
    (on the user's row, so that the statement has a row to answer on), which PostgreSQL reads
    from an index; one aggregate with three filters read every open conversation
    (docs/performance.md, Inbox)."""
    teams = team_roles(user) or Team.values
    soon = timezone.now() + BREACHING_SOON
    awaiting = _open().filter(status=Conversation.Status.AWAITING_REPLY)
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            mine=_count(awaiting.filter(assignee=user.pk)),
            unassigned=_count(_open().filter(team__in=teams, assignee__isnull=True)),
            breaching=_count(awaiting.filter(team__in=teams, due_at__lte=soon)),
        )
        .get()
    )


def conversation_for_user(user, conversation_id: int) -> Conversation:
    """The conversation, if this user may see customers (any agent may see any team's inbox, as
    with queues); 403 otherwise, 404 if unknown."""
    if not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    return get_object_or_404(Conversation.objects.select_related("customer", "assignee"), pk=conversation_id)

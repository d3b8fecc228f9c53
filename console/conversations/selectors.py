"""The inbox lists and their counts: open conversations, soonest due first (docs/inbox.md).

A list costs the same few queries however many conversations there are (the page, its total,
the flags of the customers on it); the counts in the navigation are one query."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from console.accounts.roles import Capability, team_roles
from console.cases.models import Team
from console.conversations.models import Conversation
from console.customers.models import Customer
from console.customers.selectors import customer_visible_or_404, hidden_customers
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


# What a list row shows (rows.py), and no more: a page reads 50 rows with their customer and
# assignee, and turning every column of the three into Python objects was a fifth of its time.
ROW_FIELDS = (
    "customer", "status", "priority", "due_at", "waiting_since", "opened_at", "channel", "team", "last_words",
    "updated_at", "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip
# The customers of a page's rows, read by id in a query of their own: joined to the list's query,
# PostgreSQL hashed the whole customer table to sort an agent's 200 conversations (15 ms).
ROW_CUSTOMERS = Prefetch("customer", queryset=Customer.objects.only("name", "customer_number", "language"))


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
    teams: list[str] = field(default_factory=list)  # the viewer's teams (every team for managers)
    limit: int = 50
    cap: int = 99  # totals beyond it are not counted further
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
    rows = _in_view(_open().exclude(customer_id__in=hidden_customers(user)), user=user, view=view, team=team)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.language:
        rows = rows.filter(customer__language=filters.language)
    if filters.flag:
        _label, kind, levels = FLAG_FILTERS[filters.flag]
        rows = rows.filter(_flag_holds(kind, levels))
    (total,) = capped_counts([rows]).values()
    listed = list(
        rows.select_related("assignee")
        .only(*ROW_FIELDS)
        .prefetch_related(ROW_CUSTOMERS)
        .order_by(F("due_at").asc(nulls_last=True), "waiting_since", "opened_at", "pk")[: settings.INBOX_PAGE_SIZE]
    )
    total = max(total, len(listed))  # a cap below the page size
    details_attach(listed, viewer_id=user.pk)
    title = Team(team).label if view == "team" else VIEWS[view]
    return InboxPage(
        view=view,
        team=team,
        title=title,
        rows=listed,
        total=total,
        filters=filters,
        teams=team_roles(user) or list(Team.values),
        limit=settings.INBOX_PAGE_SIZE,
        cap=settings.INBOX_COUNT_CAP,
    )


def details_attach(rows: list[Conversation], *, viewer_id: int | None) -> None:
    """What a row shows besides the conversation: its customer's flags and the colleagues looking
    (not the viewer themself; None: everyone, for a push)."""
    _flags_attach(rows)
    _lookers_attach(rows, viewer_id=viewer_id)


def _flags_attach(rows: list[Conversation]) -> None:
    """Each row's customer gets the flags worth a badge in a list (loyal, credit watch or hold),
    in one query for the whole page."""
    shown = {}
    for flag in (
        Flag.objects.filter(
            customer_id__in={c.customer_id for c in rows}, kind__in=[Flag.Kind.LOYALTY, Flag.Kind.CREDIT]
        )
        .only("customer_id", "kind", "level", "override_level", "override_until")
        .order_by("kind")
    ):
        if flag.effective_level in ("gold", "silver", "watch", "hold"):
            shown.setdefault(flag.customer_id, []).append(flag)
    for conversation in rows:
        conversation.badges = shown.get(conversation.customer_id, [])


def _lookers_attach(rows: list[Conversation], *, viewer_id: int | None) -> None:
    """Each row gets the colleagues who have its customer's picture open right now, as (user id,
    name), from the live console's presence registry: one call for the whole page.
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
        names = {v["user"]: v["name"] for v in found.get(conversation.customer_id, []) if v.get("user") != viewer_id}
        conversation.lookers = list(names.items())


def capped_counts(querysets, cap: int | None = None) -> dict[int, int]:
    """How many rows each queryset has, counting no further than ``cap`` + 1 (the setting
    ``INBOX_COUNT_CAP``; more shows as "99+"), in one statement. An exact count of a busy team's
    open conversations read 25,000 index entries and as many table rows, 15 ms on every page and
    every change; no agent acts on the difference between 25,000 and 24,999
    (docs/performance.md, Inbox)."""
    cap = settings.INBOX_COUNT_CAP if cap is None else cap
    parts, params = [], []
    for queryset in querysets:
        sql, more = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS part)")  # noqa: S608 - Django compiled it; values are params
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(enumerate(cursor.fetchone()))


def team_counts(teams) -> dict[str, dict[str, int]]:
    """Per team: its open conversations nobody has taken, and those awaiting a reply that are
    overdue or due within ``BREACHING_SOON`` (each counted up to the cap), in one statement.
    What the counts in the navigation add up, and what a change pushes for its team. One count
    for the whole team, so restricted customers' conversations are not in it (docs/privacy.md)."""
    teams = list(teams)
    soon = timezone.now() + BREACHING_SOON
    counted = _open().exclude(customer_id__in=hidden_customers())
    asked = []
    for team in teams:
        asked.append(counted.filter(team=team, assignee__isnull=True))
        asked.append(counted.filter(team=team, status=Conversation.Status.AWAITING_REPLY, due_at__lte=soon))
    found = capped_counts(asked) if asked else {}
    return {team: {"unassigned": found[2 * i], "breaching": found[2 * i + 1]} for i, team in enumerate(teams)}


def inbox_counts(*, user) -> dict:
    """The counts in the navigation: the user's own open conversations awaiting a reply, and per
    team of theirs (every team for managers and admins) the unassigned ones and those breaching
    soon, with their sums; each counted up to the cap, read from an index."""
    teams = team_roles(user) or Team.values
    per_team = team_counts(teams)
    return {
        "mine": _open()
        .filter(status=Conversation.Status.AWAITING_REPLY, assignee=user.pk)
        .exclude(customer_id__in=hidden_customers(user))
        .count(),
        "teams": per_team,
        "unassigned": sum(n["unassigned"] for n in per_team.values()),
        "breaching": sum(n["breaching"] for n in per_team.values()),
        "cap": settings.INBOX_COUNT_CAP,
    }


def conversation_for_user(user, conversation_id: int) -> Conversation:
    """The conversation, if this user may see customers (any agent may see any team's inbox, as
    with queues); 403 otherwise, 404 if unknown or its customer is restricted to a group the user
    is no member of."""
    if not user.has_perm(Capability.VIEW_CUSTOMERS):
        raise PermissionDenied("Your role does not allow viewing customers.")
    conversation = get_object_or_404(Conversation.objects.select_related("customer", "assignee"), pk=conversation_id)
    customer_visible_or_404(user, conversation.customer)
    return conversation

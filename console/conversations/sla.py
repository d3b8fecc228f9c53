"""When a conversation's next answer is due, in business time (docs/inbox.md, "SLA and business
hours").

A business minute is a real minute inside the opening hours (``OpeningHours``, in TIME_ZONE) of
a day that is neither a Dutch public holiday (the ``holidays`` library) nor a ``ClosedDay``. The
answer is due when the policy's business minutes have passed since the customer started waiting
(``waiting_since``): the first-response target until the first answer, the next-response target
after it. While the conversation waits on the customer there is no clock (``due_at`` None); the
customer's next message starts it again from that message. The conversation must be done within
the resolution target's business minutes of opening (``resolution_deadline``), not counting the
time it waited on the customer.

All arithmetic is on UTC moments: an aware datetime minus another of the same zone counts the
wall clock, so the night the clocks change would be an hour off. The calendar and the policies
(a few rows) come from the cache, one read per call, forgotten whenever an admin saves one; the
holidays are worked out once per year per process. No query per minute or per day.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from console.cache import cached, cached_forget
from console.conversations.models import PRIORITY_RANK, ClosedDay, OpeningHours, Priority, SlaPolicy

log = logging.getLogger(__name__)
CACHE_KEY = "conversations:sla-rules"
# How far ahead an opening is looked for. A calendar with no open day in that time (every
# weekday closed by mistake) falls back to the wall clock: an answer is never due "never".
HORIZON_DAYS = 400
MIDNIGHT = time(0, 0)


@lru_cache(maxsize=32)
def public_holidays(year: int) -> frozenset[date]:
    """The Dutch public holidays of a year (King's Day, Christmas, Easter and Whit Monday, ...)."""
    return frozenset(holidays.country_holidays("NL", years=year))


@dataclass(frozen=True)
class Targets:
    """An SLA policy's targets, in business minutes."""

    first_response: int
    next_response: int
    resolution: int


@dataclass(frozen=True)
class Calendar:
    """When the business clock runs: opening hours per weekday (Monday 0), extra closed days."""

    hours: dict[int, tuple[time, time]]
    closed_days: frozenset[date]
    zone: ZoneInfo

    def is_open_on(self, day: date) -> bool:
        return day.weekday() in self.hours and day not in self.closed_days and day not in public_holidays(day.year)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's opening hours as UTC moments (closing at 00:00 is at midnight), or None."""
        if not self.is_open_on(day):
            return None
        opens, closes = self.hours[day.weekday()]
        closing_day = day + timedelta(days=1) if closes == MIDNIGHT else day
        start = datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC)
        return start, datetime.combine(closing_day, closes, tzinfo=self.zone).astimezone(UTC)

    def windows(self, start: datetime, *, days: int = HORIZON_DAYS) -> Iterator[tuple[datetime, datetime]]:
        """The opening windows from the day ``start`` falls on (local), day by day."""
        day = start.astimezone(self.zone).date()
        for offset in range(days):
            window = self.window(day + timedelta(days=offset))
            if window is not None:
                yield window

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of business time after ``start`` (a start outside the hours
        counts from the next opening)."""
        at = start.astimezone(UTC)
        remaining = duration
        for opens, closes in self.windows(at):
            if closes <= at:
                continue
            begin = max(opens, at)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        log.warning("no opening hours within %s days of %s: the answer is due on the wall clock", HORIZON_DAYS, start)
        return at + duration

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        return self.add(start, timedelta(minutes=minutes))

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Business seconds from ``start`` to ``end`` (0 when ``end`` is not later)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0.0
        total = timedelta()
        days = (end.astimezone(self.zone).date() - start.astimezone(self.zone).date()).days + 1
        for opens, closes in self.windows(start, days=days):
            if opens >= end:
                break
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta():
                total += overlap
        return total.total_seconds()


@dataclass(frozen=True)
class SlaRules:
    """The calendar and the policies, as read at one moment."""

    calendar: Calendar
    policies: dict[tuple[str, str], Targets]
    gold: dict[str, str]  # channel ("" any) -> the priority a policy gives gold customers there
    complaint: dict[str, str]  # the same for complaints

    def targets(self, channel: str, priority: str) -> Targets:
        """The policy for the channel and priority, else the one for every channel, else the
        settings' defaults."""
        found = self.policies.get((channel, priority)) or self.policies.get(("", priority))
        return found or Targets(
            settings.INBOX_FIRST_RESPONSE_MINUTES,
            settings.INBOX_NEXT_RESPONSE_MINUTES,
            settings.INBOX_RESOLUTION_MINUTES,
        )


def _highest(found: dict[str, str], channel: str, priority: str) -> None:
    """Two policies of one channel marked for the same customers: the higher priority holds."""
    if PRIORITY_RANK[priority] > PRIORITY_RANK.get(found.get(channel, Priority.NORMAL), 0):
        found[channel] = priority


def _rows() -> dict:
    """What the rules are built from, as plain values (what the cache holds)."""
    return {
        "hours": [
            (row.weekday, row.opens, row.closes)
            for row in OpeningHours.objects.filter(closed=False, opens__isnull=False, closes__isnull=False)
        ],
        "closed": list(ClosedDay.objects.values_list("date", flat=True)),
        "policies": list(
            SlaPolicy.objects.values_list(
                "channel",
                "priority",
                "first_response_minutes",
                "next_response_minutes",
                "resolution_minutes",
                "for_gold_customers",
                "for_complaints",
            )
        ),
    }


def _built(rows: dict) -> SlaRules:
    policies, gold, complaint = {}, {}, {}
    for channel, priority, first, following, resolution, for_gold, for_complaints in rows["policies"]:
        policies[(channel, priority)] = Targets(first, following, resolution)
        if for_gold:
            _highest(gold, channel, priority)
        if for_complaints:
            _highest(complaint, channel, priority)
    calendar = Calendar(
        hours={weekday: (opens, closes) for weekday, opens, closes in rows["hours"]},
        closed_days=frozenset(rows["closed"]),
        zone=ZoneInfo(settings.TIME_ZONE),
    )
    return SlaRules(calendar=calendar, policies=policies, gold=gold, complaint=complaint)


def sla_rules() -> SlaRules:
    """The calendar and policies, from the cache (three small queries when it has none): every
    inbound message asks for them."""
    return _built(cached(CACHE_KEY, _rows))


def rules_changed(**kwargs) -> None:
    """An admin saved or deleted a policy, opening hours or a closed day: forget the cached rules."""
    cached_forget(CACHE_KEY)


def target_minutes(conversation, *, rules: SlaRules | None = None) -> int | None:
    """The business minutes the answer the customer is waiting for may take (None: not waiting)."""
    if conversation.waiting_since is None or conversation.status != "awaiting_reply":
        return None
    targets = (rules or sla_rules()).targets(conversation.channel, conversation.priority)
    return targets.first_response if conversation.first_response_at is None else targets.next_response


def answer_deadlines(conversation, *, rules: SlaRules | None = None) -> tuple[datetime | None, datetime | None]:
    """(due, warn): when the answer is due, and when INBOX_SLA_WARN_PERCENT of its business time
    has passed; (None, None) while the customer is not waiting."""
    rules = rules or sla_rules()
    minutes = target_minutes(conversation, rules=rules)
    if minutes is None:
        return None, None
    start = conversation.waiting_since
    warn = rules.calendar.add_minutes(start, minutes * settings.INBOX_SLA_WARN_PERCENT / 100)
    return rules.calendar.add_minutes(start, minutes), warn


def resolution_deadline(conversation, *, rules: SlaRules | None = None) -> datetime | None:
    """When the conversation must be done: the resolution target's business minutes after its
    open period began (``resolution_started_at``), plus the business time it spent waiting on the
    customer (``resolution_paused_seconds``); None when it is done or has no resolution clock."""
    if conversation.resolution_started_at is None or conversation.status == "done":
        return None
    rules = rules or sla_rules()
    minutes = rules.targets(conversation.channel, conversation.priority).resolution
    duration = timedelta(minutes=minutes, seconds=conversation.resolution_paused_seconds)
    return rules.calendar.add(conversation.resolution_started_at, duration)


def due_at_for(conversation, *, rules: SlaRules | None = None) -> datetime | None:
    """The moment the next answer is due, or None when the customer is not waiting."""
    return answer_deadlines(conversation, rules=rules)[0]


def business_seconds(start: datetime, end: datetime, *, rules: SlaRules | None = None) -> float:
    """Business seconds between two moments (a first-response time, for the figures)."""
    return (rules or sla_rules()).calendar.seconds_between(start, end)


def business_minutes_add(start: datetime, minutes: float, *, rules: SlaRules | None = None) -> datetime:
    """The moment ``minutes`` business minutes after ``start``."""
    return (rules or sla_rules()).calendar.add_minutes(start, minutes)

"""Callback windows: the default one, the next one when a window will be missed, and how a
window reads to agents (English) and to customers (Dutch or English).

Opening hours come from ``CALLBACK_OPENING_HOURS`` ("08:00-20:00", every day, in the
console's time zone); a window is whole hours from a whole hour, as people say them.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

DAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],  # fmt: skip
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],  # fmt: skip
}
BETWEEN = {"nl": "tussen {start} en {end}", "en": "between {start} and {end}"}


def opening_hours() -> tuple[time, time]:
    """The phone team's hours as (opens, closes); the setting is checked when it is read."""
    text = settings.CALLBACK_OPENING_HOURS
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise ValueError(f"CALLBACK_OPENING_HOURS must read like 08:00-20:00, not {text!r}.") from exc
    if opens >= closes:
        raise ValueError(f"CALLBACK_OPENING_HOURS must open before it closes: {text!r}.")
    return opens, closes


def _on(day, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _next_whole_hour(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    whole = local.replace(minute=0, second=0, microsecond=0)
    return whole if whole == local else whole + timedelta(hours=1)


def window_from(moment: datetime, *, length: timedelta = timedelta(hours=1)) -> tuple[datetime, datetime]:
    """The first window of ``length`` that starts on a whole hour at or after ``moment`` and
    lies within opening hours (the next day's opening when today's hours are over).

    A window longer than the opening hours is cut to them.
    """
    opens, closes = opening_hours()
    start = _next_whole_hour(moment)
    day = start.date()
    open_at, close_at = _on(day, opens), _on(day, closes)
    length = min(length, close_at - open_at)
    if start < open_at:
        start = open_at
    elif start + length > close_at:
        day += timedelta(days=1)
        start = _on(day, opens)
    return start, start + length


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """What the promise form proposes: the next free hour within opening hours."""
    return window_from(now or timezone.now())


def moved_window(*, start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The window a callback about to be missed moves to: as long as the old one, from the next
    whole hour after the old window's end (or after now, if that has passed)."""
    return window_from(max(end, now), length=end - start)


def window_for_agents(start: datetime, end: datetime) -> str:
    """ "between 14:00 and 15:00 (Tue 24-11)" in the console's time zone."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = start.strftime("%a %d-%m")
    if end.date() != start.date():
        return f"between {start:%H:%M} ({day}) and {end:%H:%M} ({end:%a %d-%m})"
    return f"between {start:%H:%M} and {end:%H:%M} ({day})"


def window_for_customer(start: datetime, end: datetime, language: str) -> str:
    """ "dinsdag 24 november tussen 14:00 en 15:00" / "Tuesday 24 November between 14:00 and 15:00"."""
    language = language if language in DAYS else "nl"
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = f"{DAYS[language][start.weekday()]} {start.day} {MONTHS[language][start.month - 1]}"
    return f"{day} {BETWEEN[language].format(start=f'{start:%H:%M}', end=f'{end:%H:%M}')}"

"""Presentation helpers for the manager dashboard."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_since(value: datetime | date | None, now: datetime | None = None) -> int | None:
    """Whole local days from ``value`` to ``now``: 0 today, 1 yesterday."""
    if value is None:
        return None
    now = now or timezone.now()
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    return (timezone.localdate(now) - day).days


@register.filter
def age(value: datetime | date | None, now: datetime | None = None) -> str:
    """How long ago, in days, the way an agent says it: "today", "1 day", "23 days"."""
    days = days_since(value, now)
    if days is None:
        return "unknown"
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days:,} days"


@register.filter
def business_time(seconds: float | None) -> str:
    """A response time as a manager reads it: "—", "4 min", "1 h 05 min" (business hours)."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"

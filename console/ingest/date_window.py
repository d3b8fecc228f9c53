"""The API's date and date-time fields, which refuse what lies outside the window of console/dates.py,
and the repair of values stored before they did."""

from datetime import UTC, timedelta

from django.apps import apps
from django.db import models
from django.db.models import F
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from console.accounts.models import AuditEvent
from console.dates import (
    DATE_PATTERN,
    DATE_WINDOW_TEXT,
    DATETIME_WINDOW_TEXT,
    EARLIEST,
    FIRST_DAY,
    LAST_DAY,
    LATEST,
    day_in_window,
    moment_in_window,
)
from console.timeline.models import TimelineEntry


class StrictDateTimeField(serializers.DateTimeField):
    """A date and time with a time zone, inside the window; a naive one is ambiguous across DST."""

    default_error_messages = {
        "naive": "Give a time zone, e.g. 2026-11-24T09:15:00+01:00 or ...Z.",
        "window": f"Must lie {DATETIME_WINDOW_TEXT}.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"With a time zone; {DATETIME_WINDOW_TEXT}.")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        text = str(value)
        if not (text.endswith(("Z", "z")) or "+" in text[10:] or "-" in text[10:]):
            self.fail("naive")
        if not moment_in_window(result):
            self.fail("window")
        return result

    def enforce_timezone(self, value):
        """In UTC, as it is stored: ISO 8601 allows offsets up to 23:59, PostgreSQL none beyond
        15:59 (+16:00 was a 500). A naive value or one outside the window is refused after this."""
        if value.tzinfo is None:
            return value
        try:
            return value.astimezone(UTC)
        except OverflowError:
            return value


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class WindowDateField(serializers.DateField):
    """A calendar date (YYYY-MM-DD) inside the window."""

    default_error_messages = {"window": f"Must lie {DATE_WINDOW_TEXT}."}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"YYYY-MM-DD, {DATE_WINDOW_TEXT}.")
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not day_in_window(result):
            self.fail("window")
        return result


def dates_repair() -> dict[str, int]:
    """Put every stored date and time outside the window back inside it; how many rows per field.

    Before the API checked the window, PostgreSQL stored what Python cannot even read back (the
    year 10000 in UTC), so the rows are found and changed in SQL and never loaded. A timeline
    entry's time becomes the time it was recorded (its place on the timeline is then at least
    true to when we heard of it); any other value becomes the nearest end of the window.
    """
    repaired = {}
    for model in apps.get_models():
        # The audit trail is never changed (docs/privacy.md), and its times are the server's own.
        if not model.__module__.startswith("console.") or model is AuditEvent:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            timed = isinstance(field, models.DateTimeField)
            low, high = (EARLIEST, LATEST) if timed else (FIRST_DAY, LAST_DAY + timedelta(days=1))
            late = LATEST - timedelta(seconds=1) if timed else LAST_DAY
            if (model, field.name) == (TimelineEntry, "occurred_at"):
                low_value = late = F("recorded_at")
            else:
                low_value = low
            rows = model._base_manager.filter(**{f"{field.name}__lt": low}).update(**{field.name: low_value})
            rows += model._base_manager.filter(**{f"{field.name}__gte": high}).update(**{field.name: late})
            if rows:
                repaired[f"{model._meta.label}.{field.name}"] = rows
    return repaired

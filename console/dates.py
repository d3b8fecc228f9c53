"""The dates and times Klantbeeld takes in: the years 1900 to 2199, in UTC and in Amsterdam time alike.

Python's datetimes end at the years 1 and 9999, PostgreSQL's go on to 294276, and a moment at
either end turns into another day (or no day at all) once it is moved to UTC or to the console's
time zone: 9999-12-31T23:30:00-01:00 was stored by PostgreSQL and then failed every page, API
call and live push that read it, and a case due 0001-01-01T00:00 in Amsterdam could not be saved.
Inside this window every value is a valid moment in both time zones, with centuries to spare for
what is computed from it (a due date, a deadline). The API (ingest/date_window.py) and the
console's forms check it.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# Exclusive: 2199-12-31T23:00:00Z is 2200-01-01T00:00 in Amsterdam (winter time, +01:00).
LATEST = datetime(2199, 12, 31, 23, tzinfo=UTC)

DATE_PATTERN = r"^(19|2[01])[0-9]{2}-"
DATE_WINDOW_TEXT = f"from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
DATETIME_WINDOW_TEXT = (
    "from 1900-01-01T00:00:00Z up to (not including) 2199-12-31T23:00:00Z, so that the moment falls "
    "in the years 1900-2199 in UTC and in Amsterdam time"
)


def moment_in_window(moment: datetime) -> bool:
    """Whether an aware datetime lies in the window; one that cannot even be moved to UTC does not."""
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:
        return False
    return EARLIEST <= in_utc < LATEST


def day_in_window(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def moment_in_window_validate(moment: datetime) -> None:
    """A form field's validator: the window as a message an agent can act on."""
    if not moment_in_window(moment):
        raise ValidationError("Choose a time in the years 1900 to 2199.", code="window")

"""Which window the form proposes, and where a window about to be missed moves to."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from console.callbacks.services import window_check
from console.callbacks.windows import default_window, moved_window, window_for_agents, window_for_customer
from tests.callbacks.conftest import AMSTERDAM, at


@pytest.fixture(autouse=True)
def hours(settings):
    settings.CALLBACK_OPENING_HOURS = "08:00-20:00"


def test_the_default_is_the_next_whole_hour():
    assert default_window(at(24, 13, 20)) == (at(24, 14), at(24, 15))
    assert default_window(at(24, 13, 0)) == (at(24, 13), at(24, 14))


def test_before_opening_the_default_is_the_first_hour_of_the_day():
    assert default_window(at(24, 6, 45)) == (at(24, 8), at(24, 9))


def test_after_the_last_slot_the_default_is_tomorrow_morning():
    assert default_window(at(24, 19, 10)) == (at(25, 8), at(25, 9))


def test_a_window_about_to_be_missed_moves_to_the_next_slot_of_the_same_length():
    assert moved_window(start=at(24, 14), end=at(24, 15), now=at(24, 14, 50)) == (at(24, 15), at(24, 16))
    two_hours = moved_window(start=at(24, 13), end=at(24, 15), now=at(24, 14, 50))
    assert two_hours == (at(24, 15), at(24, 17))


def test_a_window_that_would_run_past_closing_moves_to_the_next_morning():
    assert moved_window(start=at(24, 18), end=at(24, 20), now=at(24, 19, 50)) == (at(25, 8), at(25, 10))


def test_a_window_long_past_moves_to_the_next_slot_from_now():
    assert moved_window(start=at(20, 10), end=at(20, 11), now=at(24, 9, 30)) == (at(24, 10), at(24, 11))


def test_the_opening_hours_are_a_setting(settings):
    settings.CALLBACK_OPENING_HOURS = "09:00-17:30"
    assert default_window(at(24, 17, 5)) == (at(25, 9), at(25, 10))
    assert moved_window(start=at(24, 16), end=at(24, 17, 30), now=at(24, 17, 20))[1] - at(25, 9) == timedelta(
        hours=1, minutes=30
    )


def test_a_broken_setting_says_what_it_should_look_like(settings):
    settings.CALLBACK_OPENING_HOURS = "8 tot 8"
    with pytest.raises(ValueError, match="08:00-20:00"):
        default_window(at(24, 12))


def test_the_window_reads_in_the_customers_language_and_for_agents():
    assert window_for_customer(at(24, 15), at(24, 16), "nl") == "dinsdag 24 november tussen 15:00 en 16:00"
    assert window_for_customer(at(24, 15), at(24, 16), "en") == "Tuesday 24 November between 15:00 and 16:00"
    assert window_for_agents(at(24, 15), at(24, 16)) == "between 15:00 and 16:00 (Tue 24-11)"


def local(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(24, 22), at(24, 23)),  # the evening
        (at(25, 7), at(25, 9)),  # starts before opening
        (at(24, 19), at(25, 9)),  # through the night
    ],
)
def test_a_window_outside_opening_hours_is_refused(start, end):
    with pytest.raises(ValidationError, match="Callbacks are made between 08:00 and 20:00"):
        window_check(start=start, end=end, now=at(24, 12))


def test_a_window_up_to_closing_time_is_accepted():
    window_check(start=at(24, 19), end=at(24, 20), now=at(24, 12))
    window_check(start=at(25, 8), end=at(25, 20), now=at(24, 12))


def test_the_night_the_clocks_go_forward(settings):
    """Sunday 28 March 2027, 02:00 becomes 03:00 in Amsterdam (UTC+1 to UTC+2)."""
    moved = moved_window(start=local(2027, 3, 27, 19), end=local(2027, 3, 27, 20), now=local(2027, 3, 27, 19, 50))
    assert moved == (local(2027, 3, 28, 8), local(2027, 3, 28, 9))
    assert moved[0].astimezone(AMSTERDAM).utcoffset() == timedelta(hours=2)
    assert moved[1] - moved[0] == timedelta(hours=1)
    assert default_window(local(2027, 3, 28, 1, 30)) == (local(2027, 3, 28, 8), local(2027, 3, 28, 9))
    window_check(start=local(2027, 3, 28, 8), end=local(2027, 3, 28, 9), now=local(2027, 3, 28, 1, 30))
    with pytest.raises(ValidationError, match="between 08:00 and 20:00"):
        window_check(start=local(2027, 3, 28, 1), end=local(2027, 3, 28, 4), now=local(2027, 3, 27, 23))


def test_the_night_the_clocks_go_back(settings):
    """Sunday 25 October 2026, 03:00 becomes 02:00 in Amsterdam (UTC+2 to UTC+1): the two-hour
    window stays two hours, from the morning's opening."""
    moved = moved_window(start=local(2026, 10, 24, 18), end=local(2026, 10, 24, 20), now=local(2026, 10, 24, 19, 50))
    assert moved == (local(2026, 10, 25, 8), local(2026, 10, 25, 10))
    assert moved[0].astimezone(AMSTERDAM).utcoffset() == timedelta(hours=1)
    assert moved[1] - moved[0] == timedelta(hours=2)
    assert window_for_customer(*moved, "nl") == "zondag 25 oktober tussen 08:00 en 10:00"
    with pytest.raises(ValidationError, match="between 08:00 and 20:00"):
        window_check(start=local(2026, 10, 25, 1), end=local(2026, 10, 25, 3), now=local(2026, 10, 24, 23))

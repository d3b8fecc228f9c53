"""Business time on the calendar a new installation starts with (Monday to Friday 08:00-20:00,
Saturday 09:00-17:00, Sunday closed, the Dutch public holidays closed) and as an admin changes
it (console/conversations/sla.py)."""

from datetime import UTC, date, datetime, time

import pytest

from console.conversations.models import ClosedDay, OpeningHours
from console.conversations.sla import business_minutes_add, business_seconds, public_holidays, sla_rules
from tests.conversations.conftest import at

pytestmark = pytest.mark.django_db


def test_within_opening_hours_a_business_minute_is_a_minute():
    assert business_minutes_add(at("2027-04-21 10:00"), 60) == at("2027-04-21 11:00")
    assert business_seconds(at("2027-04-21 10:00"), at("2027-04-21 11:00")) == 3600


def test_friday_evening_runs_on_into_saturday_morning_as_seeded():
    # Half an hour on Friday until 20:00, the other half from Saturday's 09:00.
    assert business_minutes_add(at("2027-04-23 19:30"), 60) == at("2027-04-24 09:30")


def test_with_saturday_closed_friday_evening_runs_on_into_monday_morning():
    OpeningHours.objects.filter(weekday=OpeningHours.Weekday.SATURDAY).update(closed=True)
    assert business_minutes_add(at("2027-04-23 19:30"), 60) == at("2027-04-26 08:30")


def test_saturday_afternoon_runs_on_into_monday_over_the_closed_sunday():
    assert business_minutes_add(at("2027-04-24 16:30"), 60) == at("2027-04-26 08:30")
    assert business_seconds(at("2027-04-24 16:30"), at("2027-04-26 08:30")) == 3600


def test_a_message_at_night_is_counted_from_the_opening():
    assert business_minutes_add(at("2027-04-21 23:10"), 15) == at("2027-04-22 08:15")
    assert business_seconds(at("2027-04-21 23:10"), at("2027-04-22 08:00")) == 0


def test_kings_day_is_closed():
    # 27 April 2027 is a Tuesday.
    assert date(2027, 4, 27) in public_holidays(2027)
    assert business_minutes_add(at("2027-04-26 19:30"), 60) == at("2027-04-28 08:30")
    assert business_seconds(at("2027-04-27 09:00"), at("2027-04-27 17:00")) == 0


def test_christmas_is_closed():
    # 25 December 2027 is a Saturday, 26 a Sunday: Friday evening's hour ends on Monday 27.
    assert business_minutes_add(at("2027-12-24 19:30"), 60) == at("2027-12-27 08:30")
    # In 2028 Christmas falls on Monday and Tuesday.
    assert business_minutes_add(at("2028-12-23 16:30"), 60) == at("2028-12-27 08:30")


def test_the_clocks_going_forward_in_march_cost_no_business_time():
    # Saturday 27 March 2027 16:30 (CET, +01:00); Sunday 28 is the change (and Easter), Monday 29
    # Easter Monday; the hour ends on Tuesday 30 at 08:30 summer time (+02:00), 06:30 UTC.
    due = business_minutes_add(at("2027-03-27 16:30"), 60)
    assert due == datetime(2027, 3, 30, 6, 30, tzinfo=UTC)
    assert due == at("2027-03-30 08:30")


def test_the_clocks_going_back_in_october_cost_no_business_time():
    due = business_minutes_add(at("2027-10-30 16:30"), 60)
    assert due == datetime(2027, 11, 1, 7, 30, tzinfo=UTC) == at("2027-11-01 08:30")
    assert business_seconds(at("2027-10-29 12:00"), at("2027-11-01 12:00")) == (8 + 8 + 4) * 3600


def test_a_day_open_around_the_clock_has_25_hours_when_the_clocks_go_back():
    OpeningHours.objects.filter(weekday=OpeningHours.Weekday.SUNDAY).update(
        closed=False, opens=time(0, 0), closes=time(0, 0)
    )
    # Sunday 31 October 2027: midnight to midnight is 25 real hours, every one a business hour.
    assert business_seconds(at("2027-10-31 00:00"), at("2027-11-01 00:00")) == 25 * 3600
    # Four business hours from midnight: 03:00 summer time, then the hour 02:00-03:00 again.
    assert business_minutes_add(at("2027-10-31 00:00"), 240) == datetime(2027, 10, 31, 2, 0, tzinfo=UTC)


def test_an_extra_closed_day_closes_the_clock_at_once():
    business_minutes_add(at("2027-06-10 19:30"), 60)  # the rules are cached now
    ClosedDay.objects.create(date=date(2027, 6, 11), reason="Verhuizing kantoor")
    assert business_minutes_add(at("2027-06-10 19:30"), 60) == at("2027-06-12 09:30")


def test_an_admins_new_opening_hours_count_at_once():
    business_minutes_add(at("2027-06-10 10:00"), 60)
    hours = OpeningHours.objects.get(weekday=OpeningHours.Weekday.THURSDAY)
    hours.opens = time(11, 0)
    hours.save()
    assert business_minutes_add(at("2027-06-10 10:00"), 60) == at("2027-06-10 12:00")


def test_business_seconds_over_a_week():
    # Monday 08:00 to the next Monday 08:00: five days of 12 hours and a Saturday of 8.
    assert business_seconds(at("2027-06-07 08:00"), at("2027-06-14 08:00")) == (5 * 12 + 8) * 3600
    assert business_seconds(at("2027-06-14 08:00"), at("2027-06-07 08:00")) == 0


def test_the_calendar_and_policies_are_read_in_one_go(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rules = sla_rules()
    with django_assert_max_num_queries(0):
        sla_rules()
        rules.calendar.add_minutes(at("2027-12-24 19:30"), 60 * 24 * 10)
    assert rules.targets("post", "normal").first_response == 1440
    assert rules.targets("twitter", "high").first_response == 30


def test_with_every_day_closed_the_answer_is_due_on_the_wall_clock():
    OpeningHours.objects.update(closed=True)
    assert business_minutes_add(at("2027-06-10 10:00"), 60) == at("2027-06-10 11:00")

"""A callback about to be missed moves to a new window and the customer gets exactly one SMS
with the new time, however often the beat job runs (story S5)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed
from console.callbacks.models import Callback
from console.callbacks.services import callback_complete
from console.callbacks.tasks import callbacks_warn_about_to_be_missed_task
from console.cases.models import Case
from console.messaging.models import OutboundMessage
from console.timeline.models import TimelineEntry
from tests.callbacks.conftest import at

pytestmark = pytest.mark.django_db

NEW_TIME = {
    "nl": "dinsdag 24 november tussen 15:00 en 16:00",
    "en": "Tuesday 24 November between 15:00 and 16:00",
}


def case_entries(case, **filters):
    return list(TimelineEntry.objects.filter(case=case, **filters).order_by("seq"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_callback_about_to_be_missed_sends_exactly_one_sms_with_the_new_time(caller, promised, language):
    customer = caller(language=language)
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    case = callback.case
    before = {e.pk for e in case_entries(case)}
    with time_machine.travel(at(24, 14, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 1
        assert callbacks_warn_about_to_be_missed() == 0
        callbacks_warn_about_to_be_missed_task.apply(throw=True)

    sms = OutboundMessage.objects.get(customer=customer)
    assert (sms.channel, sms.template_key, sms.language, sms.case_id) == ("sms", "callback_new_time", language, case.pk)
    assert sms.to_address == "+31612345678"
    assert NEW_TIME[language] in sms.body and case.reference in sms.body
    callback.refresh_from_db()
    assert (callback.window_start, callback.window_end, callback.moved_count) == (at(24, 15), at(24, 16), 1)
    case.refresh_from_db()
    assert case.due_at == at(24, 16) and case.is_open
    assert "between 15:00 and 16:00" in case.next_step and "texted" in case.next_step
    new = [e for e in case_entries(case) if e.pk not in before]
    moved = [e for e in new if e.kind == TimelineEntry.Kind.CASE]
    texted = [e for e in new if e.kind == TimelineEntry.Kind.MESSAGE]
    assert len(moved) == 1 and len(texted) == 1 and len(new) == 2
    assert "due 24-11-2026 16:00 (was 24-11-2026 15:00)" in moved[0].summary
    assert moved[0].actor_source == "callbacks" and moved[0].actor_user is None
    assert texted[0].channel == "sms" and texted[0].direction == "outbound"


def test_the_case_page_shows_the_new_time(client_as, caller, promised):
    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 14, 50), tick=False):
        callbacks_warn_about_to_be_missed()
        page = client_as("phone").get(callback.case.get_absolute_url()).content.decode()
    assert "between 15:00 and 16:00" in page and "moved 1×" in page
    assert "het lukt ons niet u op de beloofde tijd terug te bellen" in page


def test_a_callback_already_made_sends_nothing(caller, promised, make_user):
    customer = caller()
    agent = make_user("phone")
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15), user=agent)
    with time_machine.travel(at(24, 14, 40), tick=False):
        callback_complete(callback_id=callback.pk, user=agent, outcome="Klant gesproken, SIM komt morgen.")
    with time_machine.travel(at(24, 14, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 0
    assert not OutboundMessage.objects.filter(customer=customer).exists()
    callback.refresh_from_db()
    assert callback.window_end == at(24, 15) and callback.moved_count == 0


def test_a_callback_far_from_due_sends_nothing(caller, promised):
    customer = caller()
    with time_machine.travel(at(24, 9), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 14, 44), tick=False):
        assert callbacks_warn_about_to_be_missed() == 0
    assert not OutboundMessage.objects.filter(customer=customer).exists()
    assert Callback.objects.get(pk=callback.pk).window_end == at(24, 15)


def test_the_lead_time_is_a_setting(caller, promised, settings):
    settings.CALLBACK_WARN_LEAD_MINUTES = 30
    customer = caller()
    with time_machine.travel(at(24, 9), tick=False):
        promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 14, 35), tick=False):
        assert callbacks_warn_about_to_be_missed() == 1


def test_a_callback_on_a_closed_case_sends_nothing(caller, promised, make_user):
    from console.cases.services import case_update

    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
        case_update(case_id=callback.case_id, user=make_user("phone"), status=Case.Status.CLOSED)
    with time_machine.travel(at(24, 14, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 0
    assert not OutboundMessage.objects.exists()


def test_a_customer_without_a_mobile_number_is_not_texted_and_the_timeline_says_why(caller, promised):
    customer = caller(phone="020 555 1234")
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    with time_machine.travel(at(24, 14, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 1
        assert callbacks_warn_about_to_be_missed() == 0
    sms = OutboundMessage.objects.get(customer=customer)
    assert sms.status == OutboundMessage.Status.FAILED and "landline" in sms.error
    callback.refresh_from_db()
    assert callback.window_end == at(24, 16)
    # The next step tells whoever picks the case up that the customer does not know the new time.
    case = Case.objects.get(pk=callback.case_id)
    assert "texted the new time" not in case.next_step
    assert case.next_step.endswith(
        "(moved: the promised window would have been missed; the text could not be sent: "
        "there is no mobile number on file (+31205551234 is a landline))"
    )


def test_a_callback_nobody_makes_is_moved_and_texted_at_most_twice_then_escalated(caller, promised, settings):
    assert settings.CALLBACK_MAX_MOVES == 2
    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    # The beat job every 15 minutes through the afternoon and the next morning: nobody calls.
    for minutes in range(0, 24 * 60, 15):
        with time_machine.travel(at(24, 14, 50) + timedelta(minutes=minutes), tick=False):
            callbacks_warn_about_to_be_missed()

    assert OutboundMessage.objects.filter(customer=customer, channel="sms").count() == 2
    callback.refresh_from_db()
    assert (callback.window_start, callback.window_end, callback.moved_count) == (at(24, 16), at(24, 17), 2)
    assert callback.escalated_at == at(24, 16, 50) and callback.is_promised
    case = Case.objects.get(pk=callback.case_id)
    assert case.next_step == "Callback missed twice: call the customer now or ask a manager (06 12345678)"
    assert case.due_at == at(24, 16, 50) and case.is_open
    escalated = TimelineEntry.objects.filter(case=case, kind="case", summary__contains="Callback missed twice")
    assert escalated.count() == 1 and escalated.get().actor_source == "callbacks"


def test_an_agent_moving_an_escalated_callback_makes_it_a_fresh_promise(caller, promised, make_user):
    from console.callbacks.services import callback_reschedule

    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        callback = promised(customer, at(24, 14), at(24, 15))
    for hour in (14, 15, 16):
        with time_machine.travel(at(24, hour, 50), tick=False):
            callbacks_warn_about_to_be_missed()
    assert Callback.objects.get(pk=callback.pk).escalated_at is not None
    with time_machine.travel(at(24, 17), tick=False):
        callback_reschedule(
            callback_id=callback.pk, user=make_user("phone"), window_start=at(25, 9), window_end=at(25, 10)
        )
    with time_machine.travel(at(25, 9, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 1
    assert Callback.objects.get(pk=callback.pk).window_end == at(25, 11)


def test_the_job_is_listed_and_runs_from_run_periodic(caller, promised, capsys):
    customer = caller()
    with time_machine.travel(at(24, 13), tick=False):
        promised(customer, at(24, 14), at(24, 15))
    call_command("run_periodic")
    assert "callbacks-about-to-be-missed" in capsys.readouterr().out
    with time_machine.travel(at(24, 14, 50), tick=False):
        call_command("run_periodic", "callbacks-about-to-be-missed")
        call_command("run_periodic", "callbacks-about-to-be-missed")
    assert "1 callback moved to a new window" in capsys.readouterr().out
    assert OutboundMessage.objects.filter(customer=customer, channel="sms").count() == 1

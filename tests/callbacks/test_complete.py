"""The phone agent marks a callback made: the outcome on the timeline with the case, and the
case resolved or given its next step. Moving a callback by hand."""

import pytest
import time_machine
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.callbacks.models import Callback
from console.cases.models import Case
from console.messaging.models import OutboundMessage
from console.timeline.models import TimelineEntry
from tests.callbacks.conftest import at

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def callback(caller, promised):
    with time_machine.travel(at(24, 12), tick=False):
        return promised(caller(), at(24, 14), at(24, 15))


def made(client, callback, **data):
    return client.post(reverse("callbacks:complete", args=[callback.pk]), data, headers=HTMX)


def test_a_callback_made_resolves_its_case_with_the_outcome_on_the_timeline(client_as, callback):
    client = client_as("phone")
    with time_machine.travel(at(24, 14, 20), tick=False):
        response = made(client, callback, outcome="Klant gesproken: SIM komt morgen met de koerier.")
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
    callback.refresh_from_db()
    assert (callback.status, callback.made_by, callback.made_at) == ("made", client.user, at(24, 14, 20))
    case = Case.objects.get(pk=callback.case_id)
    assert case.status == "resolved" and case.next_step == ""
    call = TimelineEntry.objects.get(case=case, kind="call")
    assert call.summary == "Called back 06 12345678 as promised" and call.direction == "outbound"
    assert call.body == "Klant gesproken: SIM komt morgen met de koerier." and call.actor_user == client.user
    assert AuditEvent.objects.filter(actor=client.user, action="completed_callback").exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Callback made; the outcome is on the timeline." in page
    assert "Called back 06 12345678 as promised" in page and "Resolved" in page


def test_with_a_next_step_the_case_stays_open(client_as, callback):
    client = client_as("phone")
    with time_machine.travel(at(24, 14, 20), tick=False):
        made(client, callback, outcome="Voicemail ingesproken", next_step="Morgen opnieuw bellen")
    case = Case.objects.get(pk=callback.case_id)
    assert (case.status, case.next_step, case.due_at) == ("open", "Morgen opnieuw bellen", None)


def test_an_outcome_is_required(client_as, callback):
    response = made(client_as("phone"), callback, outcome="  ")
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert Callback.objects.get(pk=callback.pk).is_promised


def test_a_callback_is_made_once(client_as, callback):
    client = client_as("phone")
    made(client, callback, outcome="Gebeld")
    response = made(client, callback, outcome="Nog een keer gebeld")
    assert response.status_code == 422 and "already made" in response.content.decode()
    assert TimelineEntry.objects.filter(case_id=callback.case_id, kind="call").count() == 1


def test_only_roles_that_record_may_mark_it_made(client_as, callback):
    assert made(client_as(None), callback, outcome="Gebeld").status_code == 403
    assert Callback.objects.get(pk=callback.pk).is_promised


def test_an_agent_moves_the_window_and_texts_the_customer(client_as, callback):
    client = client_as("phone")
    with time_machine.travel(at(24, 13), tick=False):
        response = client.post(
            reverse("callbacks:reschedule", args=[callback.pk]),
            {"window_start": "2026-11-25T10:00", "window_end": "2026-11-25T11:00", "text_customer": "on"},
            headers=HTMX,
        )
    assert response.status_code == 200
    callback.refresh_from_db()
    assert (callback.window_start, callback.window_end, callback.moved_count) == (at(25, 10), at(25, 11), 1)
    case = Case.objects.get(pk=callback.case_id)
    assert case.due_at == at(25, 11) and "between 10:00 and 11:00 (Wed 25-11)" in case.next_step
    assert AuditEvent.objects.filter(actor=client.user, action="rescheduled_callback").exists()
    sms = OutboundMessage.objects.get(template_key="callback_new_time")
    assert "woensdag 25 november tussen 10:00 en 11:00" in sms.body


def test_moving_to_a_past_window_is_refused(client_as, callback):
    with time_machine.travel(at(24, 13), tick=False):
        response = client_as("phone").post(
            reverse("callbacks:reschedule", args=[callback.pk]),
            {"window_start": "2026-11-24T10:00", "window_end": "2026-11-24T11:00"},
            headers=HTMX,
        )
    assert response.status_code == 422 and "That window is over or about to be" in response.content.decode()
    assert Callback.objects.get(pk=callback.pk).window_end == at(24, 15)


def test_a_complaint_gets_its_team_deadline_and_next_step_back_when_the_callback_is_made(client_as, caller, promised):
    from console.cases.services import case_open, case_update

    customer = caller()
    agent = client_as("phone")
    with time_machine.travel(at(24, 12), tick=False):
        complaint = case_open(customer_id=customer.pk, title="Klacht over koerier", kind="complaint", channel="post")
        case_update(case_id=complaint.pk, team="webcare", next_step="Antwoordbrief opstellen")
        complaint.refresh_from_db()
        deadline = complaint.due_at
        callback = promised(customer, at(24, 14), at(24, 15), case_id=complaint.pk, user=agent.user)
    complaint.refresh_from_db()
    assert complaint.team == "phone" and complaint.next_step.startswith("Call back 06 12345678")
    with time_machine.travel(at(24, 14, 20), tick=False):
        made(agent, callback, outcome="Klant gesproken, excuses aangeboden.")
    complaint.refresh_from_db()
    assert (complaint.team, complaint.due_at, complaint.next_step) == ("webcare", deadline, "Antwoordbrief opstellen")
    assert complaint.is_open
    page = agent.get(reverse("queues:queue", args=["webcare"])).content.decode()
    assert "Klacht over koerier" in page


def test_the_agents_next_step_wins_over_the_one_given_back(client_as, caller, promised):
    from console.cases.services import case_open

    customer = caller()
    agent = client_as("phone")
    with time_machine.travel(at(24, 12), tick=False):
        case = case_open(
            customer_id=customer.pk, title="Vraag over levering", team="back_office", next_step="Uitzoeken"
        )
        callback = promised(customer, at(24, 14), at(24, 15), case_id=case.pk, user=agent.user)
    with time_machine.travel(at(24, 14, 20), tick=False):
        made(agent, callback, outcome="Gebeld", next_step="Nieuwe zending aanvragen")
    case.refresh_from_db()
    assert (case.team, case.due_at, case.next_step) == ("back_office", None, "Nieuwe zending aanvragen")


def test_a_case_keeps_the_phone_queue_while_another_callback_on_it_is_promised(client_as, caller, promised):
    from console.cases.services import case_open

    customer = caller()
    agent = client_as("phone")
    with time_machine.travel(at(24, 12), tick=False):
        case = case_open(
            customer_id=customer.pk, title="Vraag over levering", team="back_office", next_step="Uitzoeken"
        )
        first = promised(customer, at(24, 14), at(24, 15), case_id=case.pk, user=agent.user)
        second = promised(customer, at(25, 10), at(25, 11), case_id=case.pk, user=agent.user)
    with time_machine.travel(at(24, 14, 20), tick=False):
        made(agent, first, outcome="Voicemail")
    case.refresh_from_db()
    assert case.team == "phone"
    with time_machine.travel(at(25, 10, 20), tick=False):
        made(agent, second, outcome="Gesproken")
    case.refresh_from_db()
    assert (case.team, case.due_at, case.next_step) == ("back_office", None, "Uitzoeken")


def test_a_second_callback_on_a_callback_case_still_resolves_it_when_made(client_as, caller, promised):
    customer = caller()
    agent = client_as("phone")
    with time_machine.travel(at(24, 12), tick=False):
        first = promised(customer, at(24, 14), at(24, 15), user=agent.user)
        second = promised(customer, at(25, 10), at(25, 11), case_id=first.case_id, user=agent.user)
    with time_machine.travel(at(24, 14, 20), tick=False):
        made(agent, first, outcome="Voicemail")
    with time_machine.travel(at(25, 10, 20), tick=False):
        made(agent, second, outcome="Gesproken")
    case = Case.objects.get(pk=first.case_id)
    assert (case.status, case.team, case.next_step) == ("resolved", "phone", "")

"""A journey follows its case through events posted to the real event API (stories S4, S5)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.cases.models import Case
from console.ingest.models import InboundEvent
from console.journeys.models import CaseJourney
from console.journeys.services import journey_step_complete, journeys_catch_up, journeys_on_event
from console.journeys.tasks import journeys_on_event_task
from console.messaging.models import OutboundMessage
from console.timeline.models import TimelineEntry
from tests.factories import add_order
from tests.journeys.conftest import DAUGHTER, WIFE, id_checked, make_ahmed, posted, sims

pytestmark = pytest.mark.django_db


def sent(customer) -> list[str]:
    return list(OutboundMessage.objects.filter(customer=customer).order_by("pk").values_list("template_key", flat=True))


def fresh(journey) -> CaseJourney:
    return CaseJourney.objects.select_related("case", "current_step", "failure").get(pk=journey.pk)


def test_the_porting_journey_follows_the_courier_step_by_step(api, client_as, ahmed, porting_journey):
    journey = porting_journey
    assert sent(ahmed) == ["journey_porting_requested"]
    first = OutboundMessage.objects.get(customer=ahmed)
    assert first.channel == "sms" and first.language == "nl" and first.case_id == journey.case_id
    assert "we zetten je nummers over (order WS-2026-11851)" in first.body and journey.case.reference in first.body

    posted(api, sims((WIFE, "shipped"), (DAUGHTER, "shipped")))
    journey = fresh(journey)
    assert journey.current_step.title == "ID checked at the door"
    assert journey.case.next_step == "ID checked at the door"
    assert sent(ahmed)[-1] == "journey_porting_on_the_way"

    posted(api, id_checked("valid"))
    posted(api, sims((WIFE, "delivered")))
    journey = fresh(journey)
    assert journey.current_step.title == "Every SIM card delivered", "one SIM of two is not every SIM"

    # The courier reports the second SIM on its own: with the first one, every SIM is delivered.
    posted(api, sims((DAUGHTER, "delivered"), status="delivered"))
    journey = fresh(journey)
    assert journey.current_step.title == "Numbers ported"
    assert sent(ahmed) == ["journey_porting_requested", "journey_porting_on_the_way", "journey_porting_delivered"]

    page = client_as("phone").get(reverse("cases:case", args=[journey.case_id])).content.decode()
    assert "Journey: Number porting with several SIM cards" in page
    assert "3 of 4 steps done" in page
    assert page.count('class="journey-step step-done"') == 3
    assert 'class="journey-step step-current" aria-current="step"' in page and "Numbers ported" in page
    timeline = list(TimelineEntry.objects.filter(case=journey.case).values_list("summary", flat=True))
    assert "Journey step 2 of 4 done: ID checked at the door" in timeline

    journey_step_complete(user=client_as("phone").user, case_id=journey.case_id)
    journey = fresh(journey)
    assert journey.state == CaseJourney.State.DONE and journey.current_step is None
    assert journey.case.status == Case.Status.RESOLVED
    assert sent(ahmed)[-1] == "journey_porting_done"


def test_an_english_speaking_customer_gets_the_messages_in_english(api, porting, make_user):
    from console.journeys.services import journey_start

    customer = make_ahmed(customer_number="C-300001", language="en", order="WS-EN-1")
    journey_start(customer_id=customer.pk, template_id=porting.pk, order_number="ws-en-1")
    posted(api, sims((WIFE, "shipped"), customer="C-300001", number="WS-EN-1"))
    bodies = list(OutboundMessage.objects.filter(customer=customer).order_by("pk").values_list("language", "body"))
    assert [language for language, _ in bodies] == ["en", "en"]
    assert bodies[1][1].startswith("Dear Ahmed Yilmaz, your SIM cards (order WS-EN-1) are on their way.")


def test_a_failed_sim_takes_the_failure_branch_and_the_agent_records_the_choice(api, client_as, ahmed, porting_journey):
    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "failed")))
    journey = fresh(porting_journey)
    assert journey.state == CaseJourney.State.WAITING
    assert journey.failure.title == "A SIM card could not be delivered"
    message = OutboundMessage.objects.filter(customer=ahmed).latest("pk")
    assert message.template_key == "journey_porting_sim_failed" and message.language == "nl"
    assert "1. De SIM-kaart opnieuw bezorgen\n2. Ophalen in een winkel\n3. Het overzetten" in message.body
    case = journey.case
    assert case.status == Case.Status.WAITING
    assert case.next_step == (
        "Customer to choose: Deliver the SIM card again / Pick it up in a store / Cancel that number's porting"
    )
    assert TimelineEntry.objects.filter(case=case, summary="Journey off track: A SIM card could not be delivered")

    client = client_as("phone")
    url = reverse("cases:case", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'class="journey-step step-failed"' in page and "Off track: A SIM card could not be delivered" in page
    # The agent records in English and sees the words the Dutch customer was sent.
    assert (
        '<button type="submit" class="choice">Pick it up in a store'
        ' <span class="choice-customer" lang="nl">· Ophalen in een winkel</span></button>'
    ) in page

    response = client.post(
        reverse("journeys:choice", args=[case.pk]), {"choice": "Pick it up in a store"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="journey-progress" aria-labelledby="journey-head" hx-swap-oob="true"' in html
    assert "Recorded: the customer chose “Pick it up in a store”." in html
    assert 'id="case-head"' in html and "Arrange what the customer chose: Pick it up in a store" in html
    # The case head it replaces keeps the messages the customer got.
    assert "Messages to the customer" in html and html.count('class="case-message ') == 2
    journey = fresh(journey)
    assert journey.state == CaseJourney.State.RUNNING and journey.failure is None
    assert journey.case.status == Case.Status.OPEN
    chose = TimelineEntry.objects.get(case=case, summary="Customer chose: Pick it up in a store")
    assert chose.actor_user == client.user


def test_an_id_mismatch_at_the_door_offers_the_id_choices(api, ahmed, porting_journey, make_user):
    from console.journeys.services import journey_choice_record

    posted(api, sims((DAUGHTER, "shipped")))
    posted(api, id_checked("mismatch"))
    journey = fresh(porting_journey)
    assert (journey.state, journey.current_step.title) == (CaseJourney.State.WAITING, "ID checked at the door")
    assert journey.failure.title == "The ID at the door did not match or had expired"
    message = OutboundMessage.objects.filter(customer=ahmed).latest("pk")
    assert message.template_key == "journey_porting_id_failed"
    assert "1. ID-gegevens bijwerken en opnieuw bezorgen" in message.body
    assert "3. Het tweede nummer annuleren" in message.body
    assert journey.case.next_step.startswith("Customer to choose: Update the ID on file and deliver again / ")

    # The courier then reports the SIM as failed: another failure, so the customer hears of it too.
    posted(api, sims((DAUGHTER, "failed")))
    assert sent(ahmed)[-2:] == ["journey_porting_id_failed", "journey_porting_sim_failed"]
    # The same failure again while the customer has yet to choose is noted, not sent again.
    posted(api, sims((DAUGHTER, "failed"), id="courier-again"))
    assert sent(ahmed)[-1] == "journey_porting_sim_failed" and len(sent(ahmed)) == 4
    assert TimelineEntry.objects.filter(summary="Journey off track again: A SIM card could not be delivered").exists()

    agent = make_user("store")
    journey_choice_record(user=agent, case_id=journey.case_id, choice="Pick it up in a store")
    journey = fresh(journey)
    assert journey.state == CaseJourney.State.RUNNING
    assert journey.case.next_step == "Arrange what the customer chose: Pick it up in a store"
    # With the new ID checked in the store the journey goes on.
    posted(api, id_checked("valid"))
    assert fresh(journey).current_step.title == "Every SIM card delivered"


def test_events_of_other_customers_and_other_orders_do_not_move_the_journey(api, ahmed, porting_journey):
    other = make_ahmed(customer_number="C-200099", phone="06 87654321", order="WS-OTHER-1")
    posted(api, sims((WIFE, "shipped"), customer="C-200099", number="WS-OTHER-1"))
    posted(api, id_checked("mismatch", customer="C-200099"))
    from tests.factories import add_order

    add_order(ahmed, number="WS-2026-20000", lines=[WIFE], total="10.00")
    posted(api, sims((WIFE, "failed"), number="WS-2026-20000"))

    journey = fresh(porting_journey)
    assert journey.current_step.title == "Porting requested; SIM cards being sent"
    assert journey.state == CaseJourney.State.RUNNING and len(journey.history) == 1
    assert sent(ahmed) == ["journey_porting_requested"] and sent(other) == []


def test_an_event_sent_again_or_heard_twice_does_not_advance_twice(api, ahmed, porting_journey):
    shipped = sims((WIFE, "shipped"), (DAUGHTER, "shipped"), id="courier-1")
    posted(api, shipped)
    again = api.post(shipped)
    assert again.status_code == 200
    mismatch = id_checked("mismatch", id="door-1")
    posted(api, mismatch)
    journey = fresh(porting_journey)
    assert journey.state == CaseJourney.State.WAITING and len(journey.history) == 3

    # A worker that runs the follow-up twice (acks_late), the service called again with the
    # same timeline entry, or the catch-up after them: the failure is not taken again.
    inbound = InboundEvent.objects.get(event_id="door-1")
    journeys_on_event_task(inbound.pk)
    entry_id = inbound.response["timeline_entry"]["id"]
    assert (
        journeys_on_event(customer_id=ahmed.pk, event_type="identity.checked", data=mismatch["data"], entry_id=entry_id)
        == []
    )
    assert journeys_catch_up() == 0
    journey = fresh(journey)
    assert len(journey.history) == 3
    off_track = TimelineEntry.objects.filter(case=journey.case, summary__startswith="Journey off track")
    assert list(off_track.values_list("summary", flat=True)) == [
        "Journey off track: The ID at the door did not match or had expired"
    ]
    assert sent(ahmed) == ["journey_porting_requested", "journey_porting_on_the_way", "journey_porting_id_failed"]


def test_an_event_whose_follow_up_task_was_lost_is_heard_by_the_catch_up(
    api, client, ahmed, porting_journey, django_capture_on_commit_callbacks
):
    add_order(ahmed, number="WS-2026-20000", lines=[WIFE], total="10.00")
    # The broker is down when the events commit: their follow-up tasks never run.
    for body in (sims((WIFE, "shipped"), (DAUGHTER, "shipped")), sims((WIFE, "failed"), number="WS-2026-20000")):
        with django_capture_on_commit_callbacks(execute=False) as lost:
            response = client.post(
                "/api/v1/events",
                data=json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {api.token}"},
            )
        assert response.status_code == 201 and lost
    assert fresh(porting_journey).current_step.title == "Porting requested; SIM cards being sent"

    out = StringIO()
    call_command("run_periodic", "journeys-catch-up", stdout=out)
    assert "2 missed events heard" in out.getvalue()
    journey = fresh(porting_journey)
    assert journey.current_step.title == "ID checked at the door", "the other order's failed SIM is not this journey's"
    assert journey.state == CaseJourney.State.RUNNING and len(journey.history) == 2
    assert sent(ahmed) == ["journey_porting_requested", "journey_porting_on_the_way"]

    assert journeys_catch_up() == 0
    assert len(fresh(journey).history) == 2 and len(sent(ahmed)) == 2
    # Events whose task did arrive are heard once, not again by the catch-up.
    posted(api, id_checked("valid"))
    assert fresh(journey).current_step.title == "Every SIM card delivered"
    assert journeys_catch_up() == 0


def test_the_periodic_catch_up_is_listed_among_the_periodic_jobs():
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert "journeys-catch-up" in out.getvalue() and "journeys_catch_up_task" in out.getvalue()


def test_journey_actions_of_agents_are_in_the_audit_log(api, ahmed, porting_journey, make_user):
    from console.journeys.services import journey_choice_record

    audit = AuditEvent.objects.filter(customer=ahmed)
    ref = porting_journey.case.reference
    started = audit.get(action=AuditEvent.Action.STARTED_JOURNEY)
    assert started.actor.username == "daan"
    # References only in the audit trail (docs/privacy.md); the timeline says what happened.
    assert started.detail == ref

    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "failed")))
    agent = make_user("store")
    journey_choice_record(user=agent, case_id=porting_journey.case_id, choice="Pick it up in a store")
    chose = audit.get(action=AuditEvent.Action.RECORDED_JOURNEY_CHOICE)
    assert chose.actor == agent and chose.detail == ref

    on_their_name = audit.filter(actor=agent).count()
    journey_step_complete(user=agent, case_id=porting_journey.case_id)
    # Only the step the agent marked done is on their name in the log, not what events did.
    # (the step, and the case's next step it moved on to: both changes of the case)
    assert {(m.action, m.detail) for m in audit.filter(actor=agent).order_by("id")[on_their_name:]} == {
        ("updated_case", ref)
    }


def test_only_the_step_the_agent_marked_done_is_on_their_name(api, ahmed, porting_journey):
    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "delivered"), status="delivered"))
    journey = fresh(porting_journey)
    assert journey.current_step.title == "ID checked at the door", "no ID check came"

    daan = TimelineEntry.objects.get(case=journey.case, summary__startswith="Journey started").actor_user
    journey_step_complete(user=daan, case_id=journey.case_id)
    assert fresh(journey).current_step.title == "Numbers ported", "every SIM was delivered already"
    steps = {
        entry.summary: entry
        for entry in TimelineEntry.objects.filter(case=journey.case, summary__startswith="Journey step")
    }
    marked = steps["Journey step 2 of 4 done: ID checked at the door"]
    assert marked.actor_user == daan and "marked done by" in marked.body
    by_records = steps["Journey step 3 of 4 done: Every SIM card delivered"]
    assert by_records.actor_user is None and by_records.actor_source == "journeys"
    assert by_records.body == "Number porting with several SIM cards; done on an order update: every line delivered."


def test_a_wrong_item_journey_starts_past_a_return_already_opened(api, client_as, wrong_item, make_user):
    from console.commerce.services import return_open
    from console.journeys.services import journey_start
    from tests.factories import CustomerFactory, add_order

    customer = CustomerFactory(name="Jeroen de Vries", customer_number="C-200001", phone="06 12345678")
    order = add_order(customer, number="WS-1")
    agent = make_user("phone")
    ret = return_open(user=agent, customer_id=customer.pk, order_line_id=order.lines.get().pk, reason="wrong_item")
    journey = journey_start(customer_id=customer.pk, template_id=wrong_item.pk, order_number="WS-1", actor_user=agent)
    assert journey.current_step.title == "Item received back", "the return was already open"
    assert sent(customer) == ["journey_wrong_item_send_back"]

    from tests.ingest.events import event

    returned = {"return_number": ret.return_number, "order_number": "WS-1", "lines": [{"sku": "VH-01"}]}
    posted(api, event("return.updated", {**returned, "reason": "wrong_item", "status": "received"}))
    replacement = {"sku": "VH-01", "description": "Vogelhuisje Eiken", "quantity": 1, "unit_price": "39.95"}
    lines = [{**replacement, "line_number": 1, "status": "wrong_item"}, {**replacement, "line_number": 2}]
    body = {"order_number": "WS-1", "status": "shipped", "total": "39.95", "currency": "EUR"}
    posted(api, event("order.updated", {**body, "lines": [lines[0], {**lines[1], "status": "failed"}]}))
    journey = fresh(journey)
    assert journey.state == CaseJourney.State.WAITING and journey.current_step.title == "Replacement shipped"
    assert sent(customer)[-1] == "journey_wrong_item_failed"


def test_a_step_the_records_show_done_while_waiting_completes_once_the_customer_chose(
    api, ahmed, porting_journey, make_user
):
    from console.journeys.services import journey_choice_record

    agent = make_user("phone")
    posted(api, sims((WIFE, "shipped"), (DAUGHTER, "shipped")))
    posted(api, id_checked("valid"))
    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "failed")))
    assert fresh(porting_journey).state == CaseJourney.State.WAITING
    # Delivered after all, while the customer has yet to choose: the journey waits for the choice.
    posted(api, sims((DAUGHTER, "delivered"), status="delivered"))
    assert fresh(porting_journey).current_step.title == "Every SIM card delivered"

    journey_choice_record(user=agent, case_id=porting_journey.case_id, choice="Deliver the SIM card again")
    journey = fresh(porting_journey)
    assert journey.state == CaseJourney.State.RUNNING and journey.current_step.title == "Numbers ported"
    assert journey.case.next_step == "Numbers ported"
    assert sent(ahmed)[-1] == "journey_porting_delivered"

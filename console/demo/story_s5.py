"""Story S5: Ahmed's SIM cards, the porting journey, his complaint and his callback. In its "before" state
(/work/shared/STORIES.md); console/demo/stories.py seeds it."""

from datetime import timedelta

from console.callbacks.services import callback_promise
from console.callbacks.windows import default_window
from console.cases.services import case_update
from console.commerce.services import order_place
from console.conversations.services import conversation_hear
from console.customers.services import customer_create
from console.demo.history import (
    address,
    case_open_at,
    courier_event,
    days_ago_at,
    in_days,
    interaction,
    line,
    years_ago,
)
from console.journeys.models import JourneyTemplate
from console.journeys.services import journey_start
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# S5: the order of two SIM cards, the journey it follows and the callback case (s5.py finds them by these).
SIM_ORDER = "WS-2026-11851"


PORTING_JOURNEY = "Number porting with several SIM cards"


CALLBACK_TITLE = "Terugbellen: tweede SIM-kaart"


def s5_ahmed(users):
    c = customer_create(
        customer_number="C-200005",
        name="Ahmed Yilmaz",
        email="a.yilmaz@example.nl",
        phone="06 34567890",
        customer_since=years_ago(1, 20),
        address=address("Kerkplein 5", "2011 AB", "Haarlem"),
        id_document_type="Paspoort",
        id_document_last4="4821",
        id_document_expires_on=in_days(-200),
    )
    interaction(
        customer_id=c.pk,
        users=users,
        channel=Channel.STORE,
        at=days_ago_at(12, 15, 20),
        summary="Wants to move his wife's and daughter's numbers to us (Nummerbehoud 2 SIM-kaarten)",
        body="Nummerbehoud voor 2 nummers aangevraagd; SIM-kaarten worden per koerier bezorgd.",
    )
    order, _entry = order_place(
        customer_id=c.pk,
        order_number=SIM_ORDER,
        placed_at=days_ago_at(12, 15, 34),
        status="partially_delivered",
        source="store",
        channel=Channel.STORE,
        lines=[
            line("TC-SIM-NB", "SIM-kaart (nummer echtgenote)", "10.00"),
            line("TC-SIM-NB", "SIM-kaart (nummer dochter)", "10.00", "failed"),
        ],
    )
    courier_event(c.pk, at=days_ago_at(8, 11, 2), order=order, summary="SIM-kaart (nummer echtgenote) delivered")
    courier_event(
        c.pk,
        at=days_ago_at(8, 11, 3),
        order=order,
        kind=TimelineEntry.Kind.IDENTITY,
        summary="Courier did not hand over SIM-kaart (nummer dochter): ID on file does not match",
        body="Klant toonde een nieuw paspoort; het nummer in de order (eindigt op 4821) is van een "
        "verlopen paspoort. Pakket terug naar het depot.",
    )
    _s5_complaint(c, users, order)
    _s5_callback(c, users, order)
    _s5_journey(c, users)
    return c


def _s5_complaint(c, users, order):
    """His e-mail got the mailbox's automatic reply, which is no answer (no agent gave it): that
    conversation still waits for one, overdue. The letter that followed is linked to the
    complaint case and waits for an answer in the back office's inbox, overdue too."""
    email = interaction(
        customer_id=c.pk,
        users=users,
        channel=Channel.EMAIL,
        at=days_ago_at(5, 22, 3),
        order=order,
        summary="Complaint: second SIM card still not delivered",
        body="Waar blijft de tweede SIM-kaart? Niemand laat iets weten. Ahmed Yilmaz",
    )
    conversation_hear(entry=email)
    auto_reply = timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.INTERACTION,
        channel=Channel.EMAIL,
        direction=TimelineEntry.Direction.OUTBOUND,
        occurred_at=days_ago_at(5, 22, 4),
        actor_source="mailbox",
        summary="Automatic reply sent: 'We are looking into it'",
    )
    conversation_hear(entry=auto_reply)
    letter_at = days_ago_at(2, 10, 15)
    complaint = case_open_at(
        at=letter_at,
        customer_id=c.pk,
        title="Klacht: tweede SIM-kaart niet geleverd",
        kind="complaint",
        team="back_office",
        owner=users["manager"].user,
        due_at=letter_at + timedelta(days=5),
        channel=Channel.POST,
        actor_source="postroom",
        next_step="Answer the written complaint in writing",
    )
    letter = interaction(
        customer_id=c.pk,
        users=users,
        channel=Channel.POST,
        at=letter_at + timedelta(minutes=1),
        case=complaint,
        order=order,
        summary="Written complaint received about the second SIM card and the standard reply",
        body="Brief: 'Ik heb per e-mail alleen een standaardantwoord gekregen. Ik wil weten wat er "
        "met de tweede SIM-kaart gebeurt en waarom de koerier hem niet wilde afgeven.'",
    )
    conversation_hear(entry=letter)


def _s5_callback(c, users, order):
    """Yesterday's call ended with a promise to call back; the promise itself is a real callback
    in the phone queue, for the next free hour from the moment of seeding (a window in the past
    cannot be promised). The beat job moves it, and texts Ahmed, if nobody calls in time."""
    call_at = days_ago_at(1, 16, 40)
    interaction(
        customer_id=c.pk,
        users=users,
        channel=Channel.PHONE,
        at=call_at,
        order=order,
        summary="Asked again about the second SIM card; callback promised",
        body="Klant belt opnieuw. Koerier noemde een probleem met het ID. Terugbelafspraak gemaakt.",
    )
    case = case_open_at(
        at=call_at + timedelta(minutes=2),
        customer_id=c.pk,
        title=CALLBACK_TITLE,
        kind="callback",
        team="phone",
        channel=Channel.PHONE,
        actor_user=users["phone"].user,
        owner=users["phone"].user,
        next_step="Call back about the second SIM card",
    )
    start, end = default_window()
    callback_promise(customer_id=c.pk, user=users["phone"].user, window_start=start, window_end=end, case_id=case.pk)


def _s5_journey(c, users):
    """The SIM order follows the shipped "Number porting" journey from now on, so every next step,
    and every thing that goes wrong, reaches Ahmed with what he can choose (docs/journeys.md).
    Without that template (an admin deactivated it) the story plays without a journey."""
    template = JourneyTemplate.objects.filter(name=PORTING_JOURNEY, active=True).first()
    if template is not None:
        daan = users["phone"].user
        journey = journey_start(
            customer_id=c.pk,
            template_id=template.pk,
            title=f"Nummerbehoud 2 SIM-kaarten ({SIM_ORDER})",
            order_number=SIM_ORDER,
            actor_user=daan,
            channel=Channel.PHONE,
        )
        # A journey case has an owner like any other: the agent who started it keeps it.
        case_update(case_id=journey.case_id, user=daan, owner_id=daan.pk)

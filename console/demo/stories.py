"""The customers of the five stories (/work/shared/STORIES.md), in their "before" state.

Each is the moment just before the demo starts: the wrong item has been delivered, the
letter has come back, the chatbot question was asked last night. Dates are relative to the
day of seeding, so "oldest 47 days" is true on that day (flags are stored; they move on
when something recomputes them). STORY_CUSTOMERS below lists who is who; the command
prints it.
"""

from datetime import timedelta

from django.db import transaction

from console.callbacks.services import callback_promise
from console.callbacks.windows import default_window
from console.cases.services import case_update
from console.commerce.services import order_place, wishlist_update
from console.customers.models import Address
from console.customers.services import customer_create
from console.demo.catalogue import AIRFRYER, AIRFRYER_EXTRAS
from console.demo.history import (
    case_open_at,
    courier_event,
    days_ago_at,
    in_days,
    interaction,
    line,
    order_invoiced,
    years_ago,
)
from console.flags.services import flags_recompute
from console.journeys.models import JourneyTemplate
from console.journeys.services import journey_start
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# (story, customer number, name, how to find them, what to look at) — printed by the command.
STORY_CUSTOMERS = [
    (
        "S1",
        "C-200001",
        "Jeroen de Vries",
        "06 12345678 / j.devries@example.nl",
        "pop CD instead of Vogelhuisje Eiken (WS-2026-11803); credit hold, EUR 1,240 overdue",
    ),
    ("S1", "C-200006", "Marieke Bakker", "06 45678901 / m.bakker@example.nl", "loyal for 9 years: gold"),
    (
        "S2",
        "C-200002",
        "Sanne Jansen",
        "@sjansen / Dorpsstraat 1, 1234 AB Ergens",
        "statement INV-2026-881 returned: address undeliverable",
    ),
    (
        "S3",
        "C-200003",
        "Fatima El Amrani",
        "06 23456789 / f.elamrani@example.nl",
        "chatbot question last night 21:40; wish list with the airfryer",
    ),
    (
        "S4",
        "C-200004",
        "Pieter van Dijk",
        "06 28765432 / p.vandijk@example.nl",
        "case 'Internet storing sinds maandag' on web, chat and phone",
    ),
    (
        "S5",
        "C-200005",
        "Ahmed Yilmaz",
        "06 34567890 / a.yilmaz@example.nl",
        "WS-2026-11851 on the number-porting journey: second SIM failed; Paspoort expired; callback; complaint",
    ),
]
STORY_PHONES = ["06 12345678", "06 45678901", "06 56789012", "06 23456789", "06 28765432", "06 34567890"]
STORY_EMAILS = [
    "j.devries@example.nl",
    "m.bakker@example.nl",
    "sanne.jansen@example.nl",
    "f.elamrani@example.nl",
    "p.vandijk@example.nl",
    "a.yilmaz@example.nl",
]


# S5: the order of two SIM cards, the journey it follows and the callback case (s5.py finds them by these).
SIM_ORDER = "WS-2026-11851"
PORTING_JOURNEY = "Number porting with several SIM cards"
CALLBACK_TITLE = "Terugbellen: tweede SIM-kaart"


def stories_seed(users: dict) -> None:
    for story in (s1_jeroen, s1_marieke, s2_sanne, s3_fatima, s4_pieter, s5_ahmed):
        story_seed(story, users)


def story_seed(story, users: dict):
    """One story customer in its "before" state; the browser tests seed each story this way too."""
    # One transaction per customer: a story is either all there or not at all.
    with transaction.atomic():
        customer = story(users)
        flags_recompute(customer_id=customer.pk)
    return customer


def _address(street: str, postal_code: str, city: str) -> dict:
    return dict(street=street, postal_code=postal_code, city=city)


def s1_jeroen(users):
    c = customer_create(
        customer_number="C-200001",
        name="Jeroen de Vries",
        email="j.devries@example.nl",
        phone="06 12345678",
        customer_since=years_ago(3),
        address=_address("Kastanjelaan 14", "3581 KD", "Utrecht"),
        id_document_type="Rijbewijs",
        id_document_last4="3307",
        id_document_expires_on=in_days(1900),
    )
    # Two big orders he never paid for: due 47 and 20 days ago, EUR 890 + 350 = 1,240 open.
    order_invoiced(
        c.pk,
        number="WS-2026-11801",
        invoice="INV-2026-612",
        paid_after_days=None,
        lines=[line("TU-LNG-TEAK", "Loungeset Teak 4-delig", "890.00")],
        placed=days_ago_at(62, 14, 12),
    )
    timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.INVOICE,
        channel=Channel.EMAIL,
        actor_source="finance",
        direction=TimelineEntry.Direction.OUTBOUND,
        occurred_at=days_ago_at(40, 9),
        summary="Payment reminder sent for invoice INV-2026-612",
    )
    order_invoiced(
        c.pk,
        number="WS-2026-11802",
        invoice="INV-2026-707",
        paid_after_days=None,
        lines=[line("TU-HDR-K5P", "Hogedrukreiniger K5 Premium", "350.00")],
        placed=days_ago_at(35, 10, 3),
    )
    # The birdhouse, paid straight away; a pop CD came in the box instead.
    order, _ = order_invoiced(
        c.pk,
        number="WS-2026-11803",
        invoice="INV-2026-802",
        paid_after_days=0,
        lines=[line("HT-VOG-EIK", "Vogelhuisje Eiken", "34.95", "wrong_item")],
        placed=days_ago_at(6, 20, 15),
    )
    courier_event(c.pk, at=days_ago_at(3, 13, 40), order=order, summary="Parcel for order WS-2026-11803 delivered")
    interaction(
        customer_id=c.pk,
        channel=Channel.PHONE,
        at=days_ago_at(2, 10, 24),
        users=users,
        order=order,
        summary="Customer received a pop CD instead of the birdhouse",
        body="Meneer De Vries belt: in het pakket van bestelling WS-2026-11803 zat een pop-cd in "
        "plaats van het Vogelhuisje Eiken. Wil het vogelhuisje alsnog; de cd stuurt hij terug.",
    )
    return c


# Marieke's orders: one from before the last 12 months, then EUR 2,594.99 within them.
_MARIEKE_ORDERS = [
    (400, "WS-2025-11861", "INV-2025-861", [line("SP-FTS-DRG", "Fietsendrager 2 fietsen", "279.00")]),
    (300, "WS-2026-11862", "INV-2026-862", [line("KK-ESP-DL", "Espressomachine De'Longhi", "799.00")]),
    (190, "WS-2026-11863", "INV-2026-863", [line("HT-STO-DWL", "Robotstofzuiger dweilfunctie", "649.00")]),
    (
        95,
        "WS-2026-11864",
        "INV-2026-864",
        [line("TU-BBQ-GAS", "Gasbarbecue 3 branders", "399.00"), line("TU-PAR-BLT", "Parasol 300 cm", "119.00")],
    ),
    (
        21,
        "WS-2026-11865",
        "INV-2026-865",
        [line("EL-TV-55", "Televisie 55 inch 4K", "549.00"), line("EL-SPK-BT", "Bluetooth speaker", "79.99")],
    ),
]


def s1_marieke(users):
    c = customer_create(
        customer_number="C-200006",
        name="Marieke Bakker",
        email="m.bakker@example.nl",
        phone="06 45678901",
        customer_since=years_ago(9, 120),
        address=_address("Wilhelminapark 8", "5041 ED", "Tilburg"),
        marketing_consent=True,
    )
    for days, number, invoice, lines in _MARIEKE_ORDERS:
        if days == 95:
            interaction(
                customer_id=c.pk,
                channel=Channel.STORE,
                at=days_ago_at(96, 15, 5),
                users=users,
                summary="Advice on barbecues in the store; will order online",
                body="Vaste klant, kwam advies vragen over een gasbarbecue. Bestelt thuis online.",
            )
        order_invoiced(c.pk, number=number, invoice=invoice, lines=lines, placed=days_ago_at(days, 19, 30))
    interaction(
        customer_id=c.pk,
        channel=Channel.EMAIL,
        at=days_ago_at(9, 8, 12),
        users=users,
        summary="Thanked us for the quick delivery of the television",
        body="Beste klantenservice, de televisie werd netjes geïnstalleerd. Dank! Marieke Bakker",
    )
    return c


def s2_sanne(users):
    street, postal_code, city = "Dorpsstraat 1", "1234 AB", "Ergens"
    c = customer_create(
        customer_number="C-200002",
        name="Sanne Jansen",
        email="sanne.jansen@example.nl",
        phone="06 56789012",
        handles=[("twitter", "@sjansen")],
        customer_since=years_ago(5),
        address=_address(street, postal_code, city),
    )
    interaction(
        customer_id=c.pk,
        channel=Channel.CHAT,
        at=days_ago_at(120, 20, 2),
        users=users,
        summary="Asked about delivery times for furniture",
        body="Hoi, hoe lang duurt het voordat een vloerlamp geleverd wordt?",
    )
    _, inv = order_invoiced(
        c.pk,
        number="WS-2026-11881",
        invoice="INV-2026-881",
        paid_after_days=None,
        placed=days_ago_at(31, 21, 10),
        lines=[line("HT-BED-240", "Dekbedovertrek 240x220", "49.95"), line("HT-LMP-VLR", "Vloerlamp zwart", "79.00")],
    )
    timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.INVOICE,
        channel=Channel.POST,
        invoice=inv,
        direction=TimelineEntry.Direction.OUTBOUND,
        occurred_at=days_ago_at(9, 7, 30),
        actor_source="finance",
        summary=f"Statement for invoice INV-2026-881 sent by post to {street}, {postal_code} {city}",
    )
    returned_at = days_ago_at(3, 11, 5)
    timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.MAIL_RETURNED,
        channel=Channel.POST,
        invoice=inv,
        occurred_at=returned_at,
        actor_source="postroom",
        summary="Letter returned: statement for INV-2026-881, addressee unknown",
        body="Envelop retour afzender. Handgeschreven op de envelop: 'Onbekend op dit adres — retour "
        "afzender'. Gescand door de postkamer.",
        raw={"letter": "INV-2026-881 statement", "reason": "addressee_unknown"},
    )
    Address.objects.filter(customer=c).update(
        status=Address.Status.UNDELIVERABLE,
        status_changed_at=returned_at,
        status_evidence="Letter INV-2026-881 statement returned: addressee unknown",
    )
    return c


def s3_fatima(users):
    c = customer_create(
        customer_number="C-200003",
        name="Fatima El Amrani",
        email="f.elamrani@example.nl",
        phone="06 23456789",
        customer_since=years_ago(4, 30),
        address=_address("Amsterdamsestraatweg 212", "3551 CZ", "Utrecht"),
        id_document_type="ID-kaart",
        id_document_last4="5519",
        id_document_expires_on=in_days(1400),
    )
    order_invoiced(
        c.pk,
        number="WS-2026-11831",
        invoice="INV-2026-831",
        placed=days_ago_at(90, 18, 45),
        lines=[line("KK-STM-800", "Staafmixer 800 W", "44.95")],
    )
    web = dict(customer_id=c.pk, channel=Channel.WEB, users=users)
    interaction(
        **web,
        at=days_ago_at(1, 21, 28),
        summary="Viewed Philips Airfryer XXL: out of stock online",
        body="Productpagina KK-AFR-XXL bekeken (4 min). Melding 'Tijdelijk uitverkocht' getoond.",
    )
    interaction(
        customer_id=c.pk,
        channel=Channel.CHATBOT,
        at=days_ago_at(1, 21, 40),
        users=users,
        summary="Asked the chatbot whether the Philips Airfryer XXL is back in stock",
        body="Fatima: Hoi, is de Philips Airfryer XXL weer op voorraad?\n"
        "Bot: De Philips Airfryer XXL is online tijdelijk uitverkocht. Wil je een bericht als hij "
        "weer binnen is?\nFatima: Ja graag. En hebben jullie hem in de winkel in Utrecht?\n"
        "Bot: Dat kan ik helaas niet zien. Bel morgen vanaf 9:00 met de klantenservice.",
    )
    interaction(
        **web,
        at=days_ago_at(1, 21, 47),
        summary="Viewed airfryer accessories",
        body="Categorie 'Airfryer accessoires' bekeken, 2 producten geopend.",
    )
    items = [dict(sku=sku, description=desc) for sku, desc in [AIRFRYER, *AIRFRYER_EXTRAS]]
    wishlist_update(customer_id=c.pk, items=items, occurred_at=days_ago_at(1, 21, 52))
    return c


# Pieter's contacts after the case was opened: (channel, days ago, hh, mm, summary, body).
_PIETER_CONTACTS = [
    (
        Channel.CHAT,
        6,
        19,
        31,
        "Chat: internet drops every evening since Monday",
        "Internet valt elke avond weg sinds maandag. Modem herstart, helpt niet.",
    ),
    (
        Channel.PHONE,
        4,
        8,
        47,
        "Called: still down; line test shows noise, engineer needed",
        "Lijntest gedaan: ruis op de lijn. Monteur ingepland, klant krijgt een bevestiging.",
    ),
    (
        Channel.WEB,
        2,
        22,
        14,
        "Checked the case status in My Account",
        "Mijn Account > Meldingen geopend, status 'Monteur ingepland' gezien.",
    ),
    (
        Channel.CHAT,
        1,
        12,
        20,
        "Chat: asked when the engineer will come",
        "Weet u al wanneer de monteur komt? Ik werk thuis en moet het weten.",
    ),
]


def s4_pieter(users):
    c = customer_create(
        customer_number="C-200004",
        name="Pieter van Dijk",
        email="p.vandijk@example.nl",
        phone="06 28765432",
        customer_since=years_ago(7),
        address=_address("Lange Nieuwstraat 33", "3512 PE", "Utrecht"),
    )
    interaction(
        customer_id=c.pk,
        channel=Channel.WEB,
        at=days_ago_at(6, 19, 5),
        users=users,
        summary="Checked the outage page for postcode 3512",
        body="Pagina 'Storingen' bekeken, postcode 3512 PE ingevuld: geen bekende storing.",
    )
    case = case_open_at(
        at=days_ago_at(6, 19, 18),
        customer_id=c.pk,
        title="Internet storing sinds maandag",
        team="phone",
        owner=users["phone"].user,
        due_at=days_ago_at(-2, 10),
        channel=Channel.CHAT,
        actor_user=users["webcare"].user,
        next_step="Engineer visit booked: confirm the time slot with the customer",
    )
    for channel, days, hour, minute, summary, body in _PIETER_CONTACTS:
        interaction(
            customer_id=c.pk,
            channel=channel,
            at=days_ago_at(days, hour, minute),
            users=users,
            summary=summary,
            body=body,
            case=case,
        )
    return c


def s5_ahmed(users):
    c = customer_create(
        customer_number="C-200005",
        name="Ahmed Yilmaz",
        email="a.yilmaz@example.nl",
        phone="06 34567890",
        customer_since=years_ago(1, 20),
        address=_address("Kerkplein 5", "2011 AB", "Haarlem"),
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
    interaction(
        customer_id=c.pk,
        users=users,
        channel=Channel.EMAIL,
        at=days_ago_at(5, 22, 3),
        order=order,
        summary="Complaint: second SIM card still not delivered",
        body="Waar blijft de tweede SIM-kaart? Niemand laat iets weten. Ahmed Yilmaz",
    )
    timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.INTERACTION,
        channel=Channel.EMAIL,
        direction=TimelineEntry.Direction.OUTBOUND,
        occurred_at=days_ago_at(5, 22, 4),
        actor_source="mailbox",
        summary="Automatic reply sent: 'We are looking into it'",
    )
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
    interaction(
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

"""Story S1: Jeroen calls about his order and Marieke, a loyal customer, is checked for credit. In its "before" state
(/work/shared/STORIES.md); console/demo/stories.py seeds it."""

from console.customers.services import customer_create
from console.demo.history import (
    address,
    courier_event,
    days_ago_at,
    in_days,
    interaction,
    line,
    order_invoiced,
    years_ago,
)
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record


def s1_jeroen(users):
    c = customer_create(
        customer_number="C-200001",
        name="Jeroen de Vries",
        email="j.devries@example.nl",
        phone="06 12345678",
        customer_since=years_ago(3),
        address=address("Kastanjelaan 14", "3581 KD", "Utrecht"),
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
        address=address("Wilhelminapark 8", "5041 ED", "Tilburg"),
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

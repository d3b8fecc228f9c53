"""Story S4: Pieter's one case, with every contact since it was opened. In its "before" state
(/work/shared/STORIES.md); console/demo/stories.py seeds it."""

from console.customers.services import customer_create
from console.demo.history import (
    address,
    case_open_at,
    days_ago_at,
    interaction,
    years_ago,
)
from console.timeline.models import Channel

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
        address=address("Lange Nieuwstraat 33", "3512 PE", "Utrecht"),
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

"""Story S3: Fatima asked the chatbot last night and calls about it today. In its "before" state
(/work/shared/STORIES.md); console/demo/stories.py seeds it."""

from console.commerce.services import wishlist_update
from console.customers.services import customer_create
from console.demo.catalogue import AIRFRYER, AIRFRYER_EXTRAS
from console.demo.history import (
    address,
    days_ago_at,
    in_days,
    interaction,
    line,
    order_invoiced,
    years_ago,
)
from console.timeline.models import Channel


def s3_fatima(users):
    c = customer_create(
        customer_number="C-200003",
        name="Fatima El Amrani",
        email="f.elamrani@example.nl",
        phone="06 23456789",
        customer_since=years_ago(4, 30),
        address=address("Amsterdamsestraatweg 212", "3551 CZ", "Utrecht"),
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

"""Story S2: Sanne's letters came back and her tweet went unanswered. In its "before" state
(/work/shared/STORIES.md); console/demo/stories.py seeds it."""

from console.conversations.services import conversation_hear
from console.customers.models import Address
from console.customers.services import customer_create
from console.demo.history import (
    address,
    days_ago_at,
    interaction,
    line,
    order_invoiced,
    years_ago,
)
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record

# Her tweets are one thread on Twitter: last night's, unanswered, and the one the simulator's
# story sends (demo/simulation/stories/s2.py), with webcare's reply.
TWEET_THREAD = "tw-sjansen-letters"


def s2_sanne(users):
    street, postal_code, city = "Dorpsstraat 1", "1234 AB", "Ergens"
    c = customer_create(
        customer_number="C-200002",
        name="Sanne Jansen",
        email="sanne.jansen@example.nl",
        phone="06 56789012",
        handles=[("twitter", "@sjansen")],
        customer_since=years_ago(5),
        address=address(street, postal_code, city),
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
    _s2_tweet(c)
    return c


def _s2_tweet(c):
    """Last night she tweeted about the letters; nobody answered, and nobody connected it to the
    returned letter: it waits in webcare's inbox, overdue."""
    tweet = timeline_entry_record(
        customer_id=c.pk,
        kind=TimelineEntry.Kind.INTERACTION,
        channel=Channel.TWITTER,
        direction=TimelineEntry.Direction.INBOUND,
        occurred_at=days_ago_at(1, 20, 12),
        actor_source="social-listening",
        summary="Public post: asks who reads 'return to sender' on the letters that keep coming",
        body="@klantbeeld Er komen steeds brieven voor iemand die hier niet woont. Wij zetten er 'retour "
        "afzender' op, maar leest iemand dat eigenlijk?",
        raw={"data": {"channel": Channel.TWITTER, "thread": TWEET_THREAD}},
    )
    conversation_hear(entry=tweet)

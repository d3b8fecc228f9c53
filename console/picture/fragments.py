"""What a push to a customer's open consoles carries: the same partials the page is made of,
rendered once per audience.

Audiences differ only in invoice details (DESIGN.md: store staff see the open balance only),
so every message holds a ``finance`` and a ``store`` rendering; each consumer forwards the
one its user may see. Rendering happens once per change, not once per open console.
"""

from django.template.loader import render_to_string

from console.customers.models import Customer
from console.live.groups import customer_group
from console.live.publish import publish
from console.picture.selectors import customer_picture
from console.timeline.models import TimelineEntry
from console.timeline.selectors import MONEY_KINDS, customer_activity, latest_questions

TEMPLATE = "customers/picture.html"
# Kinds after which the panels (orders, invoices, header, ...) are pushed along with the entry.
PANEL_KINDS = {
    TimelineEntry.Kind.ORDER,
    TimelineEntry.Kind.INVOICE,
    TimelineEntry.Kind.PAYMENT,
    TimelineEntry.Kind.RETURN,
    TimelineEntry.Kind.MAIL_RETURNED,
    TimelineEntry.Kind.IDENTITY,
    TimelineEntry.Kind.WISHLIST,
    TimelineEntry.Kind.CASE,
    TimelineEntry.Kind.MERGE,
    TimelineEntry.Kind.ADDRESS,
    TimelineEntry.Kind.STATEMENT,
    TimelineEntry.Kind.CREDIT_APPROVAL,
}


def _redacted(entry: TimelineEntry) -> TimelineEntry:
    if _needs_redaction(entry):
        entry.summary = f"{entry.get_kind_display()} (details are for finance roles)"
        entry.body = ""
    return entry


def render_entries(entries: list[TimelineEntry], *, finance: bool) -> str:
    """Entries as live OOB fragments, oldest first, so each lands on top of the one before."""
    parts = []
    for entry in entries:
        shown = entry if finance else _redacted(entry)
        parts.append(render_to_string(f"{TEMPLATE}#live-entry", {"e": shown}))
    return "".join(parts)


def _panels(customer: Customer, *, finance: bool) -> str:
    return render_to_string(
        f"{TEMPLATE}#live-panels",
        {
            "customer": customer,
            "oob": True,
            "can_record": True,
            "picture": customer_picture(customer=customer, show_invoice_list=finance),
            "activity": customer_activity(customer_id=customer.pk),
        },
    )


def _activity(entry: TimelineEntry) -> str:
    """What any entry may change besides the panels: "active on ...", and "Latest from the
    customer" when the entry is a question (it goes on top there)."""
    context = {"oob": True, "activity": customer_activity(customer_id=entry.customer_id)}
    if not entry.is_from_customer():
        return render_to_string(f"{TEMPLATE}#activity", context)
    context["picture"] = {"latest_questions": latest_questions(customer_id=entry.customer_id)}
    return render_to_string(f"{TEMPLATE}#live-activity", context)


def _needs_redaction(entry: TimelineEntry) -> bool:
    return entry.kind in MONEY_KINDS or bool(entry.invoice_id)


def entry_message(entry: TimelineEntry) -> dict:
    """The entry as just committed (the object its service made), for both audiences."""
    finance = render_entries([entry], finance=True)
    store = finance
    if _needs_redaction(entry):
        store = render_entries([TimelineEntry.objects.select_related("actor_user").get(pk=entry.pk)], finance=False)
    # The entry part is sent once per connection (by seq); the panels part is always applied:
    # replacing a panel by id twice changes nothing.
    if entry.kind in PANEL_KINDS:
        customer = Customer.objects.get(pk=entry.customer_id)
        panels = {"finance": _panels(customer, finance=True), "store": _panels(customer, finance=False)}
    else:
        activity = _activity(entry)
        panels = {"finance": activity, "store": activity}
    return {
        "type": "timeline.entry",
        "customer_id": entry.customer_id,
        "seq": entry.seq,
        "entry": {"finance": finance, "store": store},
        "panels": panels,
        # Every panel (else only "active on ...", and the latest questions after a question),
        # rendered when this entry committed.
        "all_panels": entry.kind in PANEL_KINDS,
    }


def panels_now(customer_id: int, *, finance: bool) -> tuple[str, int]:
    """The header and every panel as they are now, and the customer's latest seq: the panels
    are at least as new as every push up to that seq."""
    customer = Customer.objects.get(pk=customer_id)
    return _panels(customer, finance=finance), customer.last_seq


def entry_pushed(*, entry: TimelineEntry) -> None:
    """The reaction to ``ENTRY_RECORDED`` (console/reactions.py): the committed entry, and what
    it changed, to everyone viewing its customer."""
    publish(customer_group(entry.customer_id), lambda: entry_message(entry))

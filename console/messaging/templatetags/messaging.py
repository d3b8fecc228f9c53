from django import template
from django.utils import timezone

from console.messaging.models import OutboundMessage
from console.messaging.selectors import messages_panel, statement_panel

register = template.Library()


@register.inclusion_tag("messaging/statement.html#statement-actions")
def statement_actions(customer, open_count: int):
    """This period's statement and the buttons to send it, for the invoices panel.

    Rendered only where the invoice list is (the same roles may send messages); the views
    behind the buttons check the role again.
    """
    today = timezone.localdate()
    return {"customer": customer, "panel": statement_panel(customer_id=customer.pk, today=today, open_count=open_count)}


@register.inclusion_tag("messaging/messages.html#messages-panel", takes_context=True)
def messages_panel_for(context, customer, may_send: bool, identifiers=None):
    """The messages panel of the customer picture.

    ``may_send``: whether to offer the form and the retry buttons. The picture passes its
    audience (the roles that see the invoice list are the roles that may send messages), so a
    live push renders it once per audience; the views behind the buttons check the role again.
    ``identifiers``: the picture's, already loaded (saves a query).
    """
    return {
        "customer": customer,
        "panel": messages_panel(customer=customer, identifiers=identifiers),
        "may_send": may_send,
        "oob": context.get("oob", False),
        "csrf_token": context.get("csrf_token", ""),
    }


@register.simple_tag
def message_status_label(status: str) -> str:
    """ "sent" as agents read it ("Sent", "Delivery not confirmed")."""
    return OutboundMessage.Status(status).label if status in OutboundMessage.Status.values else status

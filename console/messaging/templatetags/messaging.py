from django import template

from console.messaging.models import OutboundMessage

register = template.Library()


@register.simple_tag
def message_status_label(status: str) -> str:
    """ "sent" as agents read it ("Sent", "Delivery not confirmed")."""
    return OutboundMessage.Status(status).label if status in OutboundMessage.Status.values else status

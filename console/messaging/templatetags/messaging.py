from django import template
from django.utils import timezone

from console.messaging.selectors import statement_panel

register = template.Library()


@register.inclusion_tag("messaging/statement.html#statement-actions")
def statement_actions(customer, open_count: int):
    """This period's statement and the buttons to send it, for the invoices panel.

    Rendered only where the invoice list is (the same roles may send messages); the views
    behind the buttons check the role again.
    """
    today = timezone.localdate()
    return {"customer": customer, "panel": statement_panel(customer_id=customer.pk, today=today, open_count=open_count)}

"""What customers push to open consoles (through console.live.publish, after commit): the
screen pop that opens a customer's picture on one agent's screen."""

from django.urls import reverse

from console.customers.models import Customer
from console.live.groups import agent_group
from console.live.publish import publish


def screen_pop_message(*, customer_id: int, reason: str) -> dict:
    customer = Customer.objects.only("name", "customer_number").get(pk=customer_id)
    return {
        "type": "screen.pop",
        "customer_id": customer_id,
        "url": reverse("customers:picture", args=[customer_id]),
        "name": customer.name,
        "customer_number": customer.customer_number,
        "reason": reason,
    }


def screen_pop(*, user_id: int, customer_id: int, reason: str) -> None:
    """Open this customer's picture on one agent's screen (an incoming call)."""
    publish(agent_group(user_id), lambda: screen_pop_message(customer_id=customer_id, reason=reason))

"""What customers push to open consoles (through console.live.publish, after commit): the
screen pop that opens a customer's picture on one agent's screen; and who may hear a push that
names a customer at all (``audience``), for every app that pushes one."""

from django.urls import reverse

from console.customers.models import Customer
from console.customers.selectors import restricted_members
from console.live.groups import agent_group, is_agent_group
from console.live.publish import publish_to


def audience(*, customer_id: int, groups: list[str]) -> list[str]:
    """The groups a push naming this customer may go to, read once the change has committed.

    An unrestricted customer: ``groups`` as they are. A restricted one does not exist for anyone
    outside its group (docs/privacy.md), so a push about it never reaches a team's or the
    managers' group, where non-members listen: it goes to the agent groups of the members
    instead, and a push to named agents goes only to those of them who are members."""
    members = restricted_members(customer_id)
    if members is None:
        return groups
    allowed = [agent_group(pk) for pk in members]
    if all(is_agent_group(group) for group in groups):
        return [group for group in groups if group in allowed]
    return allowed


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
    publish_to(
        lambda: audience(customer_id=customer_id, groups=[agent_group(user_id)]),
        lambda: screen_pop_message(customer_id=customer_id, reason=reason),
    )

"""A restricted customer for the demo (docs/privacy.md): Ellen Personeel, an employee who is also
a customer, visible only to the group "Personeelszaken". No demo user is in that group, so in the
demo nobody finds her, in any role, until an admin adds themself to it in the admin; then she is
there as any customer. Not part of the five stories."""

from django.contrib.auth.models import Group
from django.db import transaction

from console.customers.models import Customer
from console.customers.services import customer_create, customer_restrict
from console.demo.history import address, days_ago_at, interaction, years_ago
from console.timeline.models import Channel

NUMBER, NAME, GROUP = "C-200099", "Ellen Personeel", "Personeelszaken"


def restricted_seed(users: dict) -> Customer:
    with transaction.atomic():
        customer = customer_create(
            customer_number=NUMBER,
            name=NAME,
            email="e.personeel@example.nl",
            phone="06 19283746",
            customer_since=years_ago(6, 12),
            address=address("Lange Nieuwstraat 8", "3512 PH", "Utrecht"),
        )
        interaction(
            customer_id=customer.pk,
            channel=Channel.PHONE,
            at=days_ago_at(3, 10, 15),
            users=users,
            summary="Asked about the staff discount on her last order",
            body="Personeelskorting niet verrekend op de laatste bestelling; doorgezet naar Personeelszaken.",
        )
        group = Group.objects.get_or_create(name=GROUP)[0]
        admin = users.get("admin")
        customer_restrict(customer_id=customer.pk, group=group, user=admin.user if admin else None)
    return customer

"""Factories that build test data through the real services, as agents and sources would."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from faker import Faker

from console.commerce.services import invoice_issue, order_place
from console.customers.services import customer_create
from console.flags.services import flags_recompute
from console.timeline.services import timeline_entry_record

fake = Faker("nl_NL")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


class CustomerFactory(factory.Factory):
    """A customer created by ``customers.services.customer_create``."""

    class Meta:
        model = dict

    customer_number = factory.Sequence(lambda n: f"C-{900000 + n}")
    name = factory.LazyFunction(fake.name)
    email = factory.Sequence(lambda n: f"klant{n}@example.nl")
    phone = ""
    language = "nl"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return customer_create(**kwargs)


def add_entries(customer, count, *, channel="email", summary="Vraag over bestelling"):
    """Write ``count`` timeline entries through the one service that writes them."""
    start = timezone.now() - timedelta(days=count)
    for n in range(count):
        timeline_entry_record(
            customer_id=customer.pk,
            kind="interaction",
            channel=channel,
            summary=f"{summary} {n + 1}",
            occurred_at=start + timedelta(days=n),
        )


def add_order(customer, *, number="WS-1", lines=None, **kwargs):
    lines = lines or [{"sku": "VH-01", "description": "Vogelhuisje Eiken", "quantity": 1, "unit_price": "39.95"}]
    order, _entry = order_place(customer_id=customer.pk, order_number=number, lines=lines, **kwargs)
    # The service starts the recomputation on commit; a test's transaction never commits.
    flags_recompute(customer_id=customer.pk)
    return order


def add_invoice(customer, *, number, amount, days_overdue=None, due_in=None):
    today = timezone.localdate()
    due_on = today - timedelta(days=days_overdue) if days_overdue is not None else today + timedelta(days=due_in or 14)
    invoice, _entry = invoice_issue(
        customer_id=customer.pk,
        invoice_number=number,
        amount=Decimal(amount),
        issued_on=due_on - timedelta(days=14),
        due_on=due_on,
    )
    flags_recompute(customer_id=customer.pk)
    return invoice

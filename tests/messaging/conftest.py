from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from console.cases.data_quality import email_bounce_record, mail_returned_record
from tests.factories import CustomerFactory, add_invoice

ADDRESS = {"street": "Dorpsstraat 12", "postal_code": "3511 AB", "city": "Utrecht"}


@pytest.fixture(autouse=True)
def letters(settings, tmp_path) -> Path:
    """The print room's folder, empty for every test."""
    settings.LETTERS_DIR = str(tmp_path / "letters")
    settings.STATEMENT_CHANNELS = ["email", "post"]
    return tmp_path / "letters"


def letter_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt")) if folder.exists() else []


@pytest.fixture
def make_debtor(db):
    """A customer with one overdue and one open invoice (EUR 740.00 + EUR 120.50)."""
    counter = {"n": 0}

    def make(*, language="nl", name="Jeroen de Vries", email="auto", address=True, overdue_days=47, **kwargs):
        counter["n"] += 1
        n = counter["n"]
        customer = CustomerFactory(
            name=name,
            language=language,
            email=f"klant{n}.{language}@example.nl" if email == "auto" else email,
            address=dict(ADDRESS) if address else None,
            **kwargs,
        )
        add_invoice(customer, number=f"INV-{n}-881", amount="740.00", days_overdue=overdue_days)
        add_invoice(customer, number=f"INV-{n}-905", amount="120.50", due_in=10)
        return customer

    return make


def undeliverable(customer) -> None:
    """Post came back: the address is undeliverable (through the real service)."""
    mail_returned_record(
        customer_id=customer.pk,
        mail_ref="INV-881",
        reason="unknown",
        reason_label="Addressee unknown",
        address=f"{ADDRESS['street']}, {ADDRESS['postal_code']} {ADDRESS['city']}",
        occurred_at=timezone.now() - timedelta(days=3),
    )


def bounced(customer) -> None:
    email = customer.identifiers.get(kind="email").value
    email_bounce_record(
        customer_id=customer.pk, email=email, reason="mailbox full", occurred_at=timezone.now() - timedelta(days=2)
    )


@pytest.fixture
def worker_dies_mid_send(settings, django_capture_on_commit_callbacks):
    """Send the customer's statement with a worker that dies right after handing the e-mail to the
    mail server; returns the e-mail message, left "sending" as kill -9 would leave it."""
    from console.messaging.models import OutboundMessage
    from console.messaging.selectors import period_of
    from console.messaging.statements import statement_send
    from tests.messaging.backends import WorkerDied

    def run(customer):
        real = settings.MESSAGING_BACKENDS
        settings.MESSAGING_BACKENDS = {**real, "email": "tests.messaging.backends.DiesAfterHandingOver"}
        with pytest.raises(WorkerDied), django_capture_on_commit_callbacks(execute=True):
            statement_send(customer_id=customer.pk, period=period_of(timezone.localdate()))
        settings.MESSAGING_BACKENDS = real
        return OutboundMessage.objects.get(customer=customer, channel="email")

    return run


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post a form as htmx does, with what it sends after commit sent."""

    def post_as(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, headers={"HX-Request": "true"})

    return post_as

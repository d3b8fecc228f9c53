"""The scheduled run (statements_send_due) and its embedded-mode command (send_statements)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from console.commerce.services import payment_receive
from console.messaging.models import OutboundMessage, Statement
from console.messaging.statements import statements_send_due
from tests.factories import CustomerFactory
from tests.messaging.conftest import letter_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_today(settings):
    today = timezone.localdate()
    settings.STATEMENT_DAY_OF_MONTH = today.day
    return today


@pytest.fixture
def debtors(make_debtor):
    """Two customers with open invoices, one who paid everything, one who never had an invoice."""
    first, second = make_debtor(), make_debtor(language="en", name="Emma Clarke")
    paid = make_debtor(name="Piet Betaald")
    for invoice in paid.invoices.all():
        payment_receive(invoice_id=invoice.pk, amount=invoice.amount, received_on=timezone.localdate())
    CustomerFactory(name="Nog Nooit Besteld")
    return first, second


def test_the_run_executed_twice_sends_once(debtors, due_today, letters, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first_run = statements_send_due(today=due_today)
    with django_capture_on_commit_callbacks(execute=True):
        second_run = statements_send_due(today=due_today)

    assert first_run.customers == 2 and second_run.customers == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.identifiers.get(kind="email").value for c in debtors)
    assert len(letter_files(letters)) == 2
    assert Statement.objects.count() == 2
    assert OutboundMessage.objects.filter(status="sent").count() == 4


def test_nothing_is_due_outside_the_statement_days(debtors, settings):
    today = timezone.localdate()
    settings.STATEMENT_DAY_OF_MONTH, settings.STATEMENT_LATE_DAYS = 28, 0
    not_due = today.replace(day=27)

    assert statements_send_due(today=not_due).period is None
    assert statements_send_due(today=today.replace(day=28)).period == f"{today:%Y-%m}"


def test_a_missed_day_is_caught_up_within_the_late_days(settings):
    today = timezone.localdate().replace(day=1)
    settings.STATEMENT_DAY_OF_MONTH, settings.STATEMENT_LATE_DAYS = 1, 3
    assert statements_send_due(today=today + timedelta(days=3)).period == f"{today:%Y-%m}"
    assert statements_send_due(today=today + timedelta(days=4)).period is None


def test_the_command_runs_the_job_and_reports_progress(debtors, due_today, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_statements")
    out = capsys.readouterr().out
    assert "2 customer(s) with open invoices: 2 sent, 0 could not be delivered" in out
    assert len(mail.outbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_statements")
    out = capsys.readouterr().out
    assert "2 customer(s) with open invoices: 0 sent, 0 could not be delivered" in out
    assert "2 skipped" in out
    assert len(mail.outbox) == 2


def test_the_command_says_when_nothing_is_due_and_sends_a_named_period_anyway(debtors, settings, capsys):
    today = timezone.localdate()
    settings.STATEMENT_DAY_OF_MONTH, settings.STATEMENT_LATE_DAYS = (28 if today.day < 28 else 1), 0
    call_command("send_statements", today=today.replace(day=27 if today.day < 28 else 2).isoformat())
    assert "No statements are due" in capsys.readouterr().out

    call_command("send_statements", period="2026-10")
    assert "2 sent" in capsys.readouterr().out
    assert set(Statement.objects.values_list("period", flat=True)) == {"2026-10"}
    assert Statement.objects.get(customer=debtors[0]).open_total == Decimal("860.50")

"""The four flags at their thresholds, computed by the one set-based query, with the clock frozen."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cases.data_quality import identity_check_record, mail_returned_record
from console.commerce.services import payment_receive, return_record
from console.customers.models import Customer
from console.flags.models import Flag, FlagChange, FlagPolicy
from console.flags.services import flags_recompute
from console.ui.money import euro_short
from tests.factories import CustomerFactory, add_invoice, add_order

pytestmark = pytest.mark.django_db
AMSTERDAM_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(AMSTERDAM_NOON, tick=False) as traveller:
        yield traveller


def flag(customer, kind) -> Flag:
    return Flag.objects.get(customer=customer, kind=kind)


def test_a_customer_without_invoices_is_ok(customer):
    flags_recompute(customer_id=customer.pk)
    assert (flag(customer, "credit").level, flag(customer, "credit").reason) == ("ok", "No open invoices")


def test_open_but_not_due_is_ok_with_the_amount(customer):
    add_invoice(customer, number="F-1", amount="1240.00", due_in=3)
    assert flag(customer, "credit").reason == "Nothing overdue, EUR 1,240 open"
    assert flag(customer, "credit").reason_without_amounts == "Nothing overdue"


def test_the_reason_reads_like_the_story(customer):
    add_invoice(customer, number="F-1", amount="740.00", days_overdue=47)
    add_invoice(customer, number="F-2", amount="500.00", days_overdue=20)
    credit = flag(customer, "credit")
    assert (credit.level, credit.reason) == ("hold", "2 invoices overdue, EUR 1,240 open, oldest 47 days")
    assert credit.reason_without_amounts == "2 invoices overdue, oldest 47 days"


@pytest.mark.parametrize(("days", "level"), [(1, "watch"), (30, "watch"), (31, "hold")])
def test_days_overdue_turn_watch_into_hold_after_the_policy_days(customer, days, level):
    add_invoice(customer, number="F-1", amount="100.00", days_overdue=days)
    assert flag(customer, "credit").level == level


@pytest.mark.parametrize(("amount", "level"), [("500.00", "watch"), ("500.01", "hold")])
def test_more_than_the_policy_amount_overdue_is_hold(customer, amount, level):
    add_invoice(customer, number="F-1", amount=amount, days_overdue=3)
    assert flag(customer, "credit").level == level


def test_a_payment_brings_credit_back_to_ok(customer):
    invoice = add_invoice(customer, number="F-1", amount="900.00", days_overdue=40)
    assert flag(customer, "credit").level == "hold"
    payment_receive(invoice_id=invoice.pk, amount=Decimal("900.00"), received_on=timezone.localdate())
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "credit").level == "ok"


def test_reminders_put_credit_on_hold_at_the_policy_count(customer):
    invoice = add_invoice(customer, number="F-1", amount="50.00", days_overdue=5)
    invoice.__class__.objects.filter(pk=invoice.pk).update(reminders_sent=2)
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "credit").level == "watch"
    assert flag(customer, "credit").reason.endswith("2 reminders sent")
    invoice.__class__.objects.filter(pk=invoice.pk).update(reminders_sent=3)
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "credit").level == "hold"


def test_an_admin_changes_the_thresholds_without_a_deploy(customer):
    add_invoice(customer, number="F-1", amount="100.00", days_overdue=10)
    assert flag(customer, "credit").level == "watch"
    FlagPolicy.objects.filter(pk=1).update(credit_hold_days_overdue=7)
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "credit").level == "hold"
    FlagPolicy.objects.filter(pk=1).update(credit_hold_days_overdue=30, credit_watch_days_overdue=14)
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "credit").level == "ok"


def test_an_invoice_turns_overdue_across_midnight_in_amsterdam(customer, frozen):
    add_invoice(customer, number="F-1", amount="100.00", days_overdue=0)  # due today
    frozen.move_to(datetime(2026, 11, 24, 23, 59, 59, tzinfo=timezone.get_default_timezone()))
    flags_recompute()
    assert flag(customer, "credit").level == "ok"
    frozen.move_to(datetime(2026, 11, 25, 0, 0, 1, tzinfo=timezone.get_default_timezone()))
    assert flags_recompute() == 1
    credit = flag(customer, "credit")
    assert (credit.level, credit.reason) == ("watch", "1 invoice overdue, EUR 100 open, oldest 1 day")
    assert credit.changed_because == "nightly recomputation"


def test_the_history_keeps_every_level_and_why(customer, frozen):
    add_invoice(customer, number="F-1", amount="100.00", days_overdue=0)
    frozen.shift(timedelta(days=1))
    flags_recompute()
    frozen.shift(timedelta(days=30))
    flags_recompute()
    steps = list(FlagChange.objects.filter(customer=customer, kind="credit").order_by("changed_at", "id"))
    assert [(s.level_before, s.level) for s in steps] == [("", "ok"), ("ok", "watch"), ("watch", "hold")]
    assert steps[-1].because == "nightly recomputation"
    assert flag(customer, "credit").changed_at == timezone.now()


def test_a_recomputation_that_finds_nothing_new_changes_nothing(customer):
    add_invoice(customer, number="F-1", amount="100.00", days_overdue=3)
    before = flag(customer, "credit").computed_at
    assert flags_recompute(customer_id=customer.pk) == 0
    assert flag(customer, "credit").computed_at == before
    assert FlagChange.objects.filter(customer=customer, kind="credit").count() == 1  # straight to watch


def lines(price):
    return [{"sku": "X", "description": "Item", "quantity": 1, "unit_price": price}]


@pytest.mark.parametrize(
    ("spend", "since_years", "level"),
    [
        ("499.99", 0, "none"),
        ("500.00", 0, "silver"),
        ("0", 3, "silver"),
        ("1999.99", 4, "silver"),
        ("2000.00", 0, "gold"),
        ("500.00", 5, "gold"),
    ],
)
def test_loyalty_tiers_at_their_thresholds(spend, since_years, level):
    customer = CustomerFactory()
    Customer.objects.filter(pk=customer.pk).update(customer_since=date(2026 - since_years, 11, 24))
    if Decimal(spend):
        add_order(customer, number="WS-1", lines=lines(spend))
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "loyalty").level == level


def test_orders_older_than_a_year_do_not_count(customer):
    add_order(customer, number="WS-1", lines=lines("2500.00"), placed_at=timezone.now() - timedelta(days=366))
    assert flag(customer, "loyalty").level == "none"
    assert flag(customer, "loyalty").reason == "EUR 0 spent in 12 months, customer for 0 years"


def test_returning_most_orders_costs_a_tier(customer):
    add_order(customer, number="WS-1", lines=lines("1500.00"))
    add_order(customer, number="WS-2", lines=lines("600.00"))
    assert flag(customer, "loyalty").level == "gold"
    for n, order in enumerate(["WS-1", "WS-2"]):
        return_record(
            customer_id=customer.pk,
            return_number=f"R-{n}",
            order_number=order,
            lines=[{"sku": "X", "quantity": 1}],
            reason="unwanted",
            status="requested",
            occurred_at=timezone.now(),
            source="webshop",
        )
    flags_recompute(customer_id=customer.pk)
    loyalty = flag(customer, "loyalty")
    assert loyalty.level == "silver"
    assert loyalty.reason == "EUR 2,100 spent in 12 months, customer for 0 years, 2 of 2 orders returned"


def test_returned_post_makes_the_address_undeliverable(customer):
    mail_returned_record(
        customer_id=customer.pk,
        mail_ref="M-1",
        reason="addressee_unknown",
        reason_label="addressee unknown",
        address="Dorpsstraat 1, 1234 AB Ergens",
        occurred_at=timezone.now(),
        source="postroom",
    )
    flags_recompute(customer_id=customer.pk)
    dq = flag(customer, "data_quality")
    assert dq.level == "undeliverable"
    assert dq.reason.startswith("Post returned: Dorpsstraat 1")


@pytest.mark.parametrize(
    ("expires", "level", "reason"),
    [
        (date(2026, 11, 23), "expired", "Paspoort expired on 23-11-2026"),
        (date(2026, 11, 24), "expiring", "Paspoort expires on 24-11-2026"),
        (date(2026, 12, 24), "expiring", "Paspoort expires on 24-12-2026"),
        (date(2026, 12, 25), "ok", "Paspoort valid until 25-12-2026"),
    ],
)
def test_id_document_at_its_edges(customer, expires, level, reason):
    identity_check_record(
        customer_id=customer.pk,
        document_type="Paspoort",
        document_last4="1234",
        expires_on=expires,
        result="valid",
        occurred_at=timezone.now(),
        source="courier",
    )
    flags_recompute(customer_id=customer.pk)
    assert (flag(customer, "id_document").level, flag(customer, "id_document").reason) == (level, reason)


def test_a_mismatch_at_the_door_is_flagged(customer):
    identity_check_record(
        customer_id=customer.pk,
        document_type="Rijbewijs",
        document_last4="9876",
        expires_on=date(2030, 1, 1),
        result="mismatch",
        occurred_at=timezone.now(),
        source="courier",
    )
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "id_document").reason == "Rijbewijs did not match at the last check"


def test_an_id_expires_overnight_without_any_event(customer, frozen):
    identity_check_record(
        customer_id=customer.pk,
        document_type="Paspoort",
        document_last4="1234",
        expires_on=date(2026, 11, 24),
        result="valid",
        occurred_at=timezone.now(),
        source="courier",
    )
    flags_recompute(customer_id=customer.pk)
    assert flag(customer, "id_document").level == "expiring"
    frozen.move_to(datetime(2026, 11, 25, 2, 0, tzinfo=timezone.get_default_timezone()))
    flags_recompute()
    assert flag(customer, "id_document").level == "expired"


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2))
def test_the_sql_writes_amounts_as_the_console_does(amount):
    customer = Customer.objects.first() or CustomerFactory()
    Flag.objects.filter(customer=customer).delete()
    customer.invoices.all().delete()
    add_invoice(customer, number="F-H", amount=str(amount), due_in=5)
    assert flag(customer, "credit").reason == f"Nothing overdue, {euro_short(amount)} open"


def test_the_nightly_job_runs_from_the_command_line_in_the_embedded_mode(customer, frozen, capsys):
    from django.core.management import call_command

    add_invoice(customer, number="F-1", amount="100.00", days_overdue=0)
    frozen.move_to(datetime(2026, 11, 25, 2, 0, tzinfo=timezone.get_default_timezone()))
    call_command("run_periodic", "flags-nightly")
    assert "flags-nightly done" in capsys.readouterr().out
    assert flag(customer, "credit").level == "watch"


def test_the_nightly_run_works_through_the_customers_in_chunks(settings, frozen):
    settings.FLAGS_RECOMPUTE_CHUNK = 2
    customers = [CustomerFactory() for _ in range(5)]
    for n, c in enumerate(customers):
        add_invoice(c, number=f"F-{n}", amount="100.00", days_overdue=0)
    frozen.move_to(datetime(2026, 11, 25, 2, 0, tzinfo=timezone.get_default_timezone()))
    assert flags_recompute() == 5
    assert set(Flag.objects.filter(kind="credit").values_list("level", flat=True)) == {"watch"}

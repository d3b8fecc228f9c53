from datetime import date, timedelta
from decimal import Decimal

import pytest

from console.flags.rules import (
    OpenInvoice,
    credit_verdict,
    data_quality_verdict,
    id_document_verdict,
    loyalty_verdict,
)

TODAY = date(2026, 11, 24)


def inv(amount, days_overdue):
    return OpenInvoice(open_amount=Decimal(amount), due_on=TODAY - timedelta(days=days_overdue))


def test_credit_is_ok_without_open_invoices():
    v = credit_verdict([], today=TODAY)
    assert (v.level, v.reason) == ("ok", "No open invoices")


def test_credit_is_ok_when_open_invoices_are_not_yet_due():
    v = credit_verdict([inv("900", -5)], today=TODAY)
    assert (v.level, v.reason) == ("ok", "Nothing overdue, EUR 900 open")


def test_an_invoice_due_today_is_not_overdue():
    assert credit_verdict([inv("100", 0)], today=TODAY).level == "ok"


def test_one_day_overdue_is_watch():
    v = credit_verdict([inv("100", 1)], today=TODAY)
    assert (v.level, v.reason) == ("watch", "1 invoice overdue, EUR 100 open, oldest 1 day")


@pytest.mark.parametrize(("days", "level"), [(30, "watch"), (31, "hold")])
def test_hold_starts_after_thirty_days_overdue(days, level):
    assert credit_verdict([inv("100", days)], today=TODAY).level == level


@pytest.mark.parametrize(("amount", "level"), [("500.00", "watch"), ("500.01", "hold")])
def test_hold_starts_above_eur_500_overdue(amount, level):
    assert credit_verdict([inv(amount, 3)], today=TODAY).level == level


def test_invoices_not_yet_due_do_not_count_towards_hold():
    v = credit_verdict([inv("10", 3), inv("600", -5)], today=TODAY)
    assert (v.level, v.reason) == ("watch", "1 invoice overdue, EUR 610 open, oldest 3 days")


def test_more_than_500_open_but_nothing_overdue_is_ok():
    assert credit_verdict([inv("5000", -1)], today=TODAY).level == "ok"


def test_the_reason_reads_like_the_story():
    v = credit_verdict([inv("740", 47), inv("500", 20)], today=TODAY)
    assert (v.level, v.reason) == ("hold", "2 invoices overdue, EUR 1,240 open, oldest 47 days")


@pytest.mark.parametrize(
    ("spend", "years", "tier"),
    [
        ("0", 0, "none"),
        ("499.99", 2, "none"),
        ("500", 0, "silver"),
        ("0", 3, "silver"),
        ("1999.99", 4, "silver"),
        ("2000", 0, "gold"),
        ("1000", 5, "gold"),
        ("999.99", 10, "silver"),
    ],
)
def test_loyalty_tier_at_its_edges(spend, years, tier):
    since = TODAY - timedelta(days=365 * years + (years // 4) + 1)
    v = loyalty_verdict(spend_12_months=Decimal(spend), customer_since=since, today=TODAY)
    assert v.level == tier
    assert f"customer for {years} year" in v.reason


def test_id_document_levels():
    assert id_document_verdict(expires_on=None, document_type="", today=TODAY).level == "missing"
    assert (
        id_document_verdict(expires_on=TODAY - timedelta(days=1), document_type="Paspoort", today=TODAY).reason
        == "Paspoort expired on 23-11-2026"
    )
    assert id_document_verdict(expires_on=TODAY, document_type="Paspoort", today=TODAY).level == "expiring"
    assert id_document_verdict(expires_on=TODAY + timedelta(days=30), document_type="", today=TODAY).level == "expiring"
    assert id_document_verdict(expires_on=TODAY + timedelta(days=31), document_type="", today=TODAY).level == "ok"


def test_data_quality_names_the_returned_address():
    v = data_quality_verdict(undeliverable=["Dorpsstraat 1, 1234 AB Ergens"])
    assert (v.level, v.reason) == ("undeliverable", "Post returned: Dorpsstraat 1, 1234 AB Ergens")

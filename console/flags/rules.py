"""The rules that turn a customer's facts into a flag level and a reason in words.

Pure functions of plain values, so every edge can be tested without a database.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from console.commerce.money import euro_short


@dataclass(frozen=True)
class OpenInvoice:
    open_amount: Decimal
    due_on: date


@dataclass(frozen=True)
class Verdict:
    level: str
    reason: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def credit_verdict(
    invoices: list[OpenInvoice], *, today: date, hold_days: int = 30, hold_amount: Decimal = Decimal("500")
) -> Verdict:
    """OK when nothing is overdue; watch when anything is; hold when the oldest overdue
    invoice is more than ``hold_days`` late, or more than ``hold_amount`` is overdue."""
    open_total = sum((i.open_amount for i in invoices), Decimal("0"))
    overdue = [i for i in invoices if i.due_on < today]
    if not overdue:
        if open_total:
            return Verdict("ok", f"Nothing overdue, {euro_short(open_total)} open")
        return Verdict("ok", "No open invoices")
    oldest = max((today - i.due_on).days for i in overdue)
    reason = (
        f"{_plural(len(overdue), 'invoice')} overdue, {euro_short(open_total)} open, oldest {_plural(oldest, 'day')}"
    )
    overdue_total = sum((i.open_amount for i in overdue), Decimal("0"))
    if oldest > hold_days or overdue_total > hold_amount:
        return Verdict("hold", reason)
    return Verdict("watch", reason)


def loyalty_verdict(*, spend_12_months: Decimal, customer_since: date, today: date) -> Verdict:
    """Gold: EUR 2,000+ in a year, or EUR 1,000+ and 5+ years. Silver: EUR 500+, or 3+ years."""
    years = (today - customer_since).days // 365
    why = f"{euro_short(spend_12_months)} spent in 12 months, customer for {_plural(years, 'year')}"
    if spend_12_months >= 2000 or (spend_12_months >= 1000 and years >= 5):
        return Verdict("gold", why)
    if spend_12_months >= 500 or years >= 3:
        return Verdict("silver", why)
    return Verdict("none", why)


def id_document_verdict(*, expires_on: date | None, document_type: str, today: date, check_result: str = "") -> Verdict:
    if check_result == "mismatch":
        return Verdict("mismatch", f"{document_type or 'ID document'} did not match at the last check")
    if expires_on is None:
        return Verdict("missing", "No ID document on file")
    label = document_type or "ID document"
    if expires_on < today:
        return Verdict("expired", f"{label} expired on {expires_on:%d-%m-%Y}")
    if (expires_on - today).days <= 30:
        return Verdict("expiring", f"{label} expires on {expires_on:%d-%m-%Y}")
    return Verdict("ok", f"{label} valid until {expires_on:%d-%m-%Y}")


def data_quality_verdict(*, undeliverable: list[str]) -> Verdict:
    if undeliverable:
        return Verdict("undeliverable", f"Post returned: {undeliverable[0]}")
    return Verdict("ok", "Address and contact details in order")

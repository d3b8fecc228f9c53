"""The invoice statement's text, in the customer's language (Dutch or English).

Amounts and dates are written the way a customer reading that language expects them
(``€ 1.240,00`` and ``08-10-2026`` in Dutch, ``EUR 1,240.00`` and ``8 Oct 2026`` in English);
the console itself keeps writing ``EUR 1,240.00`` (commerce.money).
"""

import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string

LANGUAGES = ("nl", "en")
MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "en": "January February March April May June July August September October November December".split(),
}
SUBJECTS = {"nl": "Rekeningoverzicht {period} - klantnummer {number}", "en": "Statement of account {period} - {number}"}
COPY_PREFIX = {"nl": "Kopie: ", "en": "Copy: "}


@dataclass
class StatementLine:
    invoice_id: int
    invoice_number: str
    issued_on: date
    due_on: date
    open_amount: Decimal
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def language_of(customer) -> str:
    return customer.language if customer.language in LANGUAGES else "nl"


def period_label(period: str, language: str = "en") -> str:
    """ "2026-11" as "November 2026" (English) or "november 2026" (Dutch)."""
    year, month = period.split("-")
    return f"{MONTHS[language][int(month) - 1]} {year}"


def money(amount: Decimal, language: str) -> str:
    if language == "nl":
        whole, cents = f"{Decimal(amount):,.2f}".split(".")
        return f"€ {whole.replace(',', '.')},{cents}"
    return f"EUR {Decimal(amount):,.2f}"


def day(value: date, language: str) -> str:
    if language == "nl":
        return f"{value:%d-%m-%Y}"
    return f"{value.day} {MONTHS['en'][value.month - 1][:3]} {value.year}"


def statement_render(*, customer, period: str, lines: list[StatementLine], today: date) -> tuple[str, str]:
    """(subject, body) of the statement, plain text, in the customer's language."""
    language = language_of(customer)
    open_total = sum((line.open_amount for line in lines), Decimal("0"))
    overdue_total = sum((line.open_amount for line in lines if line.overdue), Decimal("0"))
    context = {
        "name": customer.name,
        "customer_number": customer.customer_number,
        "period": period_label(period, language),
        "date": day(today, language),
        "lines": [
            {
                "number": line.invoice_number,
                "issued": day(line.issued_on, language),
                "due": day(line.due_on, language),
                "amount": money(line.open_amount, language),
                "overdue": line.overdue,
                "days_overdue": line.days_overdue,
            }
            for line in lines
        ],
        "open_total": money(open_total, language),
        "overdue_total": money(overdue_total, language) if overdue_total else "",
    }
    subject = SUBJECTS[language].format(period=context["period"], number=customer.customer_number)
    body = render_to_string(f"messaging/statement_{language}.txt", context)
    return subject, body.strip() + "\n"


def copy_subject(subject: str, language: str) -> str:
    return f"{COPY_PREFIX.get(language, COPY_PREFIX['nl'])}{subject}"


# Messages from admin-edited templates (MessageTemplate) ----------------------------------------

_FORMATTER = string.Formatter()


def _fields(text: str) -> list[tuple[str, str, str | None, str | None]]:
    """The template's pieces: (literal text, placeholder, format spec, conversion)."""
    return list(_FORMATTER.parse(text))


def template_problems(template) -> dict[str, str]:
    """What is wrong with an admin's template, per field: unbalanced braces, or a placeholder
    that is more than a plain name (``{name.attr}``, ``{x[0]}``, ``{x:>10}`` are refused, so a
    template can only ever insert the values the code hands it)."""
    problems = {}
    for field in ("subject_nl", "body_nl", "subject_en", "body_en"):
        try:
            pieces = _fields(getattr(template, field))
        except ValueError as exc:
            problems[field] = f"The braces do not match: {exc}. Write {{{{ and }}}} for a brace itself."
            continue
        bad = [
            name
            for _, name, spec, conversion in pieces
            if name is not None and (not name.isidentifier() or spec or conversion)
        ]
        if bad:
            problems[field] = f"Placeholders are plain names in braces, like {{name}}; not: {', '.join(bad)}."
    return problems


def text_fill(text: str, values: dict) -> str:
    """``text`` with each ``{placeholder}`` replaced by its value; one the code did not pass stays
    as it is written, so a typo in an admin's template shows instead of failing the send."""
    out = []
    for literal, name, _spec, _conversion in _fields(text):
        out.append(literal)
        if name is not None:
            out.append(str(values[name]) if name in values else "{" + name + "}")
    return "".join(out)


def message_render(template, *, language: str, values: dict) -> tuple[str, str]:
    """(subject, body) of an admin-edited template in the customer's language."""
    language = language if language in LANGUAGES else "nl"
    subject = getattr(template, f"subject_{language}") or template.subject_nl
    body = getattr(template, f"body_{language}") or template.body_nl
    return text_fill(subject, values).strip(), text_fill(body, values).strip() + "\n"

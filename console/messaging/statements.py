"""Invoice statements: each customer with open invoices, once per period, in their language.

``statement_send`` claims (customer, period) with a unique ``Statement`` row in the same
transaction that writes the queued messages, the timeline entry and the reminder counts, so
whatever runs it twice (the job twice, a re-delivered task, two agents at once) finds the claim
and sends nothing more. The messages themselves go out after commit, one task each
(``services.message_send``). docs/messaging.md.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability, require
from console.accounts.services import audit_event_record
from console.commerce.models import Invoice
from console.messaging import tasks
from console.messaging.models import OutboundMessage, Statement
from console.messaging.rendering import (
    StatementLine,
    copy_subject,
    language_of,
    period_label,
    statement_render,
)
from console.messaging.selectors import (
    Recipients,
    customers_due_statement_ids,
    statement_lines,
    statement_period_due,
    statement_recipients,
)
from console.reactions import CUSTOMER_CHANGED, happened
from console.timeline.models import Channel, TimelineEntry
from console.timeline.services import timeline_entry_record
from console.ui.money import euro

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TEMPLATE_KEY = "statement"


class Outcome:
    SENT = "sent"  # claimed, and a message queued per channel
    UNDELIVERABLE = "undeliverable"  # claimed, but no channel left: the timeline says why
    ALREADY_SENT = "already_sent"  # the period's statement was made before
    NOTHING_OPEN = "nothing_open"  # no open invoice (any more): no statement


@dataclass
class StatementResult:
    outcome: str
    statement: Statement | None = None
    messages: list[OutboundMessage] = field(default_factory=list)


def _require_sender(user) -> None:
    require(user, Capability.SEND_MESSAGES)
    require(user, Capability.VIEW_INVOICES)


def _check_period(period: str) -> None:
    if not PERIOD.match(period or ""):
        raise ValidationError(f"'{period}' is not a statement period (YYYY-MM).")


def statement_send(*, customer_id: int, period: str, requested_by=None) -> StatementResult:
    """Send the customer's statement for the period, unless it was sent before.

    The scheduled run calls it without ``requested_by``; an agent's request names the agent,
    who must be allowed to send messages and see invoices, and is told (ValidationError) when
    there is no channel to send it by instead of the run's timeline note.
    """
    if requested_by is not None:
        _require_sender(requested_by)
    _check_period(period)
    today = timezone.localdate()
    with transaction.atomic():
        lines = statement_lines(customer_id=customer_id, today=today)
        if not lines:
            return StatementResult(Outcome.NOTHING_OPEN)
        statement = _claim(customer_id=customer_id, period=period, lines=lines, requested_by=requested_by)
        if statement is None:
            existing = Statement.objects.get(customer_id=customer_id, period=period)
            _queued_handed_over(existing)
            return StatementResult(Outcome.ALREADY_SENT, existing)
        customer = statement.customer
        recipients = statement_recipients(customer=customer)
        if not recipients.found:
            if requested_by is not None:  # the agent is told; the claim rolls back with this
                raise ValidationError(f"The statement cannot be delivered: {'; '.join(recipients.missing)}.")
            _undeliverable_recorded(statement, lines, recipients)
            return StatementResult(Outcome.UNDELIVERABLE, statement)
        subject, body = statement_render(customer=customer, period=period, lines=lines, today=today)
        messages = _messages_queue(statement, recipients, subject=subject, body=body, requested_by=requested_by)
        _statement_recorded(statement, messages, recipients, lines=lines, requested_by=requested_by)
        _reminders_counted(customer_id, lines)
        if requested_by is not None:
            audit_event_record(
                actor=requested_by,
                action=AuditEvent.Action.SENT_STATEMENT,
                customer=customer,
                detail=f"Statement {period} by {_channel_words(recipients)}",
            )
    return StatementResult(Outcome.SENT, statement, messages)


def _claim(*, customer_id: int, period: str, lines: list[StatementLine], requested_by) -> Statement | None:
    """The unique row that makes this the period's only statement; None if one exists already.

    On PostgreSQL a second transaction inserting the same (customer, period) waits for the first
    to finish and then fails; the savepoint keeps the caller's transaction usable.
    """
    try:
        with transaction.atomic():
            return Statement.objects.create(
                customer_id=customer_id,
                period=period,
                requested_by=requested_by,
                invoice_count=len(lines),
                open_total=sum((line.open_amount for line in lines), Decimal("0")),
                overdue_total=sum((line.open_amount for line in lines if line.overdue), Decimal("0")),
            )
    except IntegrityError:
        return None


def _queued_handed_over(statement: Statement) -> None:
    """A task run again after its worker died just after commit may find messages whose send
    tasks were never started: start them (a second task for a message is harmless)."""

    queued = list(statement.messages.filter(status=OutboundMessage.Status.QUEUED).values_list("pk", flat=True))
    if queued:
        tasks.messages_send_on_commit(queued)


def _messages_queue(
    statement: Statement, recipients: Recipients, *, subject: str, body: str, requested_by, copy_on: date | None = None
) -> list[OutboundMessage]:

    customer = statement.customer
    messages = []
    for recipient in recipients.found:
        key = f"statement:{customer.pk}:{statement.period}:{recipient.channel}"
        if copy_on is not None:
            key = f"statement-copy:{customer.pk}:{statement.period}:{copy_on:%Y-%m-%d}:{recipient.channel}"
        messages.append(
            OutboundMessage.objects.create(
                customer=customer,
                channel=recipient.channel,
                template_key=TEMPLATE_KEY,
                language=language_of(customer),
                to_address=recipient.to_address,
                subject=subject,
                body=body,
                idempotency_key=key,
                statement=statement,
                is_copy=copy_on is not None,
                requested_by=requested_by,
                status_changed_at=timezone.now(),
            )
        )
    tasks.messages_send_on_commit([m.pk for m in messages])
    return messages


def _channel_words(recipients: Recipients) -> str:
    names = {"email": "e-mail", "post": "post"}
    return " and ".join(names[r.channel] for r in recipients.found)


def _totals_words(count: int, open_total: Decimal, overdue_total: Decimal) -> str:
    words = f"{count} open invoice{'s' if count != 1 else ''}, {euro(open_total)}"
    return words + (f", of which {euro(overdue_total)} overdue" if overdue_total else "")


def _line_words(line: StatementLine) -> str:
    late = f", {line.days_overdue} days overdue" if line.overdue else ""
    return f"{line.invoice_number}, due {line.due_on:%d-%m-%Y}: {euro(line.open_amount)}{late}"


def _timeline_channel(recipients: Recipients) -> str:
    return Channel.EMAIL if any(r.channel == "email" for r in recipients.found) else Channel.POST


def _statement_recorded(statement, messages, recipients, *, lines, requested_by, copy: bool = False) -> None:
    """The statement's one timeline entry: channels, totals and, when given, the invoices listed.

    Without ``lines`` (a copy of the original text) the totals are the statement's own.
    """
    what = "Copy of the invoice statement" if copy else "Invoice statement"
    if lines:
        open_total = sum((line.open_amount for line in lines), Decimal("0"))
        overdue_total = sum((line.open_amount for line in lines if line.overdue), Decimal("0"))
        totals = _totals_words(len(lines), open_total, overdue_total)
    else:
        totals = _totals_words(statement.invoice_count, statement.open_total, statement.overdue_total)
    to = [f"By {'e-mail' if r.channel == 'email' else 'post'} to {r.display}." for r in recipients.found]
    timeline_entry_record(
        customer_id=statement.customer_id,
        kind=TimelineEntry.Kind.STATEMENT,
        channel=_timeline_channel(recipients),
        direction=TimelineEntry.Direction.OUTBOUND,
        summary=f"{what} for {period_label(statement.period)} sent by {_channel_words(recipients)}: {totals}",
        body="\n".join(to + [_line_words(line) for line in lines]),
        actor_user=requested_by,
        actor_source="" if requested_by is not None else "statements",
        raw={"statement_id": statement.pk, "period": statement.period, "message_ids": [m.pk for m in messages]},
    )


def _undeliverable_recorded(statement: Statement, lines: list[StatementLine], recipients: Recipients) -> None:
    """No channel left: the claim stands (the run does not try again every day) and says why."""
    statement.undeliverable_because = "; ".join(recipients.missing)[:300]
    statement.save(update_fields=["undeliverable_because"])
    totals = _totals_words(statement.invoice_count, statement.open_total, statement.overdue_total)
    timeline_entry_record(
        customer_id=statement.customer_id,
        kind=TimelineEntry.Kind.STATEMENT,
        channel=Channel.SYSTEM,
        direction=TimelineEntry.Direction.INTERNAL,
        summary=f"Invoice statement for {period_label(statement.period)} could not be delivered",
        body=(
            f"Not sent: {'; '.join(recipients.missing)}. It would have listed {totals}. "
            "Once the e-mail address or the postal address is put right it can be sent from the invoices panel."
        ),
        actor_source="statements",
        raw={"statement_id": statement.pk, "period": statement.period, "undeliverable": recipients.missing},
    )


def _reminders_counted(customer_id: int, lines: list[StatementLine]) -> None:
    """Every overdue invoice on the statement had one more reminder; reminders count toward a credit hold."""

    overdue = [line.invoice_id for line in lines if line.overdue]
    if overdue:
        Invoice.objects.filter(pk__in=overdue).update(reminders_sent=F("reminders_sent") + 1)
        happened(CUSTOMER_CHANGED, customer_id=customer_id, because="invoice statement sent (a reminder)")


def statement_copy_send(*, customer_id: int, period: str, requested_by) -> StatementResult:
    """An agent sends the period's statement again ("I never got it"), at most once a day.

    The copy repeats the statement's own text, marked as a copy, to the customer's channels as
    they are now (often the reason is a corrected e-mail address). A copy is not a new reminder.
    When the statement could not be delivered at the time, this sends it as it stands today.
    """
    _require_sender(requested_by)
    _check_period(period)
    today = timezone.localdate()
    label = period_label(period)
    with transaction.atomic():
        statement = Statement.objects.select_related("customer").filter(customer_id=customer_id, period=period).first()
        if statement is None:
            raise ValidationError(f"No statement for {label} has been made yet; send the statement itself.")
        # The once-a-day claim: only one request can move the date to today.
        if not Statement.objects.filter(pk=statement.pk).exclude(last_copy_on=today).update(last_copy_on=today):
            raise ValidationError(f"A copy of the statement for {label} already went out today. Try again tomorrow.")
        customer = statement.customer
        recipients = statement_recipients(customer=customer)
        if not recipients.found:
            raise ValidationError(f"The statement cannot be delivered: {'; '.join(recipients.missing)}.")
        original = statement.messages.filter(is_copy=False).order_by("id").first()
        lines = statement_lines(customer_id=customer_id, today=today)
        if original is not None:
            subject, body = copy_subject(original.subject, original.language), original.body
        elif lines:
            subject, body = statement_render(customer=customer, period=period, lines=lines, today=today)
        else:
            raise ValidationError("There are no open invoices left to put on the statement.")
        messages = _messages_queue(
            statement, recipients, subject=subject, body=body, requested_by=requested_by, copy_on=today
        )
        shown = [] if original is not None else lines
        _statement_recorded(statement, messages, recipients, lines=shown, requested_by=requested_by, copy=True)
        audit_event_record(
            actor=requested_by,
            action=AuditEvent.Action.SENT_STATEMENT,
            customer=customer,
            detail=f"Copy of statement {period} by {_channel_words(recipients)}",
        )
    return StatementResult(Outcome.SENT, statement, messages)


@dataclass
class StatementRun:
    period: str | None
    customers: int = 0


def statements_send_due(*, today: date, period: str | None = None) -> StatementRun:
    """The scheduled run: a task per customer who is due a statement, from one set query.

    The ids are read in keyset chunks (never the whole table in memory) and each customer's
    statement is its own task, so a worker that dies mid-run loses at most the task it was
    running, which the broker delivers again. A run started twice enqueues customers twice at
    worst; the claim in ``statement_send`` makes the second task a no-op.
    """

    period = period or statement_period_due(today)
    if period is None:
        return StatementRun(period=None)
    _check_period(period)
    run = StatementRun(period=period)
    after = 0
    while ids := customers_due_statement_ids(period=period, after_id=after):
        for customer_id in ids:
            tasks.statement_send_task.delay(customer_id, period)
        run.customers += len(ids)
        after = ids[-1]
    return run

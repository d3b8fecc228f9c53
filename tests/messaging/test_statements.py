"""statement_send: the text, the channels, the timeline entry and the reminders."""

import pytest
from django.core import mail
from django.utils import timezone

from console.commerce.models import Invoice
from console.flags.models import Flag, FlagPolicy
from console.messaging.models import OutboundMessage, Statement
from console.messaging.selectors import period_of
from console.messaging.statements import Outcome, statement_send
from console.picture.fragments import entry_message
from console.timeline.models import TimelineEntry
from console.timeline.selectors import timeline_for_user
from tests.messaging.conftest import bounced, letter_files, undeliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send this period's statement the way the run does, messages and all (after commit)."""

    def run(customer, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return statement_send(customer_id=customer.pk, period=period_of(timezone.localdate()), **kwargs)

    return run


def statement_entries(customer):
    return list(TimelineEntry.objects.filter(customer=customer, kind=TimelineEntry.Kind.STATEMENT).order_by("seq"))


def test_a_dutch_customer_gets_the_statement_in_dutch_by_email_and_post(make_debtor, send, letters):
    customer = make_debtor(language="nl")
    result = send(customer)

    assert result.outcome == Outcome.SENT
    [email] = mail.outbox
    assert email.to == [customer.identifiers.get(kind="email").value]
    assert email.subject.startswith("Rekeningoverzicht")
    assert "Beste Jeroen de Vries" in email.body
    assert "Factuur INV-1-881" in email.body and "€ 740,00 (vervallen, 47 dagen te laat)" in email.body
    assert "Totaal open: € 860,50" in email.body and "Waarvan vervallen: € 740,00" in email.body
    [letter] = letter_files(letters)
    text = letter.read_text()
    assert text.startswith("Jeroen de Vries\nDorpsstraat 12\n3511 AB Utrecht")
    assert "Beste Jeroen de Vries" in text and "€ 860,50" in text
    assert set(OutboundMessage.objects.values_list("channel", "status")) == {("email", "sent"), ("post", "sent")}


def test_an_english_customer_gets_it_in_english(make_debtor, send, letters):
    customer = make_debtor(language="en", name="Emma Clarke")
    send(customer)

    [email] = mail.outbox
    assert email.subject.startswith("Statement of account")
    assert "Dear Emma Clarke" in email.body
    assert "Invoice INV-1-881" in email.body and "EUR 740.00 (overdue by 47 days)" in email.body
    assert "Total open: EUR 860.50" in email.body
    assert "Dear Emma Clarke" in letter_files(letters)[0].read_text()


def test_an_undeliverable_address_means_email_only(make_debtor, send, letters):
    customer = make_debtor()
    undeliverable(customer)
    send(customer)

    assert len(mail.outbox) == 1
    assert letter_files(letters) == []
    [entry] = statement_entries(customer)
    assert "sent by e-mail:" in entry.summary
    assert entry.channel == "email" and entry.direction == "outbound"


def test_a_bounced_email_means_post_only(make_debtor, send, letters):
    customer = make_debtor()
    bounced(customer)
    send(customer)

    assert mail.outbox == []
    assert len(letter_files(letters)) == 1
    [entry] = statement_entries(customer)
    assert "sent by post:" in entry.summary and entry.channel == "post"


def test_with_neither_nothing_goes_out_and_the_timeline_says_why_once(make_debtor, send, letters):
    customer = make_debtor()
    undeliverable(customer)
    bounced(customer)

    assert send(customer).outcome == Outcome.UNDELIVERABLE
    assert send(customer).outcome == Outcome.ALREADY_SENT

    assert mail.outbox == [] and letter_files(letters) == []
    assert OutboundMessage.objects.count() == 0
    [entry] = statement_entries(customer)
    assert entry.summary.endswith("could not be delivered")
    assert "bounced" in entry.body and "is undeliverable (Letter INV-881 returned: addressee unknown)" in entry.body
    # Nothing reached the customer, so no invoice had a reminder.
    assert set(Invoice.objects.filter(customer=customer).values_list("reminders_sent", flat=True)) == {0}


def test_a_customer_without_open_invoices_gets_no_statement(customer, send):
    assert send(customer).outcome == Outcome.NOTHING_OPEN
    assert mail.outbox == [] and not Statement.objects.exists()


def test_overdue_invoices_on_the_statement_count_a_reminder_and_the_credit_flag_follows(make_debtor, send):
    policy = FlagPolicy.current()
    policy.credit_hold_reminders, policy.credit_hold_days_overdue = 1, 90
    policy.credit_hold_amount_overdue = 5000
    policy.save()
    customer = make_debtor(overdue_days=5)
    assert Flag.objects.get(customer=customer, kind="credit").level == "watch"

    send(customer)

    reminders = dict(Invoice.objects.filter(customer=customer).values_list("invoice_number", "reminders_sent"))
    assert reminders == {"INV-1-881": 1, "INV-1-905": 0}  # only the overdue one was reminded
    assert Flag.objects.get(customer=customer, kind="credit").level == "hold"


def test_the_statement_is_one_timeline_entry_with_the_amounts(make_debtor, send, make_user):
    customer = make_debtor()
    send(customer)

    [entry] = statement_entries(customer)
    assert entry.summary.startswith("Invoice statement for ")
    assert "sent by e-mail and post: 2 open invoices, EUR 860.50, of which EUR 740.00 overdue" in entry.summary
    assert "INV-1-881, due" in entry.body and "47 days overdue" in entry.body
    assert entry.actor_source == "statements"
    page = timeline_for_user(user=make_user("phone"), customer_id=customer.pk)
    assert page.entries[0].summary == entry.summary


def test_store_staff_see_the_statement_entry_without_amounts(make_debtor, send, make_user):
    customer = make_debtor()
    send(customer)
    entry = statement_entries(customer)[0]

    page = timeline_for_user(user=make_user("store"), customer_id=customer.pk)
    shown = next(e for e in page.entries if e.pk == entry.pk)
    assert shown.summary == "Invoice statement (details are for finance roles)"
    assert shown.body == ""
    # The live push carries the same redaction for store consoles.
    pushed = entry_message(entry)["entry"]
    assert "EUR 860.50" in pushed["finance"]
    assert "EUR" not in pushed["store"] and "INV-1-881" not in pushed["store"]

"""Agents and workers racing for the same statement (PostgreSQL: real concurrent transactions)."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from console.messaging.models import OutboundMessage, Statement
from console.messaging.selectors import period_of
from console.messaging.statements import statement_copy_send, statement_send

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 6


def race(work) -> Counter:
    """Run ``work()`` in RACERS threads released at the same moment; count what each returned or raised."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL (set DATABASE_URL); SQLite has one writer")
    barrier, outcomes, lock = threading.Barrier(RACERS), Counter(), threading.Lock()

    def run():
        barrier.wait()
        try:
            result = work()
        except ValidationError as exc:
            result = f"refused: {exc.messages[0][:40]}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_racing_runs_claim_the_period_once(make_debtor):
    customer = make_debtor()
    period = period_of(timezone.localdate())

    outcomes = race(lambda: statement_send(customer_id=customer.pk, period=period).outcome)

    assert outcomes == Counter({"sent": 1, "already_sent": RACERS - 1})
    assert Statement.objects.count() == 1 and OutboundMessage.objects.count() == 2
    assert len(mail.outbox) == 1


def test_racing_agents_send_one_copy_a_day(make_debtor, make_user):
    customer, agent = make_debtor(), make_user("phone")
    period = period_of(timezone.localdate())
    statement_send(customer_id=customer.pk, period=period)

    outcomes = race(lambda: statement_copy_send(customer_id=customer.pk, period=period, requested_by=agent).outcome)

    assert outcomes["sent"] == 1 and sum(outcomes.values()) == RACERS
    assert OutboundMessage.objects.filter(is_copy=True).count() == 2

"""A Celery worker killed mid-run (kill -9) on the full stack: every customer still gets the
period's statement exactly once.

Real ``celery -A console worker`` processes on a redis-server of the test's own (so killing a
worker leaves nothing behind in anyone's Redis) and the test database (transactional test, so
the workers see the data). E-mail goes through Django's file backend into a temporary folder
behind a mail server that is slow to answer (tests/messaging/backends.py), so a worker is most
likely killed with a message handed over but not yet recorded as sent, the case where a naive
retry would send it twice. The second worker runs with a short visibility_timeout, so Redis
delivers the killed worker's unacknowledged task to it.
"""

import email
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from console.messaging.models import OutboundMessage, Statement
from console.messaging.selectors import period_of
from console.timeline.models import TimelineEntry
from tests.browser.asgi_server import ROOT, _database_env
from tests.live.processes import RedisServer, _tail, wait_for
from tests.live.stack import full_stack_only

pytestmark = full_stack_only("the worker-death test", what="it starts real Celery workers and kills one")

CUSTOMERS = 30
SHORT_VISIBILITY = {"visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}


class Worker:
    """One ``celery -A console worker`` process (solo pool: kill -9 takes the task with it)."""

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.log_path = log_dir / f"worker-{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "console", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


@pytest.fixture
def stack(tmp_path):
    """A private Redis, the environment the workers share, and every worker stopped afterwards."""
    redis = RedisServer(tmp_path)
    today = timezone.localdate()
    env = {
        **os.environ,
        **_database_env(),
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "tests.messaging.backends.SlowFileEmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "SLOW_MAIL_SECONDS": "0.25",
        "LETTERS_DIR": str(tmp_path / "letters"),
        "STATEMENT_DAY_OF_MONTH": str(today.day),
        "STATEMENT_CHANNELS": "email,post",
        "DB_POOL_MIN": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    workers = []

    class Stack:
        mail_dir = tmp_path / "mail"
        letters_dir = tmp_path / "letters"

        def worker(self, name, **extra):
            worker = Worker(name, {**env, **extra}, tmp_path)
            workers.append(worker)
            return worker

        def call(self, task: str, **kwargs):
            """What beat does: start a periodic task, here through ``celery call``."""
            command = [sys.executable, "-m", "celery", "-A", "console", "call", f"console.messaging.tasks.{task}"]
            command += ["--kwargs", json.dumps(kwargs)]
            subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)

        def start_run(self):
            self.call("statements_send_due_task", today=today.isoformat())

        def broker(self) -> tuple[int, int]:
            """(tasks waiting in the queue, tasks taken by a worker and not acknowledged)"""
            import redis as redis_client

            with redis_client.Redis.from_url(redis.url, socket_timeout=2) as r:
                return r.llen("celery"), r.hlen("unacked")

        def logs(self):
            waiting, unacked = self.broker()
            tails = "\n".join(f"--- {w.log_path.name}\n{_tail(w.log_path, 40)}" for w in workers)
            return f"broker: {waiting} waiting, {unacked} unacknowledged\n{tails}"

    yield Stack()
    for worker in workers:
        worker.stop()
    redis.stop()


@pytest.fixture
def debtors(make_debtor):
    """Customers with open invoices: by e-mail and post, by e-mail only, by post only."""
    customers = []
    for n in range(CUSTOMERS):
        kind = n % 3
        customers.append(
            make_debtor(
                name=f"Klant {n}",
                language="nl" if n % 2 else "en",
                email=None if kind == 2 else "auto",
                address=kind != 1,
            )
        )
    return customers


def mails_per_recipient(folder: Path) -> Counter:
    """Every e-mail Django's file backend wrote, from any process: {to address: count}."""
    counts = Counter()
    for path in folder.glob("*.log") if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                counts[email.message_from_bytes(chunk)["To"]] += 1
    return counts


def settled(period: str) -> bool:
    return (
        Statement.objects.filter(period=period).count() == CUSTOMERS
        and not OutboundMessage.objects.filter(status__in=OutboundMessage.PENDING).exists()
    )


@pytest.mark.parametrize("kill_when", ["claiming statements", "sending messages"])
def test_a_worker_killed_mid_run_still_sends_every_statement_once(stack, debtors, kill_when):
    period = period_of(timezone.localdate())
    first = stack.worker("first")
    stack.start_run()

    def mid_run():
        if kill_when == "claiming statements":
            return Statement.objects.filter(period=period).count() >= 3
        # An e-mail handed to the (slow) mail server, not yet recorded as sent.
        sent = OutboundMessage.objects.filter(status="sent").count()
        return sent >= 8 and OutboundMessage.objects.filter(status="sending", channel="email").exists()

    assert wait_for(mid_run, timeout=60, interval=0.02), f"the first worker never got going\n{stack.logs()}"
    if kill_when == "sending messages":
        time.sleep(0.05)  # well inside the mail server's 0.25 s answer
    first.kill()
    claimed_at_kill = Statement.objects.filter(period=period).count()
    sent_at_kill = OutboundMessage.objects.filter(status="sent").count()
    assert not settled(period), "the run was already over when the worker was killed: nothing was tested"

    # The new worker gets the dead one's unacknowledged task after 2 s instead of an hour. Its
    # safety net hands over messages still queued at once (instead of after 30 minutes).
    stack.worker(
        "second", CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(SHORT_VISIBILITY), MESSAGE_REQUEUE_AFTER_MINUTES="0"
    )
    assert wait_for(lambda: stack.broker() == (0, 0), timeout=90, interval=0.2), stack.logs()
    # Then the periodic jobs come round, as they would: the next statement run and the safety net.
    # They find work only if kill -9 struck between Redis handing a task over (BRPOP) and the
    # worker recording it as unacknowledged, a window in which Redis forgets the task.
    stack.start_run()
    stack.call("messages_resume_stalled_task")
    assert wait_for(lambda: settled(period), timeout=90, interval=0.2), (
        f"the run did not finish after the restart (claimed {claimed_at_kill}, sent {sent_at_kill} at the kill; "
        f"now {Counter(OutboundMessage.objects.values_list('status', flat=True))})\n{stack.logs()}"
    )

    # Every customer: one statement, one timeline entry for it, one message per channel they have.
    assert Statement.objects.filter(period=period).count() == CUSTOMERS
    entries = Counter(
        TimelineEntry.objects.filter(kind="statement", direction="outbound").values_list("customer_id", flat=True)
    )
    assert entries == Counter({c.pk: 1 for c in debtors})
    messages = OutboundMessage.objects.filter(statement__period=period)
    expected = sum(c.identifiers.filter(kind="email").exists() + c.addresses.exists() for c in debtors)
    assert messages.count() == expected
    # ... and no e-mail went out twice, whatever the worker was doing when it died.
    mails = mails_per_recipient(stack.mail_dir)
    addresses = {m.to_address for m in messages.filter(channel="email")}
    assert set(mails) <= addresses and max(mails.values()) == 1, mails.most_common(3)
    statuses = Counter(messages.values_list("status", flat=True))
    assert set(statuses) <= {"sent", "unknown"}, statuses
    # A message the dead worker had handed over but not recorded is "unknown", never sent again;
    # every other one is sent and arrived.
    unknown = list(messages.filter(status="unknown"))
    assert len(unknown) <= 1, unknown
    if kill_when == "sending messages":
        [lost] = unknown  # the one the worker died with: it did arrive, once
        assert lost.channel == "email" and mails[lost.to_address] == 1
    assert {m.to_address for m in messages.filter(channel="email", status="sent")} <= set(mails)
    # Letters are files named after their message, so one per letter whatever happened.
    assert len(list(stack.letters_dir.glob("*.txt"))) == messages.filter(channel="post").count()


def test_a_real_worker_retries_a_gateway_that_is_down_until_it_takes_the_text(stack, settings):
    """Celery's own retry, with its pause, on a real worker: the gateway answers 503 twice, then
    takes the SMS; one message, sent on the third attempt, every attempt with the same key."""
    from console.messaging.models import MessageTemplate
    from console.messaging.services import message_to_customer
    from tests.factories import CustomerFactory
    from tests.messaging.gateway import Gateway

    gateway = Gateway([(503, {"error": "maintenance"}), (503, {"error": "maintenance"}), (201, {"id": "gw-9"})])
    backend = "console.messaging.backends.http_gateway.HttpGatewayBackend"
    try:
        settings.MESSAGING_BACKENDS = {**settings.MESSAGING_BACKENDS, "sms": backend}
        settings.SMS_GATEWAY_URL = gateway.url
        MessageTemplate.objects.create(
            key="test_text", body_nl="Uw SIM-kaart is onderweg.", body_en="Your SIM is on its way."
        )
        customer = CustomerFactory(phone="06 12345678")
        # The first attempt happens here, in this process (tasks run in-process in the tests): 503.
        message, _ = message_to_customer(customer_id=customer.pk, template_key="test_text", channel="sms")
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("queued", 1)

        stack.worker("a", MESSAGING_SMS_BACKEND=backend, SMS_GATEWAY_URL=gateway.url, MESSAGE_RETRY_BASE_SECONDS="0.5")
        stack.call("message_send_task", message_id=message.pk)
        sent = wait_for(lambda: OutboundMessage.objects.get(pk=message.pk).status == "sent", timeout=60)
        assert sent, stack.logs()

        message.refresh_from_db()
        assert (message.attempts, message.backend_ref) == (3, "gw-9")
        assert [h["Idempotency-Key"] for h, _ in gateway.requests] == [message.idempotency_key] * 3
        assert "Retry in" in stack.logs()
    finally:
        gateway.close()

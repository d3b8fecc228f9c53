"""`manage.py simulate` against a real server: what a presenter or integrator would notice."""

import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from console.cases.models import Case
from console.conversations.models import Conversation
from console.customers.models import Address, Customer
from console.demo.simulation import ApiClient
from console.ingest.models import ApiToken, InboundEvent
from console.timeline.models import TimelineEntry
from tests.conftest import shipped_data_ensure


@pytest.fixture
def token(make_user):
    """The seeded story customers (S1-S5) and a simulator token, as `seed_demo` leaves them."""
    from console.demo.stories import stories_seed
    from console.demo.users import demo_users_ensure

    # A database flushed by an earlier transactional test: the answer rules (and the rest) back.
    shipped_data_ensure()
    stories_seed(demo_users_ensure("klantbeeld-demo"))
    return ApiToken.issue(source="simulator", scopes=["events:write", "customers:read", "customers:create"])[1]


def simulate(live_server, token, **options) -> str:
    out = StringIO()
    call_command("simulate", url=live_server.url, token=token, stdout=out, **options)
    return out.getvalue()


def statuses(output: str) -> dict[int, int]:
    """The counts by status from the summary line."""
    summary = next(line for line in output.splitlines() if line.startswith("Summary:"))
    return {int(status): int(n) for status, n in re.findall(r"\b(\d{3}): (\d+)", summary)}


@pytest.mark.django_db(transaction=True)
def test_background_traffic_is_stored_and_never_refused(live_server, token):
    entries, tasks = TimelineEntry.objects.count(), Case.objects.filter(kind=Case.Kind.DATA_QUALITY).count()

    output = simulate(live_server, token, count=20, rate=50, seed=7)

    # Every generated event is valid: all 20 stored, none refused, no server error.
    assert statuses(output) == {201: 20}, output
    assert InboundEvent.objects.filter(source="simulator").count() == 20
    # One entry per event, plus the task's own entry when a returned letter opens one, and the
    # inbox's note when a customer writes again after an answer (a reopened conversation).
    new_tasks = Case.objects.filter(kind=Case.Kind.DATA_QUALITY).count() - tasks
    reopened = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.CONVERSATION, summary__contains="reopened")
    assert TimelineEntry.objects.count() - entries == 20 + new_tasks + reopened.count()
    assert len({e.body["type"] for e in InboundEvent.objects.all()}) >= 4  # a mix, not one kind


@pytest.mark.django_db(transaction=True)
def test_background_messages_open_conversations_in_the_teams_inboxes(live_server, token):
    output = simulate(live_server, token, count=60, rate=100, seed=3)

    assert statuses(output) == {201: 60}, output
    asked = InboundEvent.objects.filter(
        type="interaction.recorded", body__data__direction="inbound", body__data__thread__isnull=False
    )
    assert asked.count() >= 5, "questions come in threads of their channel"
    threads = {e.body["data"]["thread"] for e in asked}
    opened = Conversation.objects.filter(thread__in=threads)
    # One conversation per thread, in the inbox of the team that answers the channel.
    assert opened.count() == len(threads)
    assert {c.team for c in Conversation.objects.all()} >= {"webcare"}
    assert Conversation.objects.filter(status="awaiting_reply").exists()
    # Now and then an agent's reply followed: that conversation waits on the customer.
    assert Conversation.objects.filter(status="waiting_on_customer", first_response_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_story_s2_leaves_two_returned_letters_and_the_address_undeliverable(live_server, token):
    output = simulate(live_server, token, story="s2", rate=50)

    assert statuses(output) == {201: 3}, output
    sanne = Customer.objects.get(customer_number="C-200002")
    assert sanne.timeline.filter(kind=TimelineEntry.Kind.MAIL_RETURNED).count() == 2
    assert sanne.addresses.get().status == Address.Status.UNDELIVERABLE
    # The tweet from @sjansen found her by handle alone, and the narration read the status back.
    assert sanne.timeline.filter(channel="twitter", direction="inbound").count() == 2
    assert "Dorpsstraat 1, 1234 AB Ergens: undeliverable" in output
    # Both tweets are one conversation, last night's and today's; webcare's reply answered it.
    conversation = Conversation.objects.get(customer=sanne)
    assert (conversation.thread, conversation.status) == ("tw-sjansen-letters", "waiting_on_customer")


def test_a_console_that_is_not_running_is_named_in_the_error():
    with pytest.raises(CommandError, match=r"Is the console running at http://127\.0\.0\.1:9\?"):
        call_command("simulate", url="http://127.0.0.1:9", token="kb_x", count=1, stdout=StringIO())


def test_429_is_waited_out_for_as_long_as_retry_after_says():
    answers = [(429, {"Retry-After": "0.05"}), (201, {})]
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers["Content-Length"]))
            status, headers = answers.pop(0)
            body = b'{"timeline_entry": {"seq": 1}}'
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ApiClient(f"http://127.0.0.1:{server.server_port}", "kb_x", on_throttle=seen.append)
        reply = client.post("/api/v1/events", {"id": "sim-1"})
    finally:
        server.shutdown()
    assert (reply.status, reply.throttled, seen) == (201, 1, [0.05])

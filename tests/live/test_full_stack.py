"""The live console on the full stack: real uvicorn processes sharing a real Redis, websocket
clients that keep their books as the browser does (docs/live.md), and faults: Redis stopped
and started, an ASGI process killed and replaced. Afterwards every client holds every entry
of its customer exactly once, compared with the database.

The Redis these tests use is a redis-server of their own on a free port, so stopping it
disturbs nothing else; the processes use the test database (transactional tests, so the
data is committed and visible to them).
"""

import asyncio
import time

import pytest

from console.ingest.models import ApiToken
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory, add_entries
from tests.live.calls import Poster
from tests.live.clients import LiveClient, compare, push_arrives
from tests.live.processes import wait_for
from tests.live.stack import full_stack_only

pytestmark = full_stack_only("the full-stack live tests", what="they run their own redis-server and uvicorn processes")

CLIENTS_PER_PROCESS = 10
CUSTOMERS = 4
RATE = 20  # events per second through the API


@pytest.fixture
def token(db):
    return ApiToken.issue(source="webshop", scopes=["events:write"])[1]


def committed(customer_ids) -> dict[int, dict[int, str]]:
    """Every committed entry of these customers: {customer id: {seq: summary}}."""
    expected = {pk: {} for pk in customer_ids}
    for customer_id, seq, summary in TimelineEntry.objects.filter(customer_id__in=customer_ids).values_list(
        "customer_id", "seq", "summary"
    ):
        expected[customer_id][seq] = summary
    return expected


def assert_pushed(listen_on, post_to, customer, cookie, token, stack) -> tuple[float, float]:
    """An entry posted through one process arrives as a push at a console on the other."""
    summary = f"Posted through {post_to.name} for a console on {listen_on.name}"
    try:
        client, seq, api, took = asyncio.run(
            push_arrives(listen_on, post_to, customer.pk, customer.customer_number, cookie, token, summary, stack.redis)
        )
    except TimeoutError:
        pytest.fail(
            f"no push reached the console on {listen_on.name} within 5 s\n"
            f"--- {listen_on.name}:\n{listen_on.errors()}\n--- {post_to.name}:\n{post_to.errors()}"
        )
    assert client.held[seq] == summary
    assert client.resumes == 0 and client.duplicates() == {}
    return api, took


def test_an_event_posted_to_one_process_reaches_a_client_of_another(stack, cookie, token):
    customer = CustomerFactory(name="Fatima El Amrani")
    add_entries(customer, 2)
    a, b = stack.server("a"), stack.server("b")
    api, took = assert_pushed(a, b, customer, cookie, token, stack)
    print(f"API call {api * 1000:.0f} ms; entry on the other process's console {took * 1000:.0f} ms after the call")


def start_fleet(stack, cookie):
    """Two processes, 20 clients (10 on each) on four customers, every customer watched from both
    processes; returns once every client shows its customer's timeline."""
    customers = [CustomerFactory() for _ in range(CUSTOMERS)]
    for customer in customers:
        add_entries(customer, 3)
    servers = [stack.server("a"), stack.server("b")]
    clients = [
        LiveClient(f"client{n}", servers[n % 2], customers[(n // 2) % CUSTOMERS].pk, cookie)
        for n in range(2 * CLIENTS_PER_PROCESS)
    ]
    fleet = stack.fleet(clients)
    expected = committed([c.pk for c in customers])
    if not wait_for(lambda: not compare(clients, expected), timeout=10):
        pytest.fail("the clients did not show their timelines at the start:\n" + "\n".join(compare(clients, expected)))
    return customers, servers, clients, fleet


def assert_caught_up(customers, clients, fleet):
    """Wait (up to 45 s) until every client holds every committed entry; then exactly once, nothing else.

    After a Redis restart each server process works through its stale pooled connections; on a
    loaded 2-core machine (the whole suite running) that has taken more than 20 s for one client.
    """
    expected = committed([c.pk for c in customers])
    total = sum(len(v) for v in expected.values())
    started = time.monotonic()
    wait_for(lambda: not compare(clients, expected), timeout=45, interval=0.2)
    took = time.monotonic() - started
    fleet.stop()
    problems = compare(clients, expected)
    assert not problems, (
        f"{len(problems)} of {len(clients)} clients differ from the database ({total} entries) "
        f"after {took:.1f} s:\n" + "\n".join(problems)
    )
    twice = sum(sum(n - 1 for n in c.duplicates().values()) for c in clients)
    print(
        f"{total} entries on {len(customers)} customers; {sum(c.connects > 1 for c in clients)} clients "
        f"reconnected; caught up {took:.1f} s after the last post; {twice} deliveries of an entry the "
        f"client already held (replay and late push overlapping; shown once)"
    )


def test_redis_stopped_and_started_loses_and_doubles_nothing(stack, cookie, token):
    customers, servers, clients, fleet = start_fleet(stack, cookie)
    poster = Poster(servers, token, [c.customer_number for c in customers], rate=RATE)
    try:
        poster.start()
        time.sleep(2)
        stack.redis.stop()
        down = time.monotonic()
        time.sleep(3)
        stack.redis.start()
        up = time.monotonic()
        time.sleep(3)
    finally:
        poster.stop()
    during = [r for r in poster.results if down <= r["at"] < up]
    failed = [r for r in poster.results if r["status"] != 201]
    assert during, "no event was posted while Redis was down"
    # The data path does not depend on Redis: events are stored and answered while it is down.
    assert not failed, (
        f"{len(failed)} of {len(poster.results)} API calls did not answer 201 "
        f"({sum(down <= r['at'] < up for r in failed)} while Redis was down): {failed[:3]}"
    )
    print(
        f"{len(poster.results)} events posted, {len(during)} while Redis was down "
        f"(slowest call then {max(r['took'] for r in during) * 1000:.0f} ms)"
    )
    assert_caught_up(customers, clients, fleet)
    # What was published while a process was cut off from Redis is gone, flag changes and screen
    # pops as well as entries: every console was told to reconnect and catch up (close 1012).
    told = [c for c in clients if any("1012" in close for close in c.closes)]
    assert len(told) == len(clients), f"{len(told)} of {len(clients)} consoles were told to catch up"
    a, b = servers
    assert_pushed(a, b, customers[0], cookie, token, stack)
    assert_pushed(b, a, customers[1], cookie, token, stack)


def test_an_asgi_process_killed_and_replaced_loses_and_doubles_nothing(stack, cookie, token):
    customers, servers, clients, fleet = start_fleet(stack, cookie)
    a, b = servers
    poster = Poster(servers, token, [c.customer_number for c in customers], rate=RATE)
    try:
        poster.start()
        time.sleep(2)
        killed = time.monotonic()
        a.kill()
        time.sleep(1)
        a.start()  # a new process on the same port
        back = time.monotonic()
        time.sleep(3)
    finally:
        poster.stop()
    # Calls to process a while it was dead get no answer; every other call is answered 201.
    failed = [
        r
        for r in poster.results
        if r["status"] != 201 and not (r["server"] == "a" and r["status"] == 0 and killed - 1 <= r["at"] < back)
    ]
    assert not failed, f"{len(failed)} of {len(poster.results)} API calls failed: {failed[:3]}"
    assert all(c.connects > 1 for c in clients if c.server is a), "the killed process's clients did not reconnect"
    print(
        f"{len(poster.results)} events posted, {sum(r['status'] == 0 for r in poster.results)} unanswered "
        f"while process a was down"
    )
    assert_caught_up(customers, clients, fleet)
    assert_pushed(a, b, customers[0], cookie, token, stack)
    assert_pushed(b, a, customers[1], cookie, token, stack)

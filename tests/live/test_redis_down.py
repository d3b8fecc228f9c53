"""Redis stopped on the full stack (a redis-server of the test's own; uvicorn processes on the test
database): the event API keeps storing events, what was posted meanwhile reaches every open
console once Redis is back, and a console connecting while Redis is away, or just after it came
back, gets a working console or a clean "try again later", never a dropped connection."""

import asyncio
import json
import time

import pytest

from console.ingest.models import ApiToken
from tests.factories import CustomerFactory, add_entries
from tests.live.calls import http, post_event
from tests.live.clients import LiveClient, compare
from tests.live.processes import wait_for
from tests.live.stack import full_stack_only
from tests.live.test_full_stack import committed

pytestmark = full_stack_only("the Redis-down tests", what="they stop and start a redis-server of their own")
EVENTS = 100
# The API's rate limit as deployed (counted in Redis), unlike the other full-stack tests.
RATE_LIMITED = {"API_RATE_LIMIT_PER_SECOND": "2000"}


@pytest.fixture
def token(db):
    return ApiToken.issue(source="webshop", scopes=["events:write", "customers:read"])[1]


def post_many(servers, token, customers, count) -> list[tuple[int, dict]]:
    """``count`` events, eight at a time, round robin over the servers and customers."""

    async def run():
        at_once = asyncio.Semaphore(8)

        async def one(n):
            async with at_once:
                server, customer = servers[n % len(servers)], customers[n % len(customers)]
                return await asyncio.to_thread(
                    post_event, server.url, token, customer.customer_number, f"while Redis was away {n}"
                )

        return await asyncio.gather(*(one(n) for n in range(count)))

    return asyncio.run(run())


def test_with_redis_stopped_events_are_stored_and_reach_the_open_consoles_when_it_is_back(stack, cookie, token):
    customers = [CustomerFactory() for _ in range(2)]
    for customer in customers:
        add_entries(customer, 2)
    servers = [stack.server("a", **RATE_LIMITED), stack.server("b", **RATE_LIMITED)]
    clients = [LiveClient(f"client{n}", servers[n % 2], customers[n // 2 % 2].pk, cookie) for n in range(4)]
    fleet = stack.fleet(clients)
    assert wait_for(lambda: not compare(clients, committed([c.pk for c in customers])), timeout=10)

    stack.redis.stop()
    started = time.monotonic()
    answers = post_many(servers, token, customers, EVENTS)
    took = time.monotonic() - started
    read = http(f"{servers[0].url}/api/v1/customers/{customers[0].pk}", headers={"Authorization": f"Bearer {token}"})
    stack.redis.start()

    statuses = [status for status, _body in answers]
    assert statuses == [201] * EVENTS, f"{statuses.count(201)} of {EVENTS} answered 201: {answers[:3]}"
    assert read[0] == 200, read[2][:300]
    print(f"{EVENTS} events posted with Redis stopped in {took:.1f} s, every one answered 201")
    expected = committed([c.pk for c in customers])
    assert sum(len(v) for v in expected.values()) == 4 + EVENTS
    wait_for(lambda: not compare(clients, expected), timeout=45, interval=0.2)
    fleet.stop()
    assert not compare(clients, expected), "\n".join(compare(clients, expected))


async def first_answer(server, customer_id: int, cookie: str) -> str:
    """Open a console and resume: "live" if the replay's seq message comes, else how it ended."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    try:
        async with connect(
            f"ws://127.0.0.1:{server.port}/ws/console/?customer={customer_id}",
            origin=server.url,
            additional_headers={"Cookie": cookie},
            proxy=None,
            open_timeout=5,
            max_size=None,
        ) as ws:
            await ws.send(json.dumps({"type": "resume", "after": 0}))
            while True:
                message = await asyncio.wait_for(ws.recv(), 10)
                if message.startswith("{") and json.loads(message).get("type") == "seq":
                    return "live"
    except ConnectionClosed as closed:
        return f"closed {closed.rcvd.code}" if closed.rcvd else "dropped without a close frame"


def test_a_console_connecting_while_redis_is_away_is_told_to_try_again_and_works_after(stack, cookie):
    customer = CustomerFactory()
    add_entries(customer, 2)
    servers = [stack.server("a"), stack.server("b")]
    for server in servers:  # each process has used Redis (layer, presence) before it goes away
        assert asyncio.run(first_answer(server, customer.pk, cookie)) == "live"

    stack.redis.stop()
    while_down = [asyncio.run(first_answer(server, customer.pk, cookie)) for server in servers]
    stack.redis.start()
    just_after = [asyncio.run(first_answer(server, customer.pk, cookie)) for server in servers]

    # 1013 "try again later": the page's socket reconnects by itself, with back-off.
    assert while_down == ["closed 1013", "closed 1013"], "\n".join(s.errors() for s in servers)
    assert just_after == ["live", "live"], "\n".join(s.errors() for s in servers)

"""The inbox at size: its pages with 50,000 open conversations, and an inbound message reaching
every open webcare inbox on the full stack.

Usage: python bench/inbox.py [--requests 200] [--explain] [--consoles 200] [--messages 10]
                             [--rate 0] [--pages-only | --live-only]

1. pages: server time of the inbox pages through Django's test client (as
   bench/customer_page.py), logged in as a webcare agent with conversations of their own, in a
   database of 50,000 open conversations (and 100,000 done ones) over 200 agents in the roles
   webcare, phone and store: ``/inbox/mine/``, ``/inbox/unassigned/``, ``/inbox/team/webcare/``,
   the same filtered to loyal customers, ``/inbox/breaching/``, the webcare list alone as a
   live page fetches it again (``HX-Request``), the counts in the navigation, and a manager's
   ``/inbox/unassigned/`` (every team's). A row is rendered once per change of what it shows
   and kept (console/conversations/rows.py), so these are the pages as agents mostly get them;
   "every row changed" is the webcare list with none of its rows kept (each request renders all
   50 again): what a page costs at worst. The number of queries of each, and the same with 50
   open conversations (the others deleted in a transaction that is rolled back).
   ``--explain`` prints EXPLAIN ANALYZE of each page's queries on the conversations.
2. live: ``--consoles`` webcare agents (each their own user and session) with a console open on
   ``/inbox/team/webcare/`` (a websocket on /ws/console/, which joins the agent's team group)
   on uvicorn with 2 workers, PostgreSQL and Redis; ``--messages`` inbound tweets (each a new
   thread) through POST /api/v1/events at ``--rate`` per second, or (0, the default) one at a
   time, the next a second after every console has it. Each conversation's row is pushed to
   the open inboxes, rendered once, with the teams' counts; the page places it and fetches
   nothing. Measured from just before each POST: the new conversation's row at each console.
   Lost: a console without it. The run's conversations are closed afterwards, so the database
   keeps its 50,000 open.

Needs PostgreSQL (BENCH_DATABASE_URL) and Redis (REDIS_URL; use a database of its own, e.g.
REDIS_URL=redis://127.0.0.1:6379/9: the team groups are shared by name). The first run seeds
klantbeeld_bench_inbox (about a minute); later runs reuse it.
"""

import argparse
import os
import statistics
import time

import _inbox_live
import _inbox_seed
import _server
import _setup

DB_NAME = "klantbeeld_bench_inbox"
OPEN, DONE, CUSTOMERS = 50_000, 100_000, 40_000
SMALL = 50
TARGET_PAGE_P95_MS, TARGET_LIVE_P99_MS = 50.0, 100.0
HTMX = {"HX-Request": "true"}


# (label, url, htmx, who): the pages an agent of the webcare team opens, the list as a live
# page fetches it again, the counts in the navigation (every page fetches them), and a
# manager's unassigned list (every team's).
PAGES = [
    ("mine", "/inbox/mine/", False, "agent"),
    ("unassigned", "/inbox/unassigned/", False, "agent"),
    ("team webcare", "/inbox/team/webcare/", False, "agent"),
    ("team webcare, loyal", "/inbox/team/webcare/?flag=loyal", False, "agent"),
    ("breaching soon", "/inbox/breaching/", False, "agent"),
    ("webcare list (htmx)", "/inbox/team/webcare/", True, "agent"),
    ("nav counts", "/inbox/counts/", True, "agent"),
    ("unassigned, manager", "/inbox/unassigned/", False, "manager"),
]


# The webcare list with none of its rows kept: every request renders all 50 again.
COLD = ("team webcare, every row changed", "/inbox/team/webcare/", False, "agent")


def measure(client, url: str, headers: dict, requests: int, *, cold: bool = False) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time of each request, in ms (``cold``: the cache emptied
    before each, outside the time measured)."""
    from django.core.cache import cache

    for _ in range(10):  # warm caches and the connection
        client.get(url, headers=headers)
    wall, cpu = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return wall, cpu


def query_counts(clients) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, url, htmx, who in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert clients[who].get(url, headers=HTMX if htmx else {}).status_code == 200
        found[label] = len(captured.captured_queries)
    return found


class _Rollback(Exception):
    pass


def small_query_counts(clients, user) -> dict[str, int]:
    """The query counts with only ``SMALL`` open conversations (some the agent's, some webcare's
    unassigned), the others deleted in a transaction that is rolled back."""
    from django.db import transaction

    from console.conversations.models import Conversation

    open_ = Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES)
    keep = (
        list(open_.filter(assignee=user).values_list("pk", flat=True)[:10])
        + list(open_.filter(team="webcare", assignee=None).values_list("pk", flat=True)[:20])
        + list(open_.exclude(team="webcare").values_list("pk", flat=True)[: SMALL - 30])
    )
    try:
        with transaction.atomic():
            Conversation.objects.exclude(pk__in=keep).delete()
            found = query_counts(clients)
            raise _Rollback
    except _Rollback:
        pass
    return found


def explain(clients) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, url, htmx, who in PAGES:
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(url, headers=HTMX if htmx else {})
        print(f"\n=== {label}: {url}")
        for query in captured.captured_queries:
            if "conversations_conversation" not in query["sql"]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            print(f"--- {query['sql'][:300]}")
            print("\n".join(plan))


def seed() -> None:
    from console.conversations.models import Conversation
    from console.customers.models import Customer

    have = Customer.objects.filter(customer_number__startswith="B-").count()
    if have < CUSTOMERS:
        _setup.seed_bulk(customers=CUSTOMERS - have, entries_per_customer=0)
    if not Conversation.objects.filter(thread__startswith="bench-").exists():
        ids = list(Customer.objects.filter(customer_number__startswith="B-").values_list("pk", flat=True))
        _inbox_seed.conversations_seed(ids, open_count=OPEN, done_count=DONE)
    _inbox_seed.agents_ensure()


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def run_pages(args) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from console.conversations.models import Conversation

    user = get_user_model().objects.get(username=f"{_inbox_seed.AGENT_PREFIX}webcare-001")
    clients = {"agent": Client(), "manager": Client()}
    clients["agent"].force_login(user)
    clients["manager"].force_login(get_user_model().objects.get(username="manager"))
    open_ = Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES)
    print(
        f"inbox pages, server time over {args.requests} requests as a webcare agent "
        f"({open_.filter(assignee=user).count()} of their own), {open_.count():,} open and "
        f"{Conversation.objects.filter(status='done').count():,} done conversations, "
        f"{open_.filter(team='webcare').count():,} open in webcare, {open_.filter(assignee=None).count():,} "
        f"unassigned; load average {load_average()}"
    )
    print("  (cpu: this process's CPU time per request, the page without the database's; steadier under load)")
    if args.explain:
        explain(clients)
    big = query_counts(clients)
    worst = 0.0
    for label, url, htmx, who in [*PAGES, COLD]:
        cold = label == COLD[0]
        wall, cpu = measure(clients[who], url, HTMX if htmx else {}, args.requests, cold=cold)
        stats = _setup.percentiles(wall)
        if not cold:
            worst = max(worst, stats["p95"])
        flag = "" if stats["p95"] <= TARGET_PAGE_P95_MS else "  <- over the target"
        print(
            f"  {label:>31}: {_setup.fmt(stats)}  cpu p50 {statistics.median(cpu):5.1f} ms  "
            f"{big['team webcare' if cold else label]:2} queries{flag}"
        )
    small = small_query_counts(clients, user)
    same = small == big
    print(
        f"  queries with {SMALL} open conversations: "
        + ", ".join(f"{label} {n}" for label, n in small.items())
        + f" ({'the same as' if same else 'NOT the same as'} with {open_.count():,})"
    )
    print(
        f"  target p95 <= {TARGET_PAGE_P95_MS:.0f} ms: {verdict(worst <= TARGET_PAGE_P95_MS)} (worst {worst:.1f} ms); "
        f"same queries at {SMALL} and {open_.count():,}: {verdict(same)}; load average {load_average()}"
    )


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="pages: requests per page (200)")
    parser.add_argument("--explain", action="store_true", help="pages: EXPLAIN ANALYZE of the pages' queries")
    parser.add_argument("--consoles", type=int, default=200, help="live: webcare consoles (200)")
    parser.add_argument("--messages", type=int, default=10, help="live: inbound tweets measured (10)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="live: tweets per second; 0 (default): one at a time, the next 1 s after every console has it",
    )
    parser.add_argument("--grace", type=float, default=30, help="live: seconds to wait for late rows (30)")
    parser.add_argument("--port", type=int, default=8023)
    parts = parser.add_mutually_exclusive_group()
    parts.add_argument("--pages-only", action="store_true")
    parts.add_argument("--live-only", action="store_true")
    args = parser.parse_args()

    os.environ["SECRET_KEY"] = _server.SECRET_KEY  # the live part's session cookies must verify on the server
    _setup.database(DB_NAME)
    seed()
    print(f"{os.cpu_count()} cores; load average at the start {load_average()}")
    if not args.live_only:
        run_pages(args)
    if not args.pages_only:
        _inbox_live.main(args)
    print(f"load average at the end {load_average()}")


if __name__ == "__main__":
    main()

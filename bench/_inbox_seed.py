"""bench/inbox.py's data: agents in the team roles, customers, flags and conversations, bulk inserted.

BYPASS, ON PURPOSE AND ONLY HERE (as console/demo/bulk.py does for timeline entries): the
conversations are written with bulk_create, not through ``conversation_hear``, which would
write a timeline entry and tell every open inbox for each of them. The rows are what the
service leaves: open ones awaiting a reply (due ``INBOX_FIRST_RESPONSE_MINUTES`` after the
customer wrote, or ``INBOX_NEXT_RESPONSE_MINUTES`` once answered before) or waiting on the
customer (no due time), and done ones (history, which every list must skip).

Django is only set up when the benchmark runs (_setup.database), so the functions import what
they need when called.
"""

import random
import time
from datetime import timedelta

SEED = 15
AGENT_PREFIX = "bench-inbox-"
# The agents of the team roles: 200, most of them webcare (the team on the social channels).
AGENTS = {"webcare": 100, "phone": 60, "store": 40}
# Which team answers which channels (the answer rules of conversations/defaults.py; the store
# team's come from cases linked to a store visit, here WhatsApp and e-mail).
TEAMS = {
    "webcare": (0.5, ["twitter", "facebook", "instagram", "whatsapp", "chat", "chatbot"]),
    "phone": (0.2, ["sms"]),
    "store": (0.1, ["whatsapp", "email"]),
    "back_office": (0.2, ["email", "post"]),
}
ASSIGNED = 0.6
WAITING_ON_CUSTOMER = 0.2  # of the open ones
WORDS = [
    "Waar blijft mijn bestelling?",
    "Ik wil mijn adres wijzigen",
    "De factuur klopt niet",
    "Hoe kan ik dit retourneren?",
    "Mijn pakket is beschadigd aangekomen",
    "Kan ik nog iets aan mijn bestelling toevoegen?",
]
BATCH = 5000


def agents_ensure() -> dict[str, list[int]]:
    """The bench's agents (``bench-inbox-webcare-001``...) by role, created when missing."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    by_role: dict[str, list[int]] = {}
    for role, count in AGENTS.items():
        group = Group.objects.get(name=role)
        names = [f"{AGENT_PREFIX}{role}-{n:03d}" for n in range(1, count + 1)]
        have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        made = User.objects.bulk_create(
            [User(username=u, first_name=role.title(), last_name=u.rsplit("-", 1)[1]) for u in names if u not in have]
        )
        made = User.objects.filter(username__in=[u.username for u in made])
        group.user_set.add(*made)
        by_role[role] = list(User.objects.filter(username__in=names).order_by("username").values_list("pk", flat=True))
    return by_role


def webcare_users(count: int) -> list[int]:
    """``count`` webcare agents for the live part: the seeded ones first, then extra ones
    (``bench-inbox-live-001``...) with no conversations of their own."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    seeded = list(
        User.objects.filter(username__startswith=f"{AGENT_PREFIX}webcare-")
        .order_by("username")
        .values_list("pk", flat=True)
    )
    extra = [f"{AGENT_PREFIX}live-{n:03d}" for n in range(1, max(0, count - len(seeded)) + 1)]
    have = set(User.objects.filter(username__in=extra).values_list("username", flat=True))
    User.objects.bulk_create([User(username=u, first_name="Live", last_name=u[-3:]) for u in extra if u not in have])
    Group.objects.get(name="webcare").user_set.add(*User.objects.filter(username__in=extra))
    return (seeded + list(User.objects.filter(username__in=extra).order_by("username").values_list("pk", flat=True)))[
        :count
    ]


def flags_seed(customer_ids: list[int], rng: random.Random) -> int:
    """Loyalty flags (5% gold, 10% silver, the rest no tier) and credit flags (3% hold, 5%
    watch): bulk mode computes none, and the flag filter needs some."""
    from django.utils import timezone

    from console.flags.models import Flag

    now = timezone.now()
    rows = []
    for cid in customer_ids:
        r = rng.random()
        loyalty = "gold" if r < 0.05 else "silver" if r < 0.15 else "none"
        rows.append(Flag(customer_id=cid, kind="loyalty", level=loyalty, reason="bench", computed_at=now))
        r = rng.random()
        credit = "hold" if r < 0.03 else "watch" if r < 0.08 else "ok"
        rows.append(Flag(customer_id=cid, kind="credit", level=credit, reason="bench", computed_at=now))
    Flag.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _conversation(Conversation, rng, now, customer_id, n, by_role, *, open_: bool):
    r, team = rng.random(), "back_office"
    for name, (weight, _channels) in TEAMS.items():
        if r < weight:
            team = name
            break
        r -= weight
    channel = rng.choice(TEAMS[team][1])
    pool = by_role.get(team) or [pk for pks in by_role.values() for pk in pks]
    assignee = rng.choice(pool) if rng.random() < ASSIGNED else None
    # How long the customer has waited: most a few minutes to an hour, a tail of days.
    waited = timedelta(minutes=min(rng.expovariate(1 / 45), 3 * 24 * 60))
    opened = now - waited - timedelta(minutes=rng.uniform(0, 600))
    answered = rng.random() < 0.5
    row = Conversation(
        customer_id=customer_id,
        channel=channel,
        thread=f"bench-{n}",
        team=team,
        assignee_id=assignee,
        last_words=rng.choice(WORDS),
        opened_at=opened,
        first_response_at=opened + timedelta(minutes=5) if answered else None,
    )
    if not open_:
        row.status, row.done_at, row.done_by_id = (
            "done",
            now - timedelta(minutes=rng.uniform(0, 60 * 24 * 30)),
            assignee,
        )
    elif rng.random() < WAITING_ON_CUSTOMER:
        row.status = "waiting_on_customer"
        row.first_response_at = row.first_response_at or opened + timedelta(minutes=5)
    else:
        row.status, row.waiting_since = "awaiting_reply", now - waited
        minutes = 240 if answered else 60  # INBOX_NEXT / FIRST_RESPONSE_MINUTES
        row.due_at = row.waiting_since + timedelta(minutes=minutes)
    return row


def conversations_seed(customer_ids: list[int], *, open_count: int, done_count: int, write=print) -> None:
    """``open_count`` open and ``done_count`` done conversations over the customers, each its own
    thread; then VACUUM ANALYZE, as bulk loads must (docs/performance.md, Search)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from console.conversations.models import Conversation

    by_role = agents_ensure()
    rng = random.Random(SEED)
    started, now = time.monotonic(), timezone.now()
    write(f"flags: {flags_seed(customer_ids, rng):,}")
    total, n = open_count + done_count, 0
    while n < total:
        size = min(BATCH, total - n)
        with transaction.atomic():
            Conversation.objects.bulk_create(
                [
                    _conversation(Conversation, rng, now, rng.choice(customer_ids), i, by_role, open_=i < open_count)
                    for i in range(n, n + size)
                ]
            )
        n += size
    write(f"conversations: {open_count:,} open, {done_count:,} done in {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        # VACUUM too: counts read the indexes alone only on pages the visibility map calls
        # all-visible, which autovacuum would see to a while after the load.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE conversations_conversation, flags_flag, auth_user, auth_user_groups")

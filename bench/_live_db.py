"""bench/live.py's reads and writes of the database through Django's ORM.

Django is only set up when the benchmark runs (_setup.database), after these modules are
imported, so each function imports the models it needs when it is called. The reads run in
threads (asyncio.to_thread): the ORM may not run on the event loop.
"""

import collections


def db_latest(ids: list[int]) -> dict[int, int]:
    from django.db import connections

    from console.customers.models import Customer

    try:
        return dict(Customer.objects.filter(pk__in=ids).values_list("id", "last_seq"))
    finally:
        connections.close_all()


def db_entries(baseline: dict[int, int]) -> dict[int, set[int]]:
    """Every entry of these customers after their baseline seq."""
    from django.db import connections

    from console.timeline.models import TimelineEntry

    found = collections.defaultdict(set)
    try:
        for cid, seq in TimelineEntry.objects.filter(customer_id__in=list(baseline)).values_list("customer_id", "seq"):
            if seq > baseline[cid]:
                found[cid].add(seq)
    finally:
        connections.close_all()
    return found


def session_cookie() -> str:
    """A user of role ``phone``, logged in the way the test client does it."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from console.accounts.roles import Role

    user, _ = get_user_model().objects.get_or_create(
        username="bench-live", defaults={"first_name": "Bench", "last_name": "Live"}
    )
    user.groups.add(Group.objects.get(name=Role.PHONE))
    browser = Client()
    browser.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"

"""bench/inbox.py's reads and writes of the database for its live part, through Django's ORM.

Django is only set up when the benchmark runs (_setup.database), after these modules are
imported, so each function imports the models it needs when it is called; the live part calls
them in threads (the ORM may not run on the event loop).
"""

import _inbox_seed

SOURCE = "bench-inbox"


def db_agents(count: int) -> tuple[list[str], bool]:
    """A session cookie for each of ``count`` webcare agents (logged in as the test client does),
    and whether the webcare team's automatic assignment is on (it would push to agents too)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    from console.conversations.models import InboxTeam

    found = []
    for user in get_user_model().objects.filter(pk__in=_inbox_seed.webcare_users(count)):
        browser = Client()
        browser.force_login(user)
        found.append(f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}")
    auto = InboxTeam.objects.filter(team="webcare", auto_assign=True).exists()
    connections.close_all()
    return found, auto


def db_setup() -> tuple[str, list[str]]:
    """An API token for the event API, and e-mail addresses of customers to tweet from."""
    from django.db import connections

    from console.customers.models import Identifier
    from console.ingest.models import ApiToken

    _token, plain = ApiToken.issue(source=SOURCE, scopes=["events:write"])
    emails = list(
        Identifier.objects.filter(kind=Identifier.Kind.EMAIL, customer__customer_number__startswith="B-")
        .order_by("customer_id")
        .values_list("value", flat=True)[:1000]
    )
    connections.close_all()
    return plain, emails


def db_open_in_webcare() -> int:
    from django.db import connections

    from console.conversations.models import Conversation

    try:
        return Conversation.objects.filter(status__in=Conversation.OPEN_STATUSES, team="webcare").count()
    finally:
        connections.close_all()


def db_cleanup(run: str) -> int:
    """Close this run's conversations (the database keeps its 50,000 open) and revoke its tokens."""
    from django.db import connections
    from django.utils import timezone

    from console.conversations.models import Conversation
    from console.ingest.models import ApiToken

    try:
        ApiToken.objects.filter(source=SOURCE, revoked_at__isnull=True).update(revoked_at=timezone.now())
        return Conversation.objects.filter(thread__startswith=run).update(
            status=Conversation.Status.DONE, done_at=timezone.now(), due_at=None, waiting_since=None
        )
    finally:
        connections.close_all()

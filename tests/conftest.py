import asyncio
import contextlib
import os

import pytest
import pytest_asyncio
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from console.accounts.roles import role_groups_ensure
from tests.factories import CustomerFactory, UserFactory

ROLES = ["webcare", "phone", "store", "manager", "admin"]
# Pub/sub channels belong to the whole Redis server, so two test runs against one Redis (a
# developer's and CI's) would hear each other's pushes: this run's channels carry its own
# prefix, and the servers and workers the tests start inherit it (console/settings.py).
CHANNEL_PREFIX = os.environ.setdefault("CHANNEL_PREFIX", f"test{os.getpid()}")


@pytest.fixture
def make_user(db):
    # Transactional tests flush the database, groups included; put the roles back.
    role_groups_ensure(group_model=Group, permission_model=Permission, content_type_model=ContentType)

    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Jeroen de Vries", customer_number="C-200001", email="J.deVries@Example.nl", phone="06 12345678"
    )


@pytest.fixture
def restrict(db):
    """Restrict a customer to a group (made if need be) through the service the admin uses; the
    group, to add members to. ``group=None`` lifts the restriction."""
    from console.customers.services import customer_restrict

    def restrict_to(customer, group="Personeelszaken", *, by=None):
        found = Group.objects.get_or_create(name=group)[0] if group is not None else None
        customer_restrict(customer_id=customer.pk, group=found, user=by)
        customer.restricted_to = found
        return found

    return restrict_to


@pytest.fixture
def client_as(client, make_user):
    """A test client logged in as a fresh user with the given role."""

    def login(role):
        user = make_user(role)
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture(autouse=True, scope="session")
def celery_runs_tasks_in_process():
    """Tasks run in the test's own process, so a test sees their effect at once.

    The broker path itself is tested with a real worker on Redis in tests/flags/test_tasks.py.
    """
    from console.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def issue_token(db):
    from console.ingest.models import ApiToken

    def issue(source="webshop", scopes=("events:write", "customers:read")):
        return ApiToken.issue(source=source, scopes=list(scopes))[1]

    return issue


@pytest.fixture
def api(client, issue_token, django_capture_on_commit_callbacks):
    """Post events and read the API as a source system; follow-up tasks run on commit."""

    class Api:
        token = issue_token()

        def post(self, body, *, token=None, path="/api/v1/events", content_type="application/json", raw=None):
            import json

            data = raw if raw is not None else json.dumps(body)
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(
                    path,
                    data=data,
                    content_type=content_type,
                    headers={"Authorization": f"Bearer {token or self.token}"},
                )

        def get(self, path, *, token=None, **params):
            return client.get(path, params, headers={"Authorization": f"Bearer {token or self.token}"})

    return Api()


@pytest.fixture(autouse=True)
def fresh_channel_layer(settings):
    """Each test gets its own channel layer. Production runs one event loop per process; tests
    run one per async test, and a Redis layer's locks belong to the loop that first used them.
    On Redis its channels carry this run's prefix (settings may have been read before the
    prefix was set)."""
    from channels.layers import channel_layers

    layers = {alias: dict(layer) for alias, layer in settings.CHANNEL_LAYERS.items()}
    config = layers["default"].get("CONFIG")
    if config is not None:
        layers["default"]["CONFIG"] = {**config, "prefix": CHANNEL_PREFIX}
    settings.CHANNEL_LAYERS = layers
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest_asyncio.fixture
async def websockets():
    """The console websockets a test opens, closed at its end inside the test's own event loop,
    as a browser closes its page: left open, their consumers would be cancelled with the loop."""
    opened = []
    yield opened
    for communicator in opened:
        # A consumer that ended already (refused, closed by the test, or cancelled by a receive
        # that timed out in a failed test) has nothing to close. Its CancelledError, re-raised
        # here, is no Exception: it broke off pytest's teardown before the database was flushed,
        # and every later test started with this one's rows ("previous item was not torn down").
        if communicator.future.done():
            continue
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect(timeout=2)


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    """The folder SMS and social replies "go out" to by default: a fresh one for every test."""
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    return tmp_path / "outbox"


# What data migrations ship (module, function): a transactional test's flush takes it away.
SHIPPED_DATA = [
    ("console.messaging.migrations.0002_message_templates_sms_social", "templates_add"),
    ("console.callbacks.migrations.0002_callback_message_templates", "templates_add"),
    ("console.cases.migrations.0003_complaint_deadlines_default", "add_deadlines"),
    ("console.cases.migrations.0005_complaint_answer_template", "templates_add"),
    ("console.journeys.migrations.0002_number_porting_and_wrong_item_journeys", "journeys_add"),
    ("console.conversations.migrations.0002_default_answer_rules", "rules_add"),
    ("console.conversations.migrations.0004_sla_defaults", "defaults_add"),
    ("console.conversations.migrations.0006_inbox_teams", "teams_add"),
]


def shipped_data_ensure() -> None:
    """Put back what the data migrations ship (message templates, complaint deadlines, journey
    templates, the inbox's answer rules, SLA policies, opening hours and team settings), by running the
    migrations' own functions, which are safe to run again."""
    import importlib

    from django.apps import apps
    from django.core.cache import cache

    from console.conversations.answer_rules import CACHE_KEY as ANSWER_RULES_KEY
    from console.conversations.sla import CACHE_KEY as SLA_RULES_KEY
    from console.journeys.selectors import LISTENED_KEY, STARTABLE_KEY

    for module, function in SHIPPED_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
    # The server caches which events journeys listen to, the SLA rules and the answer rules; with
    # Redis that cache outlives a test.
    cache.delete_many([LISTENED_KEY, STARTABLE_KEY, SLA_RULES_KEY, ANSWER_RULES_KEY])

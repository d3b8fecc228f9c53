"""Every page of the console against every role: who may, who is refused, and nobody gets a 500.

The table below names, for each URL of the console and each method it answers, the
capability it needs. Every URL the project serves must be in the table (a new view without a
row fails the first test), so a view that forgets its permission check is a red test here,
not a finding of the next attack from outside. The data are the five story customers of the
demo, so each page is asked about objects that exist (a check that only runs after a 404
would otherwise go untested).
"""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from console.accounts.roles import Capability, Role, role_groups_ensure
from console.callbacks.models import Callback
from console.cases.models import Case
from console.commerce.models import OrderLine
from console.conversations.services import conversation_hear
from console.customers.models import Address, Customer
from console.demo.stories import stories_seed
from console.demo.users import demo_users_ensure
from console.flags.approvals import credit_approval_request
from console.flags.models import CreditApproval
from console.ingest.api import EXAMPLE
from console.messaging.models import OutboundMessage
from console.privacy.models import DataExport, ErasureRequest
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VIEW = Capability.VIEW_CUSTOMERS
RECORD = Capability.RECORD_INTERACTIONS
SEND = Capability.SEND_MESSAGES
INVOICES = Capability.VIEW_INVOICES
MANAGE = Capability.MANAGE_FLAGS

# (url name, method) -> the capabilities a user needs, all of them.
NEEDS = {
    ("customers:search", "GET"): {VIEW},
    ("customers:picture", "GET"): {VIEW},
    ("customers:merge", "GET"): {VIEW, RECORD},
    ("customers:merge", "POST"): {VIEW, RECORD},
    ("customers:address-confirm", "POST"): {VIEW, RECORD},
    ("customers:address-correct", "POST"): {VIEW, RECORD},
    ("customers:timeline", "GET"): {VIEW},
    ("customers:record", "POST"): {VIEW, RECORD},
    ("customers:open-return", "POST"): {VIEW, RECORD},
    ("cases:case", "GET"): {VIEW},
    ("cases:case-live", "GET"): {VIEW},
    ("cases:update", "POST"): {VIEW, RECORD},
    ("cases:note", "POST"): {VIEW, RECORD},
    ("cases:close-complaint", "POST"): {VIEW, RECORD},
    ("cases:open", "POST"): {VIEW, RECORD},
    ("cases:link-entry", "GET"): {VIEW, RECORD},
    ("cases:link-entry", "POST"): {VIEW, RECORD},
    ("cases:open-from-entry", "POST"): {VIEW, RECORD},
    ("queues:queues", "GET"): {VIEW},
    ("queues:queue", "GET"): {VIEW},
    ("callbacks:promise", "POST"): {VIEW, RECORD},
    ("callbacks:promise-on-case", "POST"): {VIEW, RECORD},
    ("callbacks:complete", "POST"): {VIEW, RECORD},
    ("callbacks:reschedule", "POST"): {VIEW, RECORD},
    ("dashboard:dashboard", "GET"): {MANAGE},
    ("dashboard:sections", "GET"): {MANAGE},
    ("flags:flag", "GET"): {VIEW},
    ("flags:flag", "POST"): {VIEW, MANAGE},
    ("flags:approvals", "GET"): {MANAGE},
    ("flags:approval-notices", "GET"): {MANAGE},
    ("flags:approval-decide", "POST"): {MANAGE},
    ("customers:credit-check", "GET"): {VIEW},
    ("customers:credit-approval-ask", "POST"): {VIEW},
    ("journeys:start", "POST"): {VIEW, RECORD},
    ("journeys:choice", "POST"): {VIEW, RECORD},
    ("journeys:step-done", "POST"): {VIEW, RECORD},
    ("messaging:statement", "GET"): {VIEW, SEND, INVOICES},
    ("messaging:statement-send", "POST"): {VIEW, SEND, INVOICES},
    ("messaging:message-retry", "POST"): {VIEW, SEND},
    ("messaging:messages", "GET"): {VIEW},
    ("messaging:message-send", "POST"): {VIEW, SEND},
    ("conversations:home", "GET"): {VIEW},
    ("conversations:counts", "GET"): {VIEW},
    ("conversations:inbox", "GET"): {VIEW},
    ("conversations:team", "GET"): {VIEW},
    ("conversations:take", "POST"): {VIEW, RECORD},
    ("conversations:hand-back", "POST"): {VIEW, RECORD},
    ("conversations:done", "POST"): {VIEW, RECORD},
    ("conversations:reply", "POST"): {VIEW, SEND},
    ("dashboard:inbox", "GET"): {MANAGE},
    ("dashboard:inbox-export", "GET"): {MANAGE},
    ("privacy:customer", "GET"): {VIEW},
    ("privacy:export-new", "POST"): {VIEW, MANAGE},
    ("privacy:export", "GET"): {MANAGE},
    ("privacy:export-download", "GET"): {MANAGE},
    ("privacy:erasure-new", "POST"): {VIEW, RECORD},
    ("privacy:erasures", "GET"): {MANAGE},
    ("privacy:erasure-decide", "POST"): {MANAGE},
    ("privacy:audit", "GET"): {MANAGE},
    ("privacy:audit-export", "GET"): {MANAGE},
}
# Served by others than the console's own views: the API (token auth, tested below), the
# admin (Django's staff check), log-in and log-out, the health check and the home redirect.
NOT_IN_TABLE = ("api:", "admin:", "login", "logout", "healthz", "home")

USERS = ["nobody", *Role.values]  # "nobody": logged in, but without any role


def console_url_names() -> set[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + p.name

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith(NOT_IN_TABLE)}


def test_every_page_of_the_console_is_in_the_table():
    assert console_url_names() == {name for name, _ in NEEDS}


@pytest.fixture
def world(db, settings, tmp_path):
    """The story customers, and one object of each kind a URL names."""
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.LETTERS_DIR = str(tmp_path / "letters")
    role_groups_ensure(group_model=Group, permission_model=Permission, content_type_model=ContentType)
    stories_seed(demo_users_ensure("demo-pass-1"))
    customer = Customer.objects.get(customer_number="C-200005")
    approval = CreditApproval.objects.first()
    if approval is None:
        credit_approval_request(
            customer_id=Customer.objects.get(customer_number="C-200001").pk, amount=5000, source="webshop"
        )
        approval = CreditApproval.objects.get()
    case = Case.objects.filter(customer=customer).first()
    message = OutboundMessage.objects.first()
    with transaction.atomic():
        said = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="sms", summary="Nog iets?")
        conversation = conversation_hear(entry=said)
    ids = {
        "customer_id": customer.pk,
        "address_id": Address.objects.filter(customer=customer).first().pk,
        "line_id": OrderLine.objects.filter(order__customer=customer).first().pk,
        "case_id": case.pk,
        "entry_id": TimelineEntry.objects.filter(customer=customer).first().pk,
        "callback_id": Callback.objects.first().pk,
        "approval_id": approval.pk,
        "message_id": message.pk if message else 1,
        "team": case.team,
        "kind": "credit",
        "conversation_id": conversation.pk,
        "view": "mine",
        "export_id": DataExport.objects.create(customer=customer, requested_by=UserFactory(role="manager")).pk,
        "erasure_id": ErasureRequest.objects.create(
            customer=customer, customer_number=customer.customer_number, reason="e-mail", requested_by=UserFactory()
        ).pk,
    }
    return ids


def url_for(name: str, ids: dict) -> str:
    """The URL of a name, with the objects of ``ids`` as its arguments (whichever it takes)."""
    for attempt in (
        {},
        *(
            {k: ids[k] for k in keys}
            for keys in (
                ("customer_id",),
                ("case_id",),
                ("callback_id",),
                ("entry_id",),
                ("approval_id",),
                ("team",),
                ("conversation_id",),
                ("view",),
                ("customer_id", "address_id"),
                ("customer_id", "line_id"),
                ("customer_id", "message_id"),
                ("customer_id", "kind"),
                ("export_id",),
                ("erasure_id",),
            )
        ),
        {"export_id": ids["export_id"], "kind": "json"},
    ):
        try:
            return reverse(name, kwargs=attempt)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no arguments fit {name}")


def login(role: str) -> Client:
    client = Client()
    user = UserFactory(role=None if role == "nobody" else role)
    client.force_login(user)
    client.user = user
    return client


def test_each_role_gets_every_page_it_may_and_is_refused_every_other(world):
    clients = {user: login(user) for user in USERS}
    wrong = []
    for user, (name, method) in ((u, key) for u in USERS for key in sorted(NEEDS)):
        client, needs = clients[user], NEEDS[name, method]
        url = url_for(name, world)
        response = client.get(url) if method == "GET" else client.post(url, {})
        allowed = all(client.user.has_perm(c) for c in needs)
        if response.status_code >= 500:
            wrong.append(f"{user}: {method} {url} ({name}): {response.status_code}")
        elif allowed and response.status_code in (401, 403):
            wrong.append(f"{method} {url} ({name}): refused with {response.status_code}, but {user} may")
        elif not allowed and response.status_code != 403:
            wrong.append(f"{method} {url} ({name}): {response.status_code}, but {user} lacks {needs}")
    assert wrong == []


def test_without_a_log_in_every_page_sends_to_the_log_in_page(world, client):
    wrong = []
    for name, method in sorted(NEEDS):
        url = url_for(name, world)
        response = client.get(url) if method == "GET" else client.post(url, {})
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []


def test_a_form_posted_without_its_csrf_token_is_refused(world, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin"))
    wrong = []
    for name, method in sorted(NEEDS):
        if method == "POST":
            url = url_for(name, world)
            response = client.post(url, {})
            if response.status_code != 403:
                wrong.append(f"POST {url}: {response.status_code}")
    assert wrong == []


API_CALLS = [
    ("POST", "/api/v1/events", "events:write"),
    ("POST", "/api/v1/events/batch", "events:write"),
    ("GET", "/api/v1/customers?q=Jeroen", "customers:read"),
    ("GET", "/api/v1/customers/{customer_id}", "customers:read"),
    ("GET", "/api/v1/customers/{customer_id}/timeline", "customers:read"),
    ("GET", "/api/v1/customers/{customer_id}/credit-check?amount=10.00", "customers:read"),
    ("GET", "/api/v1/conversations?status=awaiting_reply", "conversations:read"),
]


def test_the_api_refuses_no_token_a_wrong_token_and_a_token_without_the_scope(world, client, issue_token):
    for method, path, scope in API_CALLS:
        _api_refuses(world, client, issue_token, method, path, scope)


def _api_refuses(world, client, issue_token, method, path, scope):
    url = path.format(**world)
    # Events are checked for their type's scope once they are read, so send a whole one.
    event = {**EXAMPLE, "customer": {"customer_number": "C-200002"}}
    body = json.dumps({"events": [event]} if path.endswith("batch") else event) if method == "POST" else ""
    other_scope = "customers:read" if scope == "events:write" else "events:write"
    tries = {
        "none": {},
        "made up": {"HTTP_AUTHORIZATION": "Bearer kb_made_up_token_000000000000000000"},
        "other scope": {"HTTP_AUTHORIZATION": f"Bearer {issue_token(scopes=[other_scope])}"},
    }
    for label, headers in tries.items():
        response = client.generic(method, url, body, content_type="application/json", **headers)
        expected = 403 if label == "other scope" else 401
        status = response.status_code
        if status == 207:  # a batch answers for each event
            status = response.json()["results"][0]["status"]
        assert status == expected, (label, response.status_code, response.content[:200])
        assert response["Content-Type"].startswith("application/json"), label

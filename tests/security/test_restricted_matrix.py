"""Restricted customers against every page of the console (docs/privacy.md): for everyone outside
the customer's group, in every role, each page about the customer or one of its records answers
404 (never 403: the customer does not exist for them) and changes nothing; for a member, in every
role, each page answers as it would for any customer. The pages are those of the authorization
matrix (test_authorization_matrix.py), about the restricted story customer's own records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from console.callbacks.models import Callback
from console.callbacks.services import callback_promise
from console.cases.models import Case
from console.customers.models import Customer
from console.flags.approvals import credit_approval_request
from console.flags.models import CreditApproval
from console.timeline.models import TimelineEntry
from tests.conversations.conftest import sla_rules_fresh  # noqa: F401 - autouse: no answer rules cached by another test
from tests.factories import UserFactory
from tests.security.test_authorization_matrix import NEEDS, url_for, world  # noqa: F401 - world: a fixture

pytestmark = pytest.mark.django_db

ROLES = ["webcare", "phone", "store", "manager", "admin"]
# What a page about one customer names it by: the customer, or a record of theirs.
ABOUT_A_CUSTOMER = (
    "customer_id",
    "case_id",
    "callback_id",
    "entry_id",
    "approval_id",
    "conversation_id",
    "export_id",
    "erasure_id",
)
# A data export is its requester's alone: another member gets 404 there, as anyone else does.
ONLY_THE_REQUESTERS = {"privacy:export", "privacy:export-download"}


@pytest.fixture
def restricted(world, restrict):  # noqa: F811 - the fixture imported above
    """The world's customer restricted to "Personeelszaken", with a callback and a credit approval
    of its own; the ids of its records."""
    customer = Customer.objects.get(pk=world["customer_id"])
    case = Case.objects.get(pk=world["case_id"])
    callback = Callback.objects.filter(case__customer=customer).first()
    if callback is None:
        start = timezone.now() + timedelta(days=1)
        callback = callback_promise(
            customer_id=customer.pk,
            user=UserFactory(role="phone"),
            window_start=start,
            window_end=start + timedelta(hours=2),
            phone="06 12345678",
            case_id=case.pk,
        )
    credit_approval_request(customer_id=customer.pk, amount=Decimal("250000.00"), source="webshop")
    approval = CreditApproval.objects.filter(customer=customer).latest("pk")
    restrict(customer)
    return {**world, "callback_id": callback.pk, "approval_id": approval.pk}


def pages_about_the_customer(ids) -> list[tuple[str, str, str]]:
    """(name, method, url) of every page that names the customer or one of its records."""
    pages = []
    for name, method in sorted(NEEDS):
        url = url_for(name, ids)
        if any(str(ids[key]) in url.split("/") for key in ABOUT_A_CUSTOMER):
            pages.append((name, method, url))
    return pages


def login(role, *, member: bool) -> Client:
    user = UserFactory(role=role)
    if member:
        user.groups.add(Group.objects.get(name="Personeelszaken"))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def ask(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_the_pages_about_a_customer_are_all_asked(restricted):
    names = {name for name, _method, _url in pages_about_the_customer(restricted)}
    assert len(names) >= 30
    assert {"customers:picture", "cases:case", "conversations:take", "flags:approval-decide"} <= names


@pytest.mark.parametrize("role", ROLES)
def test_a_non_member_gets_404_on_every_page_about_the_customer_and_changes_nothing(restricted, role):
    client = login(role, member=False)
    before = Customer.objects.values_list("last_seq", flat=True).get(pk=restricted["customer_id"])
    wrong = []
    for name, method, url in pages_about_the_customer(restricted):
        response = ask(client, method, url)
        may = all(client.user.has_perm(c) for c in NEEDS[name, method])
        # A role without the capability may be refused for its role (403) before the customer is
        # read; one with it must find nothing.
        expected = (404,) if may else (403, 404)
        if response.status_code not in expected:
            wrong.append(f"{method} {url} ({name}): {response.status_code}, expected {expected}")
    assert wrong == []
    assert Customer.objects.values_list("last_seq", flat=True).get(pk=restricted["customer_id"]) == before
    assert not TimelineEntry.objects.filter(customer_id=restricted["customer_id"], actor_user=client.user).exists()


def test_a_non_member_superuser_gets_404_too(restricted):
    client = login("admin", member=False)
    client.user.is_superuser = True
    client.user.save()
    for name in ("customers:picture", "cases:case", "customers:timeline", "flags:flag"):
        assert client.get(url_for(name, restricted)).status_code == 404, name


@pytest.mark.parametrize("role", ROLES)
def test_a_member_in_any_role_gets_every_page_about_the_customer(restricted, role):
    client = login(role, member=True)
    wrong = []
    for name, method, url in pages_about_the_customer(restricted):
        response = ask(client, method, url)
        may = all(client.user.has_perm(c) for c in NEEDS[name, method]) and name not in ONLY_THE_REQUESTERS
        if response.status_code >= 500 or (may and response.status_code in (403, 404)):
            wrong.append(f"{method} {url} ({name}): {response.status_code}")
    assert wrong == []


def test_a_non_member_sees_the_picture_of_an_unrestricted_customer_as_ever(restricted):
    client = login("phone", member=False)
    other = Customer.objects.exclude(pk=restricted["customer_id"]).filter(merged_into__isnull=True).first()
    assert client.get(reverse("customers:picture", args=[other.pk])).status_code == 200

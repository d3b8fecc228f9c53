"""Returned mail to a corrected address (story S2), through the API and the console."""

import re

import pytest
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.cases.models import Case
from console.customers.models import Address
from console.customers.services import address_fields_clean
from console.flags.models import Flag
from console.picture.fragments import entry_message
from console.queues.selectors import team_queue
from console.timeline.models import TimelineEntry
from tests.factories import CustomerFactory
from tests.ingest.events import event

pytestmark = pytest.mark.django_db

PROMPT = (
    "Post to Dorpsstraat 1, 1234 AB Ergens came back "
    "(Letter INV-2026-881 statement returned: addressee unknown, 24-11-2026). Confirm the address with the customer."
)


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Jeroen de Vries",
        customer_number="C-200001",
        address={"street": "Dorpsstraat 1", "postal_code": "1234 AB", "city": "Ergens"},
    )


@pytest.fixture
def returned(api, customer):
    """The post room scanned a letter that came back, and sent it as an event."""
    body = {
        "mail_ref": "INV-2026-881 statement",
        "reason": "addressee_unknown",
        "address": "Dorpsstraat 1, 1234 AB Ergens",
    }
    response = api.post(event("mail.returned", body, occurred_at="2026-11-24T09:15:00+01:00"))
    assert response.status_code == 201, response.content
    return customer.addresses.get()


@pytest.fixture
def agent(client, make_user, django_capture_on_commit_callbacks):
    """The console as an agent with a role: what they see, and what they post (with htmx)."""

    class Agent:
        def __init__(self, role):
            self.user = make_user(role)

        def picture(self, customer):
            return self.client_get(customer.get_absolute_url())

        def client_get(self, url):
            client.force_login(self.user)
            return client.get(url)

        def post(self, customer, address, action, **data):
            client.force_login(self.user)
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(
                    reverse(f"customers:address-{action}", args=[customer.pk, address.pk]),
                    data,
                    headers={"HX-Request": "true"},
                )

    return Agent


def text(response) -> str:
    """The page as an agent reads it: tags gone, white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def data_quality(customer) -> str:
    return Flag.objects.get(customer=customer, kind="data_quality").level


def summaries(customer) -> list[str]:
    return list(customer.timeline.order_by("seq").values_list("summary", flat=True))


def test_a_returned_letter_prompts_every_channel_until_the_address_is_corrected(api, agent, customer, returned):
    assert data_quality(customer) == "undeliverable"
    task = Case.objects.get(customer=customer, kind="data_quality")
    assert (task.status, task.team) == ("open", "back_office")
    assert task in team_queue(team="back_office").cases
    for role in ("webcare", "phone", "store"):
        page = text(agent(role).picture(customer))
        assert PROMPT in page, role
        assert "Address is correct" in page and "Correct the address" in page

    phone = agent("phone")
    new = {"street": "Kerkstraat 5", "postal_code": "5678cd", "city": "Elders", "country": "nl", "channel": "phone"}
    response = phone.post(customer, returned, "correct", **new)

    assert response.status_code == 200
    assert "came back" not in text(response) and "Kerkstraat 5, 5678 CD Elders" in text(response)
    assert data_quality(customer) == "ok"
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_at is not None
    assert task not in team_queue(team="back_office").cases
    assert summaries(customer)[-4:] == [
        "Data quality opened: Confirm address: post returned",
        "Letter returned to sender (addressee unknown): INV-2026-881 statement",
        "Address corrected: Dorpsstraat 1, 1234 AB Ergens → Kerkstraat 5, 5678 CD Elders",
        f"Data quality {task.reference} closed: Confirm address: post returned",
    ]
    closing = customer.timeline.get(case=task, summary__contains="closed")
    assert closing.body == (
        "Resolution: Address corrected with the customer by phone: "
        "Dorpsstraat 1, 1234 AB Ergens → Kerkstraat 5, 5678 CD Elders"
    )
    assert closing.actor_user == phone.user and closing.channel == "phone"
    old, current = Address.objects.get(pk=returned.pk), Address.objects.get(is_primary=True)
    assert (old.is_primary, old.status) == (False, "moved") and old.status_evidence.startswith("Moved away")
    assert (current.one_line, current.country, current.status) == ("Kerkstraat 5, 5678 CD Elders", "NL", "ok")
    audit = dict(AuditEvent.objects.filter(actor=phone.user, customer=customer).values_list("action", "detail"))
    # The audit trail says what was done, not the addresses: it outlives an erasure (docs/privacy.md).
    assert audit[AuditEvent.Action.CORRECTED_ADDRESS] == "address corrected"
    assert audit[AuditEvent.Action.CLOSED_CASE] == task.reference
    # Mailing systems read it through the API: the new address, and the old one as moved away.
    profile = api.get(f"/api/v1/customers/{customer.pk}").json()
    assert [(a["street"], a["is_primary"], a["status"]) for a in profile["addresses"]] == [
        ("Kerkstraat 5", True, "ok"),
        ("Dorpsstraat 1", False, "moved"),
    ]
    store_picture = text(agent("store").picture(customer))
    assert "came back" not in store_picture
    assert "Dorpsstraat 1, 1234 AB Ergens Moved away" in store_picture


def test_the_customer_confirms_the_address_in_the_store(agent, customer, returned):
    store = agent("store")
    response = store.post(customer, returned, "confirm", channel="store")

    assert response.status_code == 200 and "came back" not in text(response)
    returned.refresh_from_db()
    assert (returned.status, returned.is_primary) == ("ok", True)
    assert data_quality(customer) == "ok"
    task = Case.objects.get(customer=customer, kind="data_quality")
    assert task.status == "closed"
    confirmed = customer.timeline.get(kind=TimelineEntry.Kind.ADDRESS)
    assert confirmed.summary == "Address confirmed with the customer in the store: Dorpsstraat 1, 1234 AB Ergens"
    # Why the address was doubted stays on the timeline.
    assert "Letter INV-2026-881 statement returned: addressee unknown, 24-11-2026" in confirmed.body
    assert summaries(customer)[-1] == f"Data quality {task.reference} closed: Confirm address: post returned"
    # The task keeps what was done, and its page shows it.
    assert task.resolution == confirmed.summary
    page = text(store.client_get(task.get_absolute_url()))
    assert f"Resolution {confirmed.summary}" in page
    assert set(AuditEvent.objects.filter(actor=store.user).values_list("action", flat=True)) >= {
        AuditEvent.Action.CONFIRMED_ADDRESS,
        AuditEvent.Action.CLOSED_CASE,
    }


def test_a_letter_to_an_address_the_customer_moved_away_from_opens_no_task(api, agent, customer, returned):
    new = {"street": "Kerkstraat 5", "postal_code": "5678 CD", "city": "Elders", "channel": "phone"}
    agent("phone").post(customer, returned, "correct", **new)
    body = {"mail_ref": "AD-2026-12", "reason": "moved", "address": "Dorpsstraat 1, 1234 AB Ergens"}
    assert api.post(event("mail.returned", body)).status_code == 201

    returned.refresh_from_db()
    assert returned.status == "moved" and data_quality(customer) == "ok"
    assert not Case.objects.filter(customer=customer, kind="data_quality", status="open").exists()
    letter = customer.timeline.order_by("seq").last()
    assert letter.summary == "Letter returned to sender (moved): AD-2026-12"
    assert "which the customer moved away from" in letter.body


def test_without_a_channel_the_agents_usual_one_is_recorded(agent, customer, returned):
    agent("webcare").post(customer, returned, "confirm")
    assert customer.timeline.get(kind="address").summary.startswith("Address confirmed with the customer in the chat")


@pytest.mark.parametrize(
    ("postal_code", "country", "message"),
    [
        ("12345", "NL", "A Dutch postal code is 4 digits and 2 letters, e.g. 1234 AB."),
        ("0123 AB", "NL", "A Dutch postal code is 4 digits and 2 letters, e.g. 1234 AB."),
        ("", "BE", "Enter the postal code."),
        ("1000", "Belgium", "Enter the country as a two-letter code, e.g. NL, BE or DE."),
    ],
)
def test_a_wrong_address_is_refused_with_the_reason_and_nothing_changes(
    agent, customer, returned, postal_code, country, message
):
    before = summaries(customer)
    typed = {"street": "Kerkstraat 5", "postal_code": postal_code, "city": "Elders", "country": country}
    response = agent("phone").post(customer, returned, "correct", **typed)

    assert response.status_code == 422
    assert message in text(response)
    assert 'value="Kerkstraat 5"' in response.content.decode()  # nothing typed is lost
    assert PROMPT in text(response)
    returned.refresh_from_db()
    assert (returned.status, returned.is_primary, customer.addresses.count()) == ("undeliverable", True, 1)
    assert Case.objects.get(customer=customer, kind="data_quality").status == "open"
    assert summaries(customer) == before and data_quality(customer) == "undeliverable"


def test_correcting_to_the_same_address_points_to_confirming(agent, customer, returned):
    same = {"street": "dorpsstraat 1", "postal_code": "1234ab", "city": "Ergens", "country": "NL"}
    response = agent("phone").post(customer, returned, "correct", **same)
    assert response.status_code == 422
    assert "That is the address the post came back from" in text(response)


def test_a_second_agent_hears_that_it_was_already_dealt_with(agent, customer, returned):
    agent("phone").post(customer, returned, "confirm", channel="phone")
    response = agent("webcare").post(customer, returned, "confirm", channel="twitter")
    assert response.status_code == 422
    assert "This address was already dealt with" in text(response) and "came back" not in text(response)
    assert customer.timeline.filter(kind="address").count() == 1


def test_a_user_without_a_role_gets_403_and_nothing_changes(agent, customer, returned):
    response = agent(None).post(customer, returned, "confirm", channel="phone")
    assert response.status_code == 403
    returned.refresh_from_db()
    assert returned.status == "undeliverable"


def test_an_address_of_another_customer_is_not_found(agent, customer, returned):
    other = CustomerFactory(address={"street": "Laan 2", "postal_code": "1000 AA", "city": "Amsterdam"})
    response = agent("phone").post(other, returned, "confirm", channel="phone")
    assert response.status_code == 404


def test_it_rejects_get(agent, customer, returned, client):
    agent("phone").picture(customer)
    assert client.get(reverse("customers:address-confirm", args=[customer.pk, returned.pk])).status_code == 405


def test_the_live_push_shows_the_prompt_and_then_takes_it_away(agent, customer, returned):
    letter = customer.timeline.get(kind="mail_returned")
    for audience in ("finance", "store"):
        assert "came back" in entry_message(letter)["panels"][audience]
    agent("phone").post(customer, returned, "confirm", channel="phone")
    for entry in customer.timeline.filter(kind__in=["address", "case"]).order_by("-seq")[:2]:
        panels = entry_message(entry)["panels"]["store"]
        assert 'id="address-prompt"' in panels and "came back" not in panels


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (("Kerkstraat 5 ", " 5678cd", " Elders", "nl"), ("Kerkstraat 5", "5678 CD", "Elders", "NL")),
        (("Rue Neuve 1", "1000", "Bruxelles", "BE"), ("Rue Neuve 1", "1000", "Bruxelles", "BE")),
        (("Hauptstraße 3", "10115", "Berlin", "de"), ("Hauptstraße 3", "10115", "Berlin", "DE")),
    ],
)
def test_an_address_is_stored_the_way_the_post_prints_it(typed, stored):
    street, postal_code, city, country = typed
    cleaned = address_fields_clean(street=street, postal_code=postal_code, city=city, country=country)
    assert tuple(cleaned.values()) == stored

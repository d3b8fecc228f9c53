import pytest
from django.urls import reverse

from console.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def record(client, customer, **data):
    payload = {"record_kind": "note", "channel": "phone", "summary": "Belde over levering", "body": ""} | data
    return client.post(reverse("customers:record", args=[customer.pk]), payload, headers={"HX-Request": "true"})


@pytest.mark.parametrize("role", ["webcare", "phone", "store", "manager"])
def test_agents_record_a_note_that_tops_the_timeline(client_as, customer, role):
    client = client_as(role)
    response = record(client, customer, summary="Klant belt terug na 17:00")
    assert response.status_code == 200
    entry = TimelineEntry.objects.get(customer=customer)
    assert (entry.kind, entry.summary, entry.actor_user) == ("note", "Klant belt terug na 17:00", client.user)
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body and "Klant belt terug na 17:00" in body
    record(client, customer, summary="Tweede notitie")
    page = client.get(customer.get_absolute_url()).content.decode()
    first_entry = page[page.index('id="entry-') :]
    assert first_entry.index("Tweede notitie") < first_entry.index("Klant belt terug na 17:00")


def test_a_store_visit_is_filed_on_the_store_channel(client_as, customer):
    record(client_as("store"), customer, record_kind="store_visit", channel="web", summary="Kwam koptelefoon passen")
    assert TimelineEntry.objects.get(customer=customer).channel == "store"


def test_an_empty_summary_is_refused_and_the_typed_details_are_kept(client_as, customer):
    response = record(client_as("phone"), customer, summary="", body="Lange uitleg van de klant")
    assert response.status_code == 422
    assert "Lange uitleg van de klant" in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_a_user_without_a_role_cannot_record(client_as, customer):
    assert record(client_as(None), customer).status_code == 403
    assert not TimelineEntry.objects.exists()


def test_it_rejects_get(client_as, customer):
    assert client_as("phone").get(reverse("customers:record", args=[customer.pk])).status_code == 405


def test_it_needs_the_csrf_token(client, make_user, customer):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user("phone"))
    response = csrf_client.post(
        reverse("customers:record", args=[customer.pk]), {"record_kind": "note", "channel": "phone", "summary": "x"}
    )
    assert response.status_code == 403
    assert not TimelineEntry.objects.exists()

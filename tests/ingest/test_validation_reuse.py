"""Events are checked by one serializer per thread, reused: a source posting good and bad events
in a row gets for each exactly its own answer, and nothing of one event ends up in the next."""

import pytest

from console.ingest.schemas import InteractionData, validated
from console.timeline.models import TimelineEntry
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


def refused(response):
    assert response.status_code == 422, response.content
    return set(response.json()["errors"])


def accepted(response):
    assert response.status_code == 201, response.content
    assert "errors" not in response.json()
    return TimelineEntry.objects.get(pk=response.json()["timeline_entry"]["id"])


def test_good_and_bad_events_in_a_row_each_get_their_own_answer(api, customer):
    no_summary = interaction()
    del no_summary["data"]["summary"]
    assert refused(api.post(no_summary)) == {"data.summary"}

    first = accepted(api.post(interaction(summary="Eerste vraag", body="Al twee weken niets gehoord")))

    assert refused(api.post(interaction(summary="Kapot adres", customer={"email": "geen-adres"}))) == {"customer.email"}

    second = accepted(api.post(interaction(summary="Tweede vraag")))
    assert (first.summary, first.body) == ("Eerste vraag", "Al twee weken niets gehoord")
    assert (second.summary, second.body) == ("Tweede vraag", "")
    stored = TimelineEntry.objects.filter(customer=customer).order_by("seq").values_list("summary", flat=True)
    assert list(stored) == ["Eerste vraag", "Tweede vraag"]  # the refused events stored nothing


def test_validated_results_do_not_change_with_the_next_call():
    good = {"channel": "chat", "direction": "inbound", "summary": "Waar blijft mijn pakket?", "body": "Sinds maandag"}
    bad = {"channel": "chat", "direction": "sideways"}
    other = {"channel": "email", "direction": "outbound", "summary": "Antwoord"}

    first, first_errors = validated(InteractionData, good)
    refused, errors = validated(InteractionData, bad)
    second, second_errors = validated(InteractionData, other)

    assert (first, first_errors) == (good, None)
    assert refused is None and set(errors) == {"direction", "summary"}
    assert (second, second_errors) == (other, None)  # no body left over from the first
    assert first == good and set(errors) == {"direction", "summary"}  # earlier results unchanged

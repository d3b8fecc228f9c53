"""A due date outside the years 1900-2199 is an error in the form, not a broken page."""

import pytest
from django.urls import reverse

from console.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("due_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:00"])
def test_a_due_date_outside_the_window_stays_in_the_form(client_as, customer, due_at):
    client = client_as("webcare")
    client.raise_request_exception = False
    response = client.post(
        reverse("cases:open", args=[customer.pk]),
        {"title": "Klacht", "kind": "question", "channel": "chat", "team": "webcare", "due_at": due_at},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "in the years 1900 to 2199" in response.content.decode()
    assert not Case.objects.exists()
    assert client.get(customer.get_absolute_url()).status_code == 200

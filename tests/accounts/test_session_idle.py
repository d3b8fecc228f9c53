"""A session ends SESSION_IDLE_HOURS after its last request; a page does not write the session on
every request to keep it going, only once every SESSION_REFRESH_SECONDS."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def session_end(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_an_agent_who_keeps_working_keeps_the_session(client_as, customer, settings):
    client = client_as("phone")
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        assert client.get(customer.get_absolute_url()).status_code == 200
        assert session_end(client) == start + timedelta(hours=6 + settings.SESSION_IDLE_HOURS)
    with time_machine.travel(start + timedelta(hours=12), tick=False):
        assert client.get(customer.get_absolute_url()).status_code == 200


def test_a_session_left_alone_ends_and_the_page_asks_for_a_log_in(client_as, customer, settings):
    client = client_as("phone")
    with time_machine.travel(timezone.now() + timedelta(hours=settings.SESSION_IDLE_HOURS, minutes=1), tick=False):
        response = client.get(customer.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_requests_close_together_do_not_write_the_session(client_as, customer):
    client = client_as("phone")
    client.get(customer.get_absolute_url())
    ended = session_end(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        client.get(customer.get_absolute_url())
    assert session_end(client) == ended

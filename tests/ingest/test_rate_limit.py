"""The per-token rate limit (ingest/auth.py): counted in the shared cache, and failing open when
that cache (Redis in the full stack) is down, since storing an event needs only the database."""

import logging

import pytest

from console.timeline.models import TimelineEntry
from tests.browser.asgi_server import _free_port
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The shared cache on a Redis server that is not running (nothing listens on the port)."""
    settings.CACHES = {
        "default": {"BACKEND": "console.cache.SharedRedisCache", "LOCATION": f"redis://127.0.0.1:{_free_port()}/0"}
    }
    settings.API_RATE_LIMIT_PER_SECOND = 2000


def test_it_answers_429_past_the_limit(api, customer, settings):
    settings.API_RATE_LIMIT_PER_SECOND = 1
    answers = [api.post(interaction()).status_code for _ in range(3)]
    assert 429 in answers


def test_with_the_cache_down_events_are_still_stored(api, customer, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="console.ingest.auth"):
        response = api.post(interaction(summary="Stored although Redis is away"))
    assert response.status_code == 201, response.content
    assert TimelineEntry.objects.filter(customer=customer, summary="Stored although Redis is away").exists()
    assert "rate limit not applied" in caplog.text


def test_with_the_cache_down_the_customer_can_still_be_read(api, customer, redis_down):
    response = api.get(f"/api/v1/customers/{customer.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["customer_number"] == "C-200001"

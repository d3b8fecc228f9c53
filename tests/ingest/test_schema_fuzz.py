"""schemathesis against the served OpenAPI document: no 5xx, every answer matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.factories import CustomerFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test client: requests must not close the connection holding the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, issue_token):
    customer = CustomerFactory(customer_number="C-200001", phone="0612345678")
    assert customer.pk
    return issue_token(
        source="fuzzer", scopes=["events:write", "customers:read", "customers:create", "conversations:read"]
    )


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_always_answers_as_documented(case, token, settings):
    settings.API_RATE_LIMIT_PER_SECOND = 0
    # Every check, response schema conformance included; schemathesis.toml names the refusals
    # of schema-valid requests that the schema cannot express (an unknown invoice, a bad phone).
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

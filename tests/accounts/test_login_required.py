"""Every page needs a log-in; the log-in page, the health check and the token API do not."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_sends_a_visitor_to_the_log_in_page_and_back(client, customer):
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/customers/{customer.pk}/"


def test_a_panel_asked_for_after_the_session_ended_sends_the_whole_page_to_log_in(client, customer):
    response = client.get(f"/customers/{customer.pk}/timeline/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/"


def test_the_log_in_page_and_the_health_check_are_open(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").content == b"ok"


def test_the_api_answers_a_missing_token_itself_in_json(client):
    for path in ("/api/v1/customers?q=x", "/api/v1/no-such-thing"):
        response = client.get(path)
        assert response.status_code in (401, 404), path
        assert response["Content-Type"].startswith("application/json"), path
    assert client.get("/api/v1/schema").status_code == 200

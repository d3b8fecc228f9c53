"""The console's error pages (templates/4xx.html, 5xx.html; console/errors.py) and their log lines."""

import io
import logging

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from console.errors import server_error


@pytest.fixture
def server_log():
    """What the log handlers of the settings print (all of them: a record printed twice shows twice;
    pytest's own capture left out)."""
    stream = io.StringIO()
    loggers = [
        logging.getLogger(),
        *(log for log in logging.Logger.manager.loggerDict.values() if hasattr(log, "handlers")),
    ]
    handlers = {
        h
        for log in loggers
        for h in log.handlers
        if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
    }
    previous = {handler: handler.setStream(stream) for handler in handlers}
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)


@pytest.mark.django_db
def test_a_phone_agent_opening_the_dashboard_sees_why_in_the_consoles_layout(client_as):
    client = client_as("phone")

    response = client.get("/dashboard/")

    assert response.status_code == 403
    page = response.text
    assert "Your role does not give access to this page" in page
    assert "override flags" in page  # the reason, in words
    assert "Log out" in page  # the console's own top bar
    assert 'href="/customers/"' in page  # a way back


@pytest.mark.django_db
def test_a_403_is_one_line_in_the_log_not_a_traceback(client_as, settings, server_log):
    # DEBUG on, as in the embedded mode, where Django's own console handler printed it a second time.
    settings.DEBUG = True

    client_as("phone").get("/dashboard/")

    logged = server_log.getvalue()
    assert "Traceback" not in logged
    assert logged.count("/dashboard/") == 1
    assert "Forbidden (Permission denied): /dashboard/ (Your role does not allow this" in logged


@pytest.mark.django_db
def test_a_customer_that_does_not_exist_gets_the_consoles_404_page(client_as):
    response = client_as("phone").get("/customers/99999999/")

    assert response.status_code == 404
    assert "There is nothing at this address" in response.text
    assert "Log out" in response.text and 'href="/customers/"' in response.text


@pytest.mark.django_db
def test_a_404_is_one_line_in_the_log(client_as, settings, server_log):
    settings.DEBUG = True

    client_as("phone").get("/customers/99999999/")

    logged = server_log.getvalue()
    assert "Traceback" not in logged
    assert logged.count("/customers/99999999/") == 1


def fault_answer(exception, path="/customers/"):
    """What handler500 answers while ``exception`` is being handled (as Django calls it)."""
    try:
        raise exception
    except Exception:
        return server_error(RequestFactory().get(path))


def test_a_fault_gets_the_500_page_without_touching_the_database():
    # No django_db mark: any query would fail this test.
    response = fault_answer(RuntimeError("a bug"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert 'href="/customers/"' in response.text
    assert "console.css" in response.text  # in the console's layout, not bare HTML
    assert "Retry-After" not in response


def test_the_database_down_gets_503_with_retry_after():
    response = fault_answer(OperationalError("connection refused"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unavailable for a moment" in response.text


def test_the_api_gets_its_fault_in_json():
    response = fault_answer(OperationalError("connection refused"), path="/api/v1/customers/1")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"


def test_handler500_is_the_consoles():
    from console import urls

    assert urls.handler500 == "console.errors.server_error"


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_explains_itself(client_as):
    client = client_as("phone")
    client.handler.enforce_csrf_checks = True

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "This form could not be sent" in response.text
    assert 'href="/customers/"' in response.text

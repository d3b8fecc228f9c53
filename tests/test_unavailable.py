"""With the database down, the API answers 503 JSON and pages a 503 page, both with Retry-After
(console/errors.py), instead of a 500. The server is a real uvicorn process whose database
is unreachable: an SQLite file in a folder that does not exist, or a PostgreSQL port nobody
listens on."""

import json

import pytest
from django.db import connection

from tests.browser.asgi_server import _free_port
from tests.live.calls import http
from tests.live.processes import Uvicorn


@pytest.fixture
def server(tmp_path):
    if connection.vendor == "postgresql":
        down = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{_free_port()}/gone", "DB_POOL_TIMEOUT": "2"}
    else:
        down = {"DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "no-such-folder" / "db.sqlite3")}
    # As deployed (DEBUG off): Django's debug page would try the database again for its report.
    production = {"API_RATE_LIMIT_PER_SECOND": "2000", "DEBUG": "false"}
    server = Uvicorn("database-down", "", tmp_path, env=down | production)
    yield server
    server.stop()


def assert_api_unavailable(status, headers, body):
    assert status == 503, body[:500]
    assert int(headers["Retry-After"]) > 0
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["errors"]["service"]


def test_the_event_api_answers_503_json_with_retry_after(server):
    event = {"id": "db-down-1", "type": "interaction.recorded", "occurred_at": "2026-11-24T09:15:00+01:00"}
    assert_api_unavailable(
        *http(f"{server.url}/api/v1/events", method="POST", body=event, headers={"Authorization": "Bearer kb_x"})
    )


def test_reading_a_customer_answers_503_json_with_retry_after(server):
    assert_api_unavailable(*http(f"{server.url}/api/v1/customers/1", headers={"Authorization": "Bearer kb_x"}))


def test_a_page_answers_a_503_page_with_retry_after(server):
    cookie = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}  # the session is looked up in the database
    status, headers, body = http(f"{server.url}/customers/", headers=cookie)
    assert status == 503, body[:500]
    assert int(headers["Retry-After"]) > 0
    assert "unavailable for a moment" in body
    assert "Traceback" not in body

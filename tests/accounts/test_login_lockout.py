"""Log-in throttling: five wrong passwords lock a username at that address, ten from any
addresses together lock it everywhere (console/accounts/lockout.py)."""

import pytest

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


def log_in(client, username, password, address):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def fail(client, username, addresses):
    for address in addresses:
        response = log_in(client, username, "wrong guess", address)
        assert response.status_code in (200, 429)


def test_five_wrong_passwords_lock_the_username_at_that_address(client, make_user):
    make_user("phone", username="sanne")
    fail(client, "sanne", ["192.0.2.1"] * 5)

    locked = log_in(client, "sanne", RIGHT, "192.0.2.1")

    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text


def test_the_agent_at_another_address_still_gets_in_after_five(client, make_user):
    make_user("phone", username="sanne")
    fail(client, "sanne", ["192.0.2.1"] * 5)

    assert log_in(client, "sanne", RIGHT, "198.51.100.20").status_code == 302


def test_rotating_addresses_lock_the_username_after_ten_failures(client, make_user):
    make_user("phone", username="sanne")
    fail(client, "sanne", [f"203.0.113.{n}" for n in range(1, 11)])

    assert log_in(client, "sanne", RIGHT, "203.0.113.200").status_code == 429


def test_nine_failures_from_rotating_addresses_do_not_lock(client, make_user):
    make_user("phone", username="sanne")
    fail(client, "sanne", [f"203.0.113.{n}" for n in range(1, 10)])

    assert log_in(client, "sanne", RIGHT, "203.0.113.200").status_code == 302


def test_one_users_failures_do_not_lock_another(client, make_user):
    make_user("phone", username="sanne")
    make_user("phone", username="joris")
    fail(client, "sanne", [f"203.0.113.{n}" for n in range(1, 11)])

    assert log_in(client, "joris", RIGHT, "203.0.113.1").status_code == 302

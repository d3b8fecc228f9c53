import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from console.asgi import application
from tests.live.stack import Stack

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.fixture
def session_cookie(make_user):
    """A real login session for a user with the given role, as the browser would carry it."""

    def login(role, **fields):
        user = make_user(role, **fields)
        client = Client()
        client.force_login(user)
        return user, f"sessionid={client.cookies['sessionid'].value}".encode()

    return login


@pytest.fixture
def connect(websockets):
    async def open_socket(cookie=None, *, customer=None, origin=ORIGIN):
        path = "/ws/console/" + (f"?customer={customer}" if customer is not None else "")
        headers = [origin] + ([(b"cookie", cookie)] if cookie else [])
        communicator = WebsocketCommunicator(application, path, headers=headers)
        websockets.append(communicator)
        connected, _ = await communicator.connect()
        return communicator, connected

    return open_socket


@pytest.fixture(autouse=True)
def webhooks_to_the_local_receiver(settings):
    """The approval round trip's webhook receiver listens on 127.0.0.1 (see tests/flags)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def stack(tmp_path):
    """A private Redis and the uvicorn processes and clients a full-stack test starts; all
    stopped afterwards (tests/live/stack.py)."""
    stack = Stack(tmp_path)
    yield stack
    stack.close()


@pytest.fixture
def cookie(make_user):
    """The session cookie of a phone agent, for the full stack's servers (they share the database)."""
    client = Client()
    client.force_login(make_user("phone", first_name="Sanne", last_name="Visser"))
    return f"sessionid={client.cookies['sessionid'].value}"

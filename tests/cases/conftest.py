import pytest
from channels.testing import WebsocketCommunicator

from console.asgi import application
from console.cases.models import ComplaintDeadline
from console.cases.services import case_open
from tests.live.conftest import session_cookie  # noqa: F401 - the same real login session

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.fixture
def deadlines(db):
    """Complaint deadlines as an admin might set them (a transactional test flushes the
    migration's rows anyway)."""
    rows = {"": 5, "post": 14, "email": 14, "twitter": 1, "phone": 3}
    ComplaintDeadline.objects.all().delete()
    ComplaintDeadline.objects.bulk_create(ComplaintDeadline(channel=c, days=d) for c, d in rows.items())
    return rows


@pytest.fixture
def open_case(db):
    """A case opened through the service, as an agent or a source would."""

    def make(customer, title="Tweede SIM-kaart niet geleverd", **fields):
        return case_open(customer_id=customer.pk, title=title, **fields)

    return make


@pytest.fixture
def socket(websockets):
    """The console's websocket, opened as a page would open it (``team=phone`` on a queue page)."""

    async def open_socket(cookie=None, query=""):
        headers = [ORIGIN] + ([(b"cookie", cookie)] if cookie else [])
        communicator = WebsocketCommunicator(application, "/ws/console/" + (f"?{query}" if query else ""), headers)
        websockets.append(communicator)
        connected, _ = await communicator.connect()
        assert connected
        return communicator

    return open_socket

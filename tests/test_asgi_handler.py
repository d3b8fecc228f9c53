"""Pages served by the ASGI application answer as before, one after another or many at once, and
a stream of requests is served by a few reused threads instead of a new thread each; the
middleware chain (login) still runs."""

import asyncio
import threading
import time

import pytest
from channels.testing import HttpCommunicator
from django.core.signals import request_started

from console.asgi import application
from console.handler import IDLE_THREADS_KEPT

pytestmark = pytest.mark.asyncio
HOST = [(b"host", b"127.0.0.1")]


@pytest.fixture
def serving_threads():
    """The threads that did each request's sync work (signals run there, with the view)."""
    seen = []

    def note(**kwargs):
        seen.append(threading.current_thread())

    request_started.connect(note, dispatch_uid="test_asgi_handler")
    yield seen
    request_started.disconnect(dispatch_uid="test_asgi_handler")


async def get(path):
    return await HttpCommunicator(application, "GET", path, headers=HOST).get_response(timeout=5)


def request_threads():
    return [thread for thread in threading.enumerate() if thread.name.startswith("request")]


def healthy(response):
    return response["status"] == 200 and response["body"] == b"ok"


async def test_requests_one_after_another_reuse_a_thread(serving_threads):
    assert healthy(await get("/healthz"))  # the first may start the thread
    before = threading.active_count()
    for _ in range(30):
        assert healthy(await get("/healthz"))
    assert threading.active_count() - before <= 2
    assert len(serving_threads) == 31
    assert len({id(thread) for thread in serving_threads[1:]}) <= 2
    assert threading.main_thread() not in serving_threads


async def test_requests_at_once_all_answer_and_idle_threads_are_bounded(serving_threads):
    responses = await asyncio.gather(*(get("/healthz") for _ in range(10)))
    assert all(healthy(response) for response in responses)
    many = IDLE_THREADS_KEPT + 8
    responses = await asyncio.gather(*(get("/healthz") for _ in range(many)))
    assert all(healthy(response) for response in responses)
    assert len({id(thread) for thread in serving_threads[-many:]}) > 1  # they did run side by side
    deadline = time.monotonic() + 3  # the threads beyond those kept end on their own, soon
    while len(request_threads()) > IDLE_THREADS_KEPT and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(request_threads()) <= IDLE_THREADS_KEPT


async def test_a_page_without_a_login_redirects_to_the_login_page():
    response = await get("/customers/")
    headers = dict(response["headers"])
    assert response["status"] == 302
    assert headers[b"Location"] == b"/accounts/login/?next=/customers/"

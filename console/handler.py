"""Django's ASGI handler, with each request's sync work in one thread call on a reused thread.

Django's own handler, given our sync middleware (sessions, CSRF, login, Axes, ...), hops between
the event loop and a thread several times per request: into a thread for the outer middleware,
back to the loop where an async-capable middleware sits, into the thread again for the view.
Each hop waits for the event loop, which on a server holding a thousand websockets is busy,
and each request started a new thread of its own and joined it at the end. At 100 events/s in
``bench/live.py`` that was a fifth of a worker's time and most of the latency (docs/performance.md).

Here the middleware chain is the plain sync one (as under WSGI), run with the view in one
thread call; and the thread comes from a pool of single-thread executors, one per request
while it runs (asgiref's ``ThreadSensitiveContext(executor=...)``), so every sync part of a
request (signals, view, closing the response) still runs in the same thread, as Django needs
for its database connections.
"""

import gc
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# Idle threads kept for the next requests; more run at once when more requests do.
IDLE_THREADS_KEPT = 32


class ConsoleASGIHandler(ASGIHandler):
    def __init__(self):
        self._idle: list[ThreadPoolExecutor] = []
        super().__init__()

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self._idle.pop() if self._idle else ThreadPoolExecutor(1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self._idle) < IDLE_THREADS_KEPT:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)


def application():
    """What ``django.core.asgi.get_asgi_application`` does, with this handler."""
    import django

    django.setup(set_prefix=False)
    return ConsoleASGIHandler()


def gc_settle(warm_seconds: float = 10) -> None:
    """Keep what lives as long as the process out of the garbage collector's full collections.

    A full collection looks at every object the collector tracks. A worker holding 500 consoles
    tracks about 125,000 objects, most of them Django, its templates and our code loaded on the
    first requests, and a full collection every few seconds stopped it for 80-110 ms: the tail
    of the live latency (docs/performance.md). Frozen objects are not looked at again: what is
    loaded at start is frozen at once, and what survives each full collection in the first
    ``warm_seconds`` is frozen after it, up to and including the first one after them (what
    survives a full collection is in use). Freezing after every one, not only the last, keeps
    each of them short: the consoles that connect at start (a deploy, every page reconnecting)
    are looked at once, not again by every full collection until the last. Those freezes also
    hold the consoles open at that moment; whatever of theirs becomes garbage later is kept,
    once, not collected: a bounded cost.
    """
    gc.collect()
    gc.freeze()
    started = time.monotonic()

    def after_full_collection(phase, info):
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()
            if time.monotonic() - started > warm_seconds:
                gc.callbacks.remove(after_full_collection)

    gc.callbacks.append(after_full_collection)

"""The page's session on the console's websocket, read only.

Channels' ``SessionMiddleware`` wraps the socket's ``send`` so that a session changed during the
connection is saved when a response goes out; it checks the session on every frame sent. The
console never changes the session on its socket (logging in and out happen over HTTP), so that
check was pure cost: in a broadcast to a thousand consoles it was one call in six on the way
from the channel layer to the socket (docs/performance.md). This middleware gives the consumers
the same ``scope["session"]`` (loaded on first use, as Channels does) and leaves ``send`` alone.
"""

from importlib import import_module

from django.conf import settings


class SessionReadMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        if "cookies" not in scope:
            raise ValueError("SessionReadMiddleware needs to run inside CookieMiddleware.")
        session = self.store(scope["cookies"].get(settings.SESSION_COOKIE_NAME))
        return await self.inner(dict(scope, session=session), receive, send)

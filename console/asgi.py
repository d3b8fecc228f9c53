"""ASGI entry point: HTTP through Django, websockets to the live console.

Websockets get the same session login as the pages and are refused from origins that are
not in ALLOWED_HOSTS (a page elsewhere cannot ride on an agent's session cookie).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

from console.handler import application as http_application  # noqa: E402

django_asgi_app = http_application()

from channels.auth import AuthMiddleware  # noqa: E402 - needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import CookieMiddleware  # noqa: E402

from console.live.sessions import SessionReadMiddleware  # noqa: E402
from console.picture.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Channels' AuthMiddlewareStack, with the session read but never written (the console
        # does not change it), so that nothing stands between a push and the socket.
        "websocket": AllowedHostsOriginValidator(
            CookieMiddleware(SessionReadMiddleware(AuthMiddleware(URLRouter(websocket_urlpatterns))))
        ),
    }
)

from django.conf import settings  # noqa: E402
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware  # noqa: E402

# The client's address and scheme come from X-Forwarded-For/-Proto only when the connection is
# from a proxy TRUSTED_PROXIES names: anyone else could write those headers, and the log-in
# lock-out counts failures per address. The server must leave them alone (uvicorn's own default
# believes them from 127.0.0.1, so it runs with --no-proxy-headers).
if settings.TRUSTED_PROXIES:
    application = ProxyHeadersMiddleware(application, trusted_hosts=settings.TRUSTED_PROXIES)

from console.handler import gc_settle  # noqa: E402

gc_settle()

import sys  # noqa: E402

# The event loop (every websocket) and the request threads share one interpreter lock. Python
# hands it over every 5 ms by default, so a request whose query has just answered can wait 5 ms
# for the loop to let go, a dozen times per request, while a push goes out to a thousand
# consoles. A shorter turn keeps both moving (docs/performance.md).
sys.setswitchinterval(settings.GIL_SWITCH_INTERVAL)

"""A database that is down answers 503 with Retry-After, not a 500 page.

Django turns an exception anywhere in the middleware chain or a view into a 500 response where
it happens, so no outer code sees the exception itself. Django does announce it
(``got_request_exception``, with the request): the receiver here marks the request when the
exception is the database being unreachable, and the middleware, first in the chain, turns that
request's 500 into a 503 — JSON in the API's error shape under ``/api/``, a plain page elsewhere
(one that needs no database: no user, no session). An integrator's client sends again after
``Retry-After``; an agent sees that the console is briefly unavailable, not an error.
"""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
PAGE_FALLBACK = (
    "<!doctype html><title>Briefly unavailable</title><h1>The console is briefly unavailable</h1>"
    f"<p>Klantbeeld cannot reach its database just now. Try again in {RETRY_AFTER_SECONDS} seconds.</p>"
)
API_MESSAGE = "The database is unavailable for the moment; send again after Retry-After seconds."


@receiver(got_request_exception)
def _database_down(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        request.database_down = True


def _page() -> str:
    try:
        return render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # noqa: BLE001 - e.g. static files not collected: the words still go out
        return PAGE_FALLBACK


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 500 or not getattr(request, "database_down", False):
            return response
        if request.path.startswith("/api/"):
            unavailable = JsonResponse({"errors": {"service": [API_MESSAGE]}}, status=503)
        else:
            unavailable = HttpResponse(_page(), status=503)
        unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return unavailable

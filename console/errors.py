"""What a fault looks like to the people who meet it: the error page, and one line in the log.

Django renders the 400, 403 and 404 pages from the templates of the same names; this module adds
the last resort (handler500, console/urls.py), which tells an outage of a service the console
needs (503, try again) from a fault of its own (500), and the log filter that keeps a refused or
missing page to one line.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template import loader
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# The database or Redis not answering: the request may well succeed in a moment.
SERVICE_DOWN = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30
# When even the error page cannot be rendered.
FALLBACK = {
    500: "<!doctype html><title>Error · Klantbeeld</title><h1>Something went wrong on our side</h1>",
    503: "<!doctype html><title>Unavailable · Klantbeeld</title><h1>The console is unavailable for a moment</h1>"
    f"<p>Try again in {RETRY_AFTER_SECONDS} seconds.</p>",
}


def server_error(request):
    """The answer to an exception nothing else handled (Django calls this inside its except block).

    The page is rendered without the request, so neither the context processors nor the database
    are asked for anything: the database may be what failed. The API answers in JSON.
    """
    if isinstance(sys.exc_info()[1], SERVICE_DOWN):
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"server": ["Internal error."]}}, status=500)
    return HttpResponse(_page(500), status=500)


def service_unavailable(request):
    """503 with Retry-After: JSON in the API's error shape under /api/, the 503 page elsewhere."""
    if request.path.startswith("/api/"):
        message = "A service the API needs is unavailable for the moment; send again after Retry-After seconds."
        response = JsonResponse({"errors": {"service": [message]}}, status=503)
    else:
        response = HttpResponse(_page(503), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page(status: int) -> str:
    try:
        return loader.get_template(f"{status}.html").render()
    except Exception:  # noqa: BLE001 - e.g. static files not collected: the words still go out
        return FALLBACK[status]


@receiver(got_request_exception)
def _service_down(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], SERVICE_DOWN):
        request.service_down = True


class ServiceDownMiddleware:
    """First in the chain: a request whose 500 came from the database or Redis being down answers
    503 all the same when Django did not call handler500 (with DEBUG on it renders its own page).

    Django turns an exception into a response where it happens, so no outer code sees it; it
    announces it (``got_request_exception``), and the receiver above marks the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "service_down", False):
            return service_unavailable(request)
        return response


class ClientErrorsOnOneLine(logging.Filter):
    """A refused (403) or missing (404) page is the client's business, not a fault: its log record
    keeps the reason on the line and drops the traceback that Django attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500 and record.exc_info:
            reason = str(record.exc_info[1])
            if reason:
                record.msg = f"{record.msg} ({reason.replace('%', '%%')})"
            record.exc_info = record.exc_text = None
        return True

"""What a fault looks like to the people who meet it: the error page, and one line in the log.

Django renders the 400, 403 and 404 pages from the templates of the same names; this module adds
the last resort (handler500, console/urls.py), which tells an outage of a service the console
needs (503, try again) from a fault of its own (500), and the log filter that keeps a refused or
missing page to one line.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# The database or Redis not answering: the request may well succeed in a moment.
SERVICE_DOWN = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The answer to an exception nothing else handled (Django calls this inside its except block).

    The page is rendered without the request, so neither the context processors nor the database
    are asked for anything: the database may be what failed. The API answers in JSON.
    """
    unavailable = isinstance(sys.exc_info()[1], SERVICE_DOWN)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        reason = "A service the API needs is unavailable; try again." if unavailable else "Internal error."
        response = JsonResponse({"errors": {"server": [reason]}}, status=status)
    else:
        response = HttpResponse(loader.get_template(f"{status}.html").render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
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

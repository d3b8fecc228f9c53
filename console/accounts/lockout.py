"""Log-in throttling (django-axes) in two tiers, and the one place the client's address is read.

A guesser who can change the address they seem to come from (many machines, or a forwarded
header a misconfigured server believes) would never reach the per-address limit; the second
tier counts a username's failures from every address together.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    """The address the ASGI server says the request came from.

    Forwarded headers are read once, before Django, and only from the proxies TRUSTED_PROXIES
    names (console/asgi.py); axes and the audit log read the result here, never a header that
    any client can write.
    """
    return request.META.get("REMOTE_ADDR")


class TieredLockoutHandler(AxesDatabaseHandler):
    """Locks a username after AXES_FAILURE_LIMIT failures from one address, or after
    AXES_USERNAME_FAILURE_LIMIT failures from all addresses together.

    Axes compares one failure count with one limit; this reports each tier's count on the scale
    of the per-address limit (the username tier moved down by the difference of the two limits),
    so the larger of the two reaches AXES_FAILURE_LIMIT exactly when either tier is full.
    AXES_LOCKOUT_PARAMETERS lists the tiers in this order: username with address, username.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_address, per_username = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        head_start = settings.AXES_USERNAME_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(per_address, per_username - head_start)

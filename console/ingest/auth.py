"""Bearer-token authentication and the per-token rate limit for the event API."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from console.ingest.services import token_authenticate

log = logging.getLogger(__name__)
# A cache outage is logged at most once per this many seconds per process, not once per call.
OUTAGE_LOG_SECONDS = 10
_outage_logged_at = 0.0


class SourceSystem:
    """Who is calling: a source system, not a person. DRF wants a user-like object."""

    is_authenticated = True
    is_active = True

    def __init__(self, token):
        self.token = token
        self.username = token.source

    def __str__(self):
        return self.token.source


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        token = token_authenticate(header)
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked token.")
        return SourceSystem(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="klantbeeld"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued with `manage.py issue_token --source NAME`.",
        }


class HasScope(permissions.BasePermission):
    """The view names the scope it needs in ``required_scope``; events check per type."""

    message = "This token lacks the scope for this call."

    def has_permission(self, request, view):
        if not isinstance(request.user, SourceSystem):
            raise exceptions.NotAuthenticated("Send Authorization: Bearer <token>.")
        scope = getattr(view, "required_scope", None)
        if scope and not request.auth.allows(scope):
            self.message = f"This token lacks the scope {scope} (it has: {', '.join(request.auth.scopes)})."
            return False
        return True


class Throttled(exceptions.Throttled):
    default_detail = "Too many requests for this token; wait for the Retry-After seconds and send again."


def rate_limit_check(token) -> None:
    """A fixed one-second window per token, counted in the shared cache (Redis in the full stack).

    The limit fails open: with the cache down (Redis stopped) events are still stored, since the
    data path needs only the database, and the outage is logged instead."""
    limit = settings.API_RATE_LIMIT_PER_SECOND
    if not limit:
        return
    try:
        count = _count_call(f"ratelimit:{token.pk}:{int(time.time())}")
    except Exception:  # noqa: BLE001 - whatever the cache backend raises when its server is away
        _log_outage()
        return
    if count > limit:
        raise Throttled(wait=1)


def _count_call(key: str) -> int:
    cache.add(key, 0, timeout=2)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=2)
        return 1


def _log_outage() -> None:
    global _outage_logged_at
    now = time.monotonic()
    if now - _outage_logged_at >= OUTAGE_LOG_SECONDS:
        _outage_logged_at = now
        log.warning("API rate limit not applied: the cache is unavailable", exc_info=True)

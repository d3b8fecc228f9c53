"""Bearer-token authentication and the per-token rate limit for the event API."""

import time

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from console.ingest.services import token_authenticate


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
    """A fixed one-second window per token, counted in the shared cache (Redis in the full stack)."""
    limit = settings.API_RATE_LIMIT_PER_SECOND
    if not limit:
        return
    key = f"ratelimit:{token.pk}:{int(time.time())}"
    cache.add(key, 0, timeout=2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=2)
        count = 1
    if count > limit:
        raise Throttled(wait=1)

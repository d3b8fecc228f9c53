import time

from django.conf import settings
from django.contrib.auth import middleware
from django.http import HttpResponse
from django.urls import reverse

SEEN_KEY = "_seen"  # when the session was last marked active (seconds since the epoch)


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's: every view needs a log-in unless it is marked ``login_not_required`` (the log-in
    page, the health check and the token-authenticated API, in console/urls.py). Views still
    check the role.

    An htmx request gets no redirect to follow inside a panel: it is told to send the whole page
    to the log-in page.
    """

    def handle_no_permission(self, request, view_func):
        if request.htmx:
            response = HttpResponse(status=401)
            response["HX-Redirect"] = reverse("login")
            return response
        return super().handle_no_permission(request, view_func)


class SessionIdleMiddleware:
    """A session ends after ``SESSION_IDLE_HOURS`` without a request (SESSION_COOKIE_AGE): each
    request that comes more than ``SESSION_REFRESH_SECONDS`` after the last refresh moves its end.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) would do the same at the
    cost of a write on every page, panel and refresh; this way an agent's session moves at most
    once every few minutes, and ends at most that much earlier than the setting says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session_seen(request.session)
        return self.get_response(request)


def session_seen(session, *, at: float | None = None) -> None:
    """Mark the session active now, if its last mark is older than SESSION_REFRESH_SECONDS (or
    missing); a changed session is saved with a new end by Django's SessionMiddleware."""
    now = time.time() if at is None else at
    if now - session.get(SEEN_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
        session[SEEN_KEY] = int(now)

from django.contrib.auth import middleware
from django.http import HttpResponse
from django.urls import reverse


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

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse


class LoginRequiredMiddleware:
    """Every page needs a login, except the login page, static files and the token API.

    Kept as middleware so a new view cannot forget it; views still check the role.
    """

    OPEN_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated or request.path.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        if request.htmx:
            # A fragment asked for after the session ended: htmx sends the page to login.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = reverse("login")
            return response
        return redirect_to_login(request.get_full_path())

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from console.ingest import api as ingest_api
from console.picture import api as customer_api
from console.picture import conversations_api
from console.picture import credit_api as flags_api

api_patterns = [
    path("events", ingest_api.EventView.as_view(), name="events"),
    path("events/batch", ingest_api.EventBatchView.as_view(), name="events-batch"),
    path("customers", customer_api.CustomerSearchView.as_view(), name="customers"),
    path("customers/<int:pk>", customer_api.CustomerDetailView.as_view(), name="customer"),
    path("customers/<int:pk>/timeline", customer_api.TimelineView.as_view(), name="timeline"),
    path("customers/<int:pk>/credit-check", flags_api.CreditCheckView.as_view(), name="credit-check"),
    path("customers/<int:pk>/credit-approvals", flags_api.CreditApprovalsView.as_view(), name="credit-approvals"),
    path("credit-approvals/<int:pk>", flags_api.CreditApprovalView.as_view(), name="credit-approval"),
    path("conversations", conversations_api.ConversationListView.as_view(), name="conversations"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Integrators get JSON for a wrong path too, not the console's HTML 404 page (nor, for a
    # POST, the CSRF refusal meant for browsers).
    re_path(
        r"^[\s\S]*",  # any path at all, also one with a (percent-encoded) newline in it
        csrf_exempt(
            lambda request: JsonResponse(
                {"errors": {"path": [f"No API endpoint at {request.path} (see /api/v1/docs)."]}}, status=404
            )
        ),
    ),
]

# Source systems authenticate with a bearer token, not a log-in (console/ingest/auth.py).
for pattern in api_patterns:
    pattern.callback = login_not_required(pattern.callback)

urlpatterns = [
    path("api/v1/", include((api_patterns, "api"))),
    path("", RedirectView.as_view(pattern_name="conversations:home"), name="home"),
    path("customers/", include("console.picture.urls")),
    path("inbox/", include("console.conversations.urls")),
    path("cases/queues/", include("console.queues.urls")),
    path("cases/", include("console.cases.urls")),
    path("journeys/", include("console.journeys.urls")),
    path("callbacks/", include("console.callbacks.urls")),
    path("messages/", include("console.messaging.urls")),
    path("flags/", include("console.flags.urls")),
    path("dashboard/", include("console.dashboard.urls")),
    path("privacy/", include("console.privacy.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", login_not_required(lambda request: HttpResponse("ok", content_type="text/plain")), name="healthz"),
]

# The last resort for an unhandled exception: 503 when the database or Redis is down, else 500.
handler500 = "console.errors.server_error"

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from console.commerce import views as commerce_views
from console.customers import views as customer_views
from console.timeline import views as timeline_views

customer_patterns = [
    path("", customer_views.search, name="search"),
    path("<int:customer_id>/", customer_views.picture, name="picture"),
    path("<int:customer_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("<int:customer_id>/record/", timeline_views.record, name="record"),
    path("<int:customer_id>/lines/<int:line_id>/return/", commerce_views.open_return, name="open-return"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:search"), name="home"),
    path("customers/", include((customer_patterns, "customers"))),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
]

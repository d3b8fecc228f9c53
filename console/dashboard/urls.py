from django.urls import path

from console.dashboard import inbox_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sections/", views.sections, name="sections"),
    path("inbox/", inbox_views.inbox_section, name="inbox"),
    path("inbox.csv", inbox_views.inbox_export, name="inbox-export"),
]

from django.urls import path

from console.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sections/", views.sections, name="sections"),
]

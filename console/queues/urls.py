from django.urls import path

from console.queues import views

app_name = "queues"

urlpatterns = [
    path("", views.queues, name="queues"),
    path("<slug:team>/", views.queue, name="queue"),
]

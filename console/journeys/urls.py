from django.urls import path

from console.journeys import views

app_name = "journeys"

urlpatterns = [
    path("start/<int:customer_id>/", views.start, name="start"),
    path("case/<int:case_id>/choice/", views.choice, name="choice"),
    path("case/<int:case_id>/step-done/", views.step_done, name="step-done"),
]

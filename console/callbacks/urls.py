from django.urls import path

from console.callbacks import views

app_name = "callbacks"

urlpatterns = [
    path("promise/<int:customer_id>/", views.promise, name="promise"),
    path("cases/<int:case_id>/promise/", views.promise_on_case, name="promise-on-case"),
    path("<int:callback_id>/made/", views.complete, name="complete"),
    path("<int:callback_id>/move/", views.reschedule, name="reschedule"),
]

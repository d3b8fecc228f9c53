from django.urls import path

from console.cases import views

app_name = "cases"

urlpatterns = [
    path("<int:case_id>/", views.case, name="case"),
    path("<int:case_id>/live/", views.case_live, name="case-live"),
    path("<int:case_id>/update/", views.update, name="update"),
    path("<int:case_id>/notes/", views.note, name="note"),
    path("<int:case_id>/close/", views.close_complaint, name="close-complaint"),
    path("open/<int:customer_id>/", views.open_case, name="open"),
    path("entries/<int:entry_id>/link/", views.link_entry, name="link-entry"),
    path("entries/<int:entry_id>/open/", views.open_from_entry, name="open-from-entry"),
]

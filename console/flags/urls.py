from django.urls import path

from console.flags import views

app_name = "flags"

urlpatterns = [
    path("customers/<int:customer_id>/flags/<slug:kind>/", views.flag, name="flag"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/notices/", views.notices, name="approval-notices"),
    path("approvals/<int:approval_id>/decide/", views.decide, name="approval-decide"),
]

from django.urls import path

from console.privacy import audit_views

app_name = "privacy"

urlpatterns = [
    path("audit/", audit_views.audit_trail, name="audit"),
    path("audit.csv", audit_views.audit_export, name="audit-export"),
]

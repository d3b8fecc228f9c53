from django.urls import path

from console.privacy import audit_views, views

app_name = "privacy"

urlpatterns = [
    path("customers/<int:customer_id>/", views.customer_privacy, name="customer"),
    path("customers/<int:customer_id>/export", views.export_new, name="export-new"),
    path("customers/<int:customer_id>/erasure", views.erasure_new, name="erasure-new"),
    path("exports/<int:export_id>/", views.export_status, name="export"),
    path("exports/<int:export_id>/download.<str:kind>", views.export_download, name="export-download"),
    path("erasures/", views.erasures, name="erasures"),
    path("erasures/<int:erasure_id>/decide", views.erasure_decision, name="erasure-decide"),
    path("audit/", audit_views.audit_trail, name="audit"),
    path("audit.csv", audit_views.audit_export, name="audit-export"),
]

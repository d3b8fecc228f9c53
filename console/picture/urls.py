"""The customer pages under /customers/ (URL namespace ``customers``): search, the picture and
the forms on it. They gather from several apps (the timeline panel with each message's
delivery status, the orders and returns panels, the credit check), so they live here."""

from django.urls import path

from console.picture import credit_views, views

app_name = "customers"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:customer_id>/", views.picture, name="picture"),
    path("<int:customer_id>/merge/", views.merge, name="merge"),
    path("<int:customer_id>/address/<int:address_id>/confirm/", views.confirm_address, name="address-confirm"),
    path("<int:customer_id>/address/<int:address_id>/correct/", views.correct_address, name="address-correct"),
    path("<int:customer_id>/timeline/", views.timeline, name="timeline"),
    path("<int:customer_id>/record/", views.record, name="record"),
    path("<int:customer_id>/lines/<int:line_id>/return/", views.open_return, name="open-return"),
    path("<int:customer_id>/credit-check/", credit_views.check, name="credit-check"),
    path("<int:customer_id>/credit-approvals/", credit_views.ask_approval, name="credit-approval-ask"),
]

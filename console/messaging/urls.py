from django.urls import path

from console.messaging import views

app_name = "messaging"
urlpatterns = [
    path("customers/<int:customer_id>/statement/", views.statement, name="statement"),
    path("customers/<int:customer_id>/statement/send/", views.statement_send_view, name="statement-send"),
    path("customers/<int:customer_id>/<int:message_id>/retry/", views.message_retry_view, name="message-retry"),
    path("customers/<int:customer_id>/messages/", views.messages_panel_view, name="messages"),
    path("customers/<int:customer_id>/messages/send/", views.message_send_view, name="message-send"),
]

from django.urls import path

from console.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.home, name="home"),
    path("counts/", views.counts, name="counts"),
    path("team/<slug:team>/", views.inbox, {"view": "team"}, name="team"),
    path("<slug:view>/", views.inbox, name="inbox"),
    path("conversations/<int:conversation_id>/take/", views.take, name="take"),
    path("conversations/<int:conversation_id>/hand-back/", views.hand_back, name="hand-back"),
    path("conversations/<int:conversation_id>/done/", views.done, name="done"),
    path("conversations/<int:conversation_id>/reply/", views.reply, name="reply"),
]

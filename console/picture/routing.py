from django.urls import path

from console.picture.consumers import PictureConsole

websocket_urlpatterns = [path("ws/console/", PictureConsole.as_asgi())]

from django.urls import path

from chat import consumers

websocket_urlpatterns = [
    path("ws/chats/<int:chat_id>/", consumers.ChatConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]

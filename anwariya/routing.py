"""Websocket routes of every app, gathered for the ASGI router."""

from chat.routing import websocket_urlpatterns as chat_routes

websocket_urlpatterns = [*chat_routes]

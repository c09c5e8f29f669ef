from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("", views.ChatListView.as_view(), name="chat-list"),
    path("start/", views.ChatStartView.as_view(), name="chat-start"),
    path("<int:pk>/", views.ChatDetailView.as_view(), name="chat-detail"),
    path("telegram/code/", views.TelegramCodeView.as_view(), name="telegram-code"),
    path("telegram/unlink/", views.TelegramUnlinkView.as_view(), name="telegram-unlink"),
]

from django.urls import path

from chat import views

app_name = "chat"

urlpatterns = [
    path("", views.ChatListView.as_view(), name="chat-list"),
    path("start/", views.ChatStartView.as_view(), name="chat-start"),
    path("<int:pk>/", views.ChatDetailView.as_view(), name="chat-detail"),
    path("<int:pk>/archive/", views.ChatArchiveView.as_view(), name="chat-archive"),
    path("<int:pk>/unarchive/", views.ChatArchiveView.as_view(archive=False), name="chat-unarchive"),
    path("<int:pk>/suggestions/", views.ChatSuggestionsView.as_view(), name="chat-suggestions"),
    path("telegram/code/", views.TelegramCodeView.as_view(), name="telegram-code"),
    path("telegram/unlink/", views.TelegramUnlinkView.as_view(), name="telegram-unlink"),
]

from django.urls import path
from rest_framework_simplejwt.views import TokenBlacklistView, TokenRefreshView

from accounts.api import views

urlpatterns = [
    path("auth/register/", views.RegisterApi.as_view(), name="api-register"),
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/blacklist/", TokenBlacklistView.as_view(), name="api-token-blacklist"),
    path("auth/me/", views.MeApi.as_view(), name="api-me"),
    path("auth/password/", views.PasswordChangeApi.as_view(), name="api-password"),
]

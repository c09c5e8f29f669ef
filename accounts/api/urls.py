from django.urls import path
from rest_framework_simplejwt.views import TokenBlacklistView, TokenRefreshView

from accounts.api import views, wallet

urlpatterns = [
    path("auth/register/", views.RegisterApi.as_view(), name="api-register"),
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/blacklist/", TokenBlacklistView.as_view(), name="api-token-blacklist"),
    path("auth/me/", views.MeApi.as_view(), name="api-me"),
    path("auth/me/export/", views.AccountExportApi.as_view(), name="api-me-export"),
    path("auth/password/", views.PasswordChangeApi.as_view(), name="api-password"),
    path("wallet/", wallet.WalletApi.as_view(), name="api-wallet"),
    path("wallet/transactions/", wallet.WalletTransactionListApi.as_view(), name="api-wallet-transactions"),
    path("wallet/spend/", wallet.WalletSpendApi.as_view(), name="api-wallet-spend"),
    path("wallets/<int:user_id>/", wallet.StaffWalletApi.as_view(), name="api-staff-wallet"),
    path("wallets/<int:user_id>/adjust/", wallet.StaffWalletAdjustApi.as_view(), name="api-staff-wallet-adjust"),
]

from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/export/", views.AccountExportView.as_view(), name="account_export"),
    path("account/export/<str:token>/", views.AccountExportDownloadView.as_view(), name="account_export_download"),
    path("account/close/", views.AccountCloseView.as_view(), name="account_close"),
    path("wallet/", views.WalletView.as_view(), name="wallet"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

from django.urls import path

from analytics import views
from analytics.views_import import SalesImportView

app_name = "analytics"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("import/", SalesImportView.as_view(), name="import"),
]

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.BillListView.as_view(), name="bill-list"),
    path("new/", views.BillCreateView.as_view(), name="bill-create"),
    path("<int:pk>/", views.BillDetailView.as_view(), name="bill-detail"),
    path("<int:pk>/void/", views.BillVoidView.as_view(), name="bill-void"),
    path("<int:pk>/resend/", views.BillResendView.as_view(), name="bill-resend"),
    path("<int:pk>/invoice.pdf", views.BillInvoiceView.as_view(), name="bill-invoice"),
]

from django.urls import path

from billing import views

app_name = "billing"

# Included at the site's root: the bills live under /bills/, and the sales import stays at the
# address it has always had, /analytics/import/ (analytics reads the imported sales).
urlpatterns = [
    path("bills/", views.BillListView.as_view(), name="bill-list"),
    path("bills/new/", views.BillCreateView.as_view(), name="bill-create"),
    path("bills/<int:pk>/", views.BillDetailView.as_view(), name="bill-detail"),
    path("bills/<int:pk>/void/", views.BillVoidView.as_view(), name="bill-void"),
    path("bills/<int:pk>/resend/", views.BillResendView.as_view(), name="bill-resend"),
    path("bills/<int:pk>/invoice.pdf", views.BillInvoiceView.as_view(), name="bill-invoice"),
    path("bills/<int:pk>/returns/", views.BillReturnView.as_view(), name="bill-return"),
    path("credit-notes/<int:pk>/credit-note.pdf", views.CreditNotePdfView.as_view(), name="credit-note-pdf"),
    path("analytics/import/", views.SalesImportView.as_view(), name="sales-import"),
    path("gst/summary/", views.GstSummaryView.as_view(), name="gst-summary"),
]

from django.urls import path

from collaborations.views import collaborations as views
from collaborations.views import deliverables, money, results, shipments

app_name = "collaborations"

urlpatterns = [
    path("", views.CollaborationListView.as_view(), name="collaboration-list"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("chat/<int:chat_pk>/", views.ForChatView.as_view(), name="for-chat"),
    path("<int:pk>/", views.CollaborationDetailView.as_view(), name="collaboration-detail"),
    path("<int:pk>/terms/new/", views.TermsSendView.as_view(), name="terms-send"),
    # deliverables
    path("deliverables/<int:pk>/", deliverables.DeliverableDetailView.as_view(), name="deliverable-detail"),
    path("deliverables/<int:pk>/submit/", deliverables.DeliverableSubmitView.as_view(), name="deliverable-submit"),
    path("deliverables/<int:pk>/approve/", deliverables.DeliverableApproveView.as_view(), name="deliverable-approve"),
    path(
        "deliverables/<int:pk>/request-changes/",
        deliverables.DeliverableRequestChangesView.as_view(),
        name="deliverable-request-changes",
    ),
    path("submissions/<int:pk>/file/", deliverables.SubmissionFileView.as_view(), name="submission-file"),
    path("<int:pk>/complete/", deliverables.CollaborationCompleteView.as_view(), name="collaboration-complete"),
    # shipments
    path("<int:pk>/shipments/new/", shipments.ShipmentCreateView.as_view(), name="shipment-create"),
    path("<int:pk>/shipping-address/", shipments.ShippingAddressView.as_view(), name="shipping-address"),
    path("shipments/<int:pk>/", shipments.ShipmentUpdateView.as_view(), name="shipment-update"),
    # money: ledger and payouts
    path("earnings/", money.EarningsView.as_view(), name="earnings"),
    path("owed/", money.OwedView.as_view(), name="owed"),
    path("<int:pk>/ledger/", money.LedgerView.as_view(), name="ledger"),
    path("<int:pk>/payouts/new/", money.PayoutRecordView.as_view(), name="payout-record"),
    # results
    path("results/", results.ResultsView.as_view(), name="results"),
    path("<int:pk>/<str:verb>/", views.CollaborationActionView.as_view(), name="collaboration-action"),
]

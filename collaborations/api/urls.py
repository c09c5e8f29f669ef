"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import deliverables, money, results, shipments

urlpatterns = [
    # deliverables
    path(
        "collaborations/<int:pk>/deliverables/",
        deliverables.CollaborationDeliverablesApi.as_view(),
        name="api-collaboration-deliverables",
    ),
    path(
        "collaborations/<int:pk>/complete/",
        deliverables.CollaborationCompleteApi.as_view(),
        name="api-collaboration-complete",
    ),
    path("deliverables/<int:pk>/submit/", deliverables.DeliverableSubmitApi.as_view(), name="api-deliverable-submit"),
    path(
        "deliverables/<int:pk>/approve/", deliverables.DeliverableApproveApi.as_view(), name="api-deliverable-approve"
    ),
    path(
        "deliverables/<int:pk>/request-changes/",
        deliverables.DeliverableRequestChangesApi.as_view(),
        name="api-deliverable-request-changes",
    ),
    path("submissions/<int:pk>/file/", deliverables.SubmissionFileApi.as_view(), name="api-submission-file"),
    # shipments
    path(
        "collaborations/<int:pk>/shipments/",
        shipments.CollaborationShipmentsApi.as_view(),
        name="api-collaboration-shipments",
    ),
    path("shipments/<int:pk>/", shipments.ShipmentApi.as_view(), name="api-shipment"),
    # money: ledger and payouts
    path("collaborations/<int:pk>/ledger/", money.CollaborationLedgerApi.as_view(), name="collaboration-ledger"),
    path("collaborations/<int:pk>/payouts/", money.CollaborationPayoutsApi.as_view(), name="collaboration-payouts"),
    # results
    path(
        "collaborations/<int:pk>/results/", results.CollaborationResultsApi.as_view(), name="api-collaboration-results"
    ),
]

"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import deliverables

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
    # money: ledger and payouts
    # results
]

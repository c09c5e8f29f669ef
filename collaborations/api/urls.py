"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import results

urlpatterns = [
    # deliverables
    # shipments
    # money: ledger and payouts
    # results
    path(
        "collaborations/<int:pk>/results/", results.CollaborationResultsApi.as_view(), name="api-collaboration-results"
    ),
]

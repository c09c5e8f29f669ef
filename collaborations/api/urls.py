"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import money

urlpatterns = [
    # deliverables
    # shipments
    # money: ledger and payouts
    path("collaborations/<int:pk>/ledger/", money.CollaborationLedgerApi.as_view(), name="collaboration-ledger"),
    path("collaborations/<int:pk>/payouts/", money.CollaborationPayoutsApi.as_view(), name="collaboration-payouts"),
    # results
]

"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path  # noqa: F401 (the areas add their paths)

urlpatterns = [
    # deliverables
    # shipments
    # money: ledger and payouts
    # results
]

"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import money, shipments

urlpatterns = [
    # deliverables
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
]

"""Collaborations' API paths, under ``/api/v1/``. The collaboration viewset is registered in
``anwariya.urls``'s router (``collaborations/``, its ``terms`` actions)."""

from django.urls import path

from collaborations.api import shipments

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
    # results
]

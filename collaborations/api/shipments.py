"""Gift shipments: ``/api/v1/collaborations/{id}/shipments/`` (the two parties read them, the
vendor makes them) and ``/api/v1/shipments/{id}/`` (read; ``PATCH`` moves it). Thin: the rules
are in ``collaborations.shipments``. What the gifts cost is shown to the vendor (and staff), never
to the influencer: ``cost`` and ``unit_cost`` are null for them."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from anwariya.api.filters import MAX_ID
from anwariya.api.schema import ErrorSerializer, conflict
from anwariya.api.serializers import StrictInputMixin
from anwariya.idempotency import idempotent
from billing.api import BillLineResultSerializer
from collaborations import selectors, shipments
from collaborations.models import Shipment, ShipmentItem

COST_HELP = "At cost price when sent; null for the influencer."


class ShipmentItemSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    unit_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text=COST_HELP
    )

    class Meta:
        model = ShipmentItem
        fields = ["id", "product", "product_name", "sku", "quantity", "unit_cost"]
        read_only_fields = fields

    def to_representation(self, item):
        data = super().to_representation(item)
        if not self.context.get("show_cost"):
            data["unit_cost"] = None
        return data


class ShipmentSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Shipment.Status.choices, read_only=True)
    items = ShipmentItemSerializer(many=True, read_only=True)
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text=f"The items' total. {COST_HELP}"
    )

    class Meta:
        model = Shipment
        fields = [
            "id",
            "collaboration",
            "status",
            "address",
            "carrier",
            "tracking_number",
            "items",
            "cost",
            "created_by",
            "created_at",
            "shipped_at",
            "delivered_at",
            "returned_at",
        ]
        read_only_fields = fields

    def to_representation(self, shipment):
        data = super().to_representation(shipment)
        if not self.context.get("show_cost"):
            data["cost"] = None
        return data


class ShipmentLineInputSerializer(StrictInputMixin, serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of one of your active products.")
    quantity = serializers.IntegerField(min_value=1, max_value=shipments.MAX_QUANTITY)


class ShipmentInputSerializer(StrictInputMixin, serializers.Serializer):
    items = ShipmentLineInputSerializer(
        many=True, min_length=1, max_length=shipments.MAX_LINES, help_text="Each product once."
    )
    address = serializers.CharField(
        max_length=shipments.ADDRESS_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Where to send it; empty or left out: the address the influencer gave.",
    )
    carrier = serializers.CharField(max_length=shipments.CARRIER_MAX, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=shipments.TRACKING_NUMBER_MAX, required=False, allow_blank=True, default=""
    )


class ShipmentUpdateInputSerializer(StrictInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Shipment.Status.choices,
        required=False,
        help_text="The next status: preparing → shipped (needs a carrier and tracking number) → delivered; "
        "returned from any of them (from preparing: cancelled before it was sent). Left out: only "
        "the carrier or tracking number change (preparing or shipped shipments).",
    )
    carrier = serializers.CharField(max_length=shipments.CARRIER_MAX, required=False, allow_blank=True)
    tracking_number = serializers.CharField(max_length=shipments.TRACKING_NUMBER_MAX, required=False, allow_blank=True)


STEP = conflict(
    "The shipment's status refuses this step (e.g. delivered before shipped, anything after returned), "
    "its tracking no longer changes, or a returned gift would take a product past the stock limit."
)


class ShipmentConflictSerializer(ErrorSerializer):
    lines = BillLineResultSerializer(
        many=True,
        required=False,
        help_text="When stock is short: each line that could not be sent, and what is left.",
    )


CREATE_CONFLICT = OpenApiResponse(
    ShipmentConflictSerializer,
    description="Not enough stock for every line (`lines` lists each short line and what is left; no "
    "stock left), or the collaboration refuses gifts (closed, or no terms accepted yet).",
)


class CollaborationShipmentsApi(generics.GenericAPIView):
    queryset = Shipment.objects.none()  # for the schema; the collaboration scopes it
    serializer_class = ShipmentSerializer
    filter_backends = []

    @extend_schema(
        tags=["collaborations"],
        responses=ShipmentSerializer(many=True),
        description="The collaboration's gift shipments, newest first, with their items (both parties; "
        "the cost for the vendor only).",
    )
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        page = self.paginate_queryset(selectors.shipments_of_collaboration(collaboration))
        return self.get_paginated_response(_data(request, collaboration, page, many=True))

    @extend_schema(
        tags=["collaborations"],
        request=ShipmentInputSerializer,
        responses={
            201: ShipmentSerializer,
            409: CREATE_CONFLICT,
            422: OpenApiResponse(
                ErrorSerializer, description="This `Idempotency-Key` was used with a different request."
            ),
        },
        description="The vendor gifts products of their active catalog to the influencer: a `preparing` "
        "shipment whose stock leaves at once (all lines or none). The collaboration must be open with "
        "accepted terms. Honours `Idempotency-Key` (a retry sends the gift once).",
    )
    @idempotent
    def post(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        shipments.check_sender(collaboration, request.user)
        serializer = ShipmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        shipment = shipments.shipment_create(
            collaboration=collaboration,
            actor=request.user,
            items=[dict(line) for line in data["items"]],
            address=data["address"],
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
        )
        shipment = selectors.shipment_for_user(request.user, shipment.pk)
        return Response(_data(request, collaboration, shipment), status=status.HTTP_201_CREATED)


class ShipmentApi(generics.GenericAPIView):
    queryset = Shipment.objects.none()
    serializer_class = ShipmentSerializer

    @extend_schema(tags=["collaborations"], responses=ShipmentSerializer, description="A gift shipment.")
    def get(self, request, pk):
        shipment = selectors.shipment_for_user(request.user, pk)
        return Response(_data(request, shipment.collaboration, shipment))

    @extend_schema(
        tags=["collaborations"],
        request=ShipmentUpdateInputSerializer,
        responses={200: ShipmentSerializer, 409: STEP},
        description="The vendor moves the shipment to its next `status`, with the `carrier` and "
        "`tracking_number` when it is shipped; without `status`, corrects them. Returned puts the "
        "stock back. The influencer may only mark a shipped gift `delivered` (403 otherwise).",
    )
    def patch(self, request, pk):
        shipment = selectors.shipment_for_user(request.user, pk)
        serializer = ShipmentUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "status" in data:
            shipments.shipment_update_status(
                shipment=shipment,
                actor=request.user,
                status=data["status"],
                carrier=data.get("carrier"),
                tracking_number=data.get("tracking_number"),
            )
        else:
            shipments.shipment_update_tracking(
                shipment=shipment,
                actor=request.user,
                carrier=data.get("carrier"),
                tracking_number=data.get("tracking_number"),
            )
        shipment = selectors.shipment_for_user(request.user, pk)
        return Response(_data(request, shipment.collaboration, shipment))


def _data(request, collaboration, instance, many=False):
    context = {"request": request, "show_cost": request.user.pk != collaboration.influencer_id}
    return ShipmentSerializer(instance, many=many, context=context).data

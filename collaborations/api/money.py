"""``/api/v1/collaborations/{id}/ledger/`` and ``…/payouts/``: the money owed to the influencer.

Either party (and staff) reads; only the vendor records a payout. Thin: the rules are in
``collaborations.payouts`` and the reads in ``collaborations.balances``.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from anwariya.api.pagination import PageNumberPagination
from anwariya.api.schema import ErrorSerializer, conflict
from anwariya.api.serializers import StrictInputMixin
from anwariya.idempotency import HEADER, MAX_KEY_LENGTH, idempotent
from collaborations import balances, payouts, selectors
from collaborations.models import MONEY, LedgerEntry, Payout
from collaborations.services import NotAllowed

AMOUNT = {"max_digits": MONEY["max_digits"], "decimal_places": MONEY["decimal_places"]}


class BalancesSerializer(serializers.Serializer):
    held = serializers.DecimalField(**AMOUNT, help_text="Commission earned, still in its hold period.")
    payable = serializers.DecimalField(
        **AMOUNT, help_text="Owed now; negative after a reversal of commission already paid."
    )
    paid = serializers.DecimalField(**AMOUNT, help_text="Paid so far.")
    currency = serializers.CharField()


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    held = serializers.DecimalField(**AMOUNT, help_text="The change of held.")
    payable = serializers.DecimalField(**AMOUNT, help_text="The change of payable.")
    paid = serializers.DecimalField(**AMOUNT, help_text="The change of paid.")
    held_after = serializers.DecimalField(**AMOUNT)
    payable_after = serializers.DecimalField(**AMOUNT)
    paid_after = serializers.DecimalField(**AMOUNT)
    bill_number = serializers.CharField(source="bill.number", default=None, help_text="The attributed bill.")
    base_amount = serializers.DecimalField(**AMOUNT, allow_null=True, help_text="An earning's bill before tax.")
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="Percent.")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "held",
            "payable",
            "paid",
            "held_after",
            "payable_after",
            "paid_after",
            "currency",
            "bill",
            "bill_number",
            "base_amount",
            "rate",
            "release_at",
            "earning",
            "payout",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class PayoutSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**AMOUNT)
    method = serializers.ChoiceField(choices=Payout.Method.choices)

    class Meta:
        model = Payout
        fields = ["id", "amount", "currency", "method", "reference", "paid_on", "note", "created_by", "created_at"]
        read_only_fields = fields


class PayoutInputSerializer(StrictInputMixin, serializers.Serializer):
    amount = serializers.DecimalField(
        **AMOUNT,
        min_value=payouts.MIN_AMOUNT,
        max_value=payouts.MAX_AMOUNT,
        help_text="What you paid; at most what is payable now (else 409).",
    )
    method = serializers.ChoiceField(choices=Payout.Method.choices)
    reference = serializers.CharField(
        max_length=payouts.REFERENCE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="The UPI or bank transaction reference.",
    )
    paid_on = serializers.DateField(required=False, help_text="The day you paid (default today); not in the future.")
    note = serializers.CharField(max_length=payouts.PAYOUT_NOTE_MAX, required=False, allow_blank=True, default="")


class LedgerPagination(PageNumberPagination):
    """A page of ledger rows, and the collaboration's balances beside it."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        money = {"type": "string", "format": "decimal", "pattern": r"^-?\d{0,12}(?:\.\d{0,2})?$"}
        paginated["properties"]["balances"] = {
            "type": "object",
            "description": "The balances now: each equals the sum of its column over every row.",
            "properties": {"held": money, "payable": money, "paid": money, "currency": {"type": "string"}},
            "required": ["held", "payable", "paid", "currency"],
        }
        paginated["required"] = [*paginated.get("required", []), "balances"]
        return paginated


class CollaborationLedgerApi(generics.ListAPIView):
    queryset = LedgerEntry.objects.none()  # the schema's model; requests read the selector
    serializer_class = LedgerEntrySerializer
    pagination_class = LedgerPagination
    filter_backends = []

    @extend_schema(
        tags=["collaborations"],
        operation_id="collaborations_ledger_list",
        description="Every change of the money owed to the influencer, newest first, and the balances "
        "(held, payable, paid). Either party reads; 404 for anyone else.",
    )
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        page = self.paginate_queryset(balances.ledger_of_collaboration(collaboration))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["balances"] = BalancesSerializer(balances.balances_of(collaboration)).data
        return response


IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    description="Any unique text (a UUID): a retry with the same key and body replays the first answer "
    "instead of paying again; the same key with another body is refused (422).",
)


class CollaborationPayoutsApi(generics.ListAPIView):
    queryset = Payout.objects.none()
    serializer_class = PayoutSerializer
    filter_backends = []

    @extend_schema(
        tags=["collaborations"],
        operation_id="collaborations_payouts_list",
        description="The payouts the vendor recorded, newest first. Either party reads; 404 for anyone else.",
    )
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        page = self.paginate_queryset(balances.payouts_of_collaboration(collaboration))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=["collaborations"],
        operation_id="collaborations_payouts_create",
        parameters=[IDEMPOTENCY_KEY],
        request=PayoutInputSerializer,
        responses={
            201: PayoutSerializer,
            409: conflict("More than what is payable now (`errors.amount` says how much is)."),
            422: OpenApiResponse(ErrorSerializer, description="The Idempotency-Key was used with another request."),
        },
        description="The vendor records a payout made outside Anwariya (UPI, bank transfer …): payable → paid. "
        "Never more than payable; honours `Idempotency-Key`. The influencer is told in the chat and by email. "
        "Only the vendor (403 for the influencer).",
    )
    @idempotent
    def post(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        if request.user.pk != collaboration.vendor_id:
            raise NotAllowed("Only the collaboration's vendor records payouts.")
        serializer = PayoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payout = payouts.payout_record(
            collaboration=collaboration,
            actor=request.user,
            amount=data["amount"],
            method=data["method"],
            reference=data["reference"],
            paid_on=data.get("paid_on"),
            note=data["note"],
        )
        return Response(PayoutSerializer(payout).data, status=status.HTTP_201_CREATED)

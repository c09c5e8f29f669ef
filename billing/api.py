from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from anwariya.api.filters import MAX_ID
from anwariya.api.permissions import IsVendor
from anwariya.api.schema import ErrorSerializer, conflict
from anwariya.api.serializers import StrictInputMixin
from anwariya.idempotency import idempotent
from billing import selectors, services
from billing.filters import BillFilter
from billing.invoices import invoice_response
from billing.models import Bill, BillItem
from catalog.services import MAX_QUANTITY
from profiles.gst import GstState


class BillItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillItem
        fields = [
            "id",
            "product",
            "product_name",
            "sku",
            "hsn_code",
            "unit",
            "quantity",
            "unit_price",
            "unit_cost",
            "gst_rate",
            "taxable_value",
            "cgst",
            "sgst",
            "igst",
            "line_tax",
            "line_total",
            "line_cost",
            "line_profit",
        ]
        extra_kwargs = {
            "gst_rate": {"help_text": "Percent charged (GST; a plain invoice's tax rate); null when no tax."},
            "taxable_value": {"help_text": "The line's value before tax: the revenue."},
            "sgst": {"help_text": "State tax (UTGST in a union territory without a legislature)."},
            "line_tax": {"help_text": "All the line's tax: cgst + sgst + igst, or a plain invoice's tax."},
            "line_total": {"help_text": "taxable_value + line_tax: what the customer pays for the line."},
            "line_profit": {"help_text": "taxable_value minus line_cost."},
        }


BILL_FIELD_HELP = {
    "document_type": "`tax_invoice` (GST charged), `bill_of_supply` (composition or unregistered vendor: no tax) "
    "or `invoice` (outside India).",
    "place_of_supply": "Two-digit GST state code: CGST + SGST when it is the vendor's state, IGST otherwise.",
    "taxable_total": "The sum of the lines' taxable values: the revenue (tax is not revenue).",
    "tax_total": "The tax charged; `total` = `taxable_total` + `tax_total`.",
    "total": "What the customer pays.",
    "profit": "`taxable_total` minus `cost`.",
}


class BillSerializer(serializers.ModelSerializer):
    items = BillItemSerializer(many=True, read_only=True)
    campaign = serializers.IntegerField(
        source="referral.campaign_id", read_only=True, allow_null=True, help_text="Campaign the sale is attributed to."
    )
    influencer = serializers.IntegerField(
        source="referral.influencer_id", read_only=True, allow_null=True, help_text="Influencer who referred the sale."
    )

    class Meta:
        model = Bill
        fields = [
            "id",
            "number",
            "customer_name",
            "customer_email",
            "referral_code",
            "campaign",
            "influencer",
            "status",
            "is_imported",
            "currency",
            "document_type",
            "customer_gstin",
            "customer_address",
            "place_of_supply",
            "supplier_legal_name",
            "supplier_address",
            "supplier_state",
            "supplier_gstin",
            "prices_include_tax",
            "taxable_total",
            "tax_total",
            "total",
            "cost",
            "profit",
            "items",
            "created_at",
            "voided_at",
            "email_status",
            "email_attempts",
            "email_error",
            "email_sent_at",
        ]
        extra_kwargs = {name: {"help_text": text} for name, text in BILL_FIELD_HELP.items()}


class BillLineInputSerializer(StrictInputMixin, serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of one of your products.")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Defaults to the product's sale price.",
    )


class BillInputSerializer(StrictInputMixin, serializers.Serializer):
    customer_name = serializers.CharField(max_length=200)
    customer_email = serializers.EmailField(max_length=254)
    referral_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    customer_gstin = serializers.CharField(
        max_length=15, required=False, allow_blank=True, default="", help_text="The buyer's GSTIN: a B2B sale."
    )
    customer_address = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Billing address; required on a tax invoice of ₹50,000 or more to a buyer without a GSTIN.",
    )
    place_of_supply = serializers.ChoiceField(
        choices=GstState.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Two-digit GST state code; default: the state of `customer_gstin`, else the vendor's.",
    )
    allow_partial = serializers.BooleanField(
        default=False, help_text="Sell the lines in stock and report the rest, instead of refusing the whole bill."
    )
    items = BillLineInputSerializer(many=True, allow_empty=False, max_length=200)


class BillLineResultSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Index of the line in the request.")
    field = serializers.CharField(required=False, help_text="The input field the failure is about.")
    product = serializers.IntegerField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField(required=False)
    requested = serializers.IntegerField(required=False)
    available = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False)


class InsufficientStockSerializer(ErrorSerializer):
    lines = BillLineResultSerializer(many=True, help_text="Each line that could not be sold, and why.")


class BillCreatedSerializer(BillSerializer):
    purchased = BillLineResultSerializer(many=True)
    failed = BillLineResultSerializer(many=True)

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "purchased", "failed"]


@extend_schema(tags=["billing"])
class BillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The logged-in vendor's bills (sales)."""

    queryset = Bill.objects.none()  # for the schema; get_queryset scopes to the vendor
    lookup_value_regex = r"\d+"
    serializer_class = BillSerializer
    permission_classes = [IsVendor]
    filterset_class = BillFilter
    search_fields = BillFilter.search_fields
    ordering_fields = ["created_at", "total", "number"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return selectors.bills_for_vendor(self.request.user)

    def get_object(self):
        return selectors.bill_for_vendor(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=BillInputSerializer,
        responses={
            201: BillCreatedSerializer,
            409: OpenApiResponse(
                InsufficientStockSerializer,
                description="Not enough stock (or nothing to sell): `lines` lists each short line and what is left.",
            ),
        },
        description=(
            "Sell to a customer. All lines are sold or none (409 listing every short line), unless "
            "`allow_partial` is true. Honours `Idempotency-Key`. The invoice PDF is emailed after the sale."
        ),
    )
    @idempotent
    def create(self, request):
        serializer = BillInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.bill_create(
            vendor=request.user,
            customer_name=data["customer_name"],
            customer_email=data["customer_email"],
            referral_code=data["referral_code"],
            customer_gstin=data["customer_gstin"],
            customer_address=data["customer_address"],
            place_of_supply=data["place_of_supply"],
            allow_partial=data["allow_partial"],
            items=[services.Line(**line) for line in data["items"]],
            actor=request.user,
        )
        bill = selectors.bill_for_vendor(request.user, result.bill.pk)
        body = {**BillSerializer(bill).data, "purchased": result.purchased, "failed": result.failed}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: BillSerializer, 409: conflict("Void already, or imported history (never took stock).")},
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        bill = services.bill_void(bill=self.get_object(), actor=request.user)
        return Response(BillSerializer(selectors.bill_for_vendor(request.user, bill.pk)).data)

    @extend_schema(
        request=None,
        responses={202: BillSerializer, 409: conflict("The bill is void or imported: no invoice to send.")},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        bill = services.bill_resend_invoice(bill=self.get_object())
        return Response(
            BillSerializer(selectors.bill_for_vendor(request.user, bill.pk)).data, status=status.HTTP_202_ACCEPTED
        )


class JSONErrorsNegotiation(BaseContentNegotiation):
    """The PDF is returned as it is; anything rendered (an error) is JSON, whatever ``Accept`` says."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BillInvoiceApi(APIView):
    permission_classes = [IsVendor]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = JSONErrorsNegotiation

    @extend_schema(
        tags=["billing"],
        operation_id="bills_invoice_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The invoice PDF of one of your bills.",
    )
    def get(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        return invoice_response(bill, disposition="inline")

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from anwariya.api.filters import MAX_ID
from anwariya.api.permissions import IsVendor
from anwariya.api.schema import ErrorSerializer, conflict
from anwariya.api.serializers import BuiltFieldsMixin, StrictInputMixin
from anwariya.idempotency import idempotent
from billing import returns, selectors, services
from billing.filters import BillFilter
from billing.invoices import credit_note_response, invoice_response
from billing.models import Bill, BillItem, CreditNote, CreditNoteItem
from catalog.services import MAX_QUANTITY
from profiles.gst import GstState


class BillItemSerializer(BuiltFieldsMixin, serializers.ModelSerializer):
    returned_quantity = serializers.SerializerMethodField(help_text="Units returned on credit notes so far.")

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
            "returned_quantity",
        ]
        extra_kwargs = {
            "gst_rate": {"help_text": "Percent charged (GST; a plain invoice's tax rate); null when no tax."},
            "taxable_value": {"help_text": "The line's value before tax: the revenue."},
            "sgst": {"help_text": "State tax (UTGST in a union territory without a legislature)."},
            "line_tax": {"help_text": "All the line's tax: cgst + sgst + igst, or a plain invoice's tax."},
            "line_total": {"help_text": "taxable_value + line_tax: what the customer pays for the line."},
            "line_profit": {"help_text": "taxable_value minus line_cost."},
        }

    def get_returned_quantity(self, item) -> int:
        return sum(returned.quantity for returned in item.returns.all())


BILL_FIELD_HELP = {
    "document_type": "`tax_invoice` (GST charged), `bill_of_supply` (composition or unregistered vendor: no tax) "
    "or `invoice` (outside India).",
    "place_of_supply": "Two-digit GST state code: CGST + SGST when it is the vendor's state, IGST otherwise.",
    "taxable_total": "The sum of the lines' taxable values: the revenue (tax is not revenue).",
    "tax_total": "The tax charged; `total` = `taxable_total` + `tax_total`.",
    "total": "What the customer pays.",
    "profit": "`taxable_total` minus `cost`.",
}


class CreditNoteItemSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="bill_item.product_id", read_only=True)
    product_name = serializers.CharField(source="bill_item.product_name", read_only=True)
    gst_rate = serializers.DecimalField(
        source="bill_item.gst_rate", max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = CreditNoteItem
        fields = [
            "product",
            "product_name",
            "quantity",
            "gst_rate",
            "taxable_value",
            "cgst",
            "sgst",
            "igst",
            "line_tax",
            "line_total",
            "line_cost",
        ]


class CreditNoteSerializer(BuiltFieldsMixin, serializers.ModelSerializer):
    bill_number = serializers.CharField(source="bill.number", read_only=True, help_text="The invoice it credits.")
    items = CreditNoteItemSerializer(many=True, read_only=True)
    pdf = serializers.SerializerMethodField(help_text="Address of the credit note's PDF.")

    class Meta:
        model = CreditNote
        fields = [
            "id",
            "number",
            "bill",
            "bill_number",
            "reason",
            "taxable_total",
            "tax_total",
            "total",
            "cost",
            "items",
            "pdf",
            "email_status",
            "created_at",
        ]
        extra_kwargs = {"total": {"help_text": "What the customer is credited: taxable_total + tax_total."}}

    def get_pdf(self, note) -> str:
        return _absolute(self.context.get("request"), reverse("credit-note-pdf", args=[note.pk]))


class CreditNoteSummarySerializer(CreditNoteSerializer):
    class Meta(CreditNoteSerializer.Meta):
        fields = ["id", "number", "total", "pdf", "created_at"]


def _absolute(request, path) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class BillSerializer(BuiltFieldsMixin, serializers.ModelSerializer):
    items = BillItemSerializer(many=True, read_only=True)
    credit_notes = CreditNoteSummarySerializer(many=True, read_only=True, help_text="Returns of some of its lines.")
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
            "returned_taxable",
            "returned_cost",
            "cost",
            "profit",
            "items",
            "credit_notes",
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


class ReturnLineInputSerializer(StrictInputMixin, serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id of a product on the bill.")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, help_text="Units coming back.")


class ReturnInputSerializer(StrictInputMixin, serializers.Serializer):
    items = ReturnLineInputSerializer(many=True, allow_empty=False, max_length=200)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


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
        bill = selectors.bill_as_created(result.bill, result.items)
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
        request=ReturnInputSerializer,
        responses={
            201: CreditNoteSerializer,
            409: conflict(
                "The bill is void or imported, or a line asks back more than was sold less what was returned "
                "(`errors.items` names it)."
            ),
        },
        description=(
            "Return some lines of the bill: the units go back to stock and a credit note is issued (its own "
            "gapless series), reversing their value and tax, and emailed to the customer. Honours "
            "`Idempotency-Key`."
        ),
    )
    @action(detail=True, methods=["post"], url_path="returns")
    @idempotent
    def returns(self, request, pk=None):
        serializer = ReturnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note = returns.bill_return(
            bill=self.get_object(),
            items=[returns.ReturnLine(**line) for line in data["items"]],
            reason=data["reason"],
            actor=request.user,
        )
        note = selectors.credit_note_for_vendor(request.user, note.pk)
        return Response(CreditNoteSerializer(note, context={"request": request}).data, status=status.HTTP_201_CREATED)

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


class VendorPdfApi(APIView):
    """One of the vendor's documents as a PDF; refusals (403, 404) are JSON whatever the client
    asked for, as the rest of the API answers them."""

    permission_classes = [IsVendor]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = JSONErrorsNegotiation


class BillInvoiceApi(VendorPdfApi):
    @extend_schema(
        tags=["billing"],
        operation_id="bills_invoice_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The invoice PDF of one of your bills.",
    )
    def get(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        return invoice_response(bill, disposition="inline")


@extend_schema(tags=["billing"])
class CreditNoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The logged-in vendor's credit notes (returns), newest first."""

    queryset = CreditNote.objects.none()  # for the schema; get_queryset scopes to the vendor
    lookup_value_regex = r"\d+"
    serializer_class = CreditNoteSerializer
    permission_classes = [IsVendor]
    filter_backends = []

    def get_queryset(self):
        return selectors.credit_notes_for_vendor(self.request.user)

    def get_object(self):
        return selectors.credit_note_for_vendor(self.request.user, self.kwargs["pk"])


class CreditNotePdfApi(VendorPdfApi):
    @extend_schema(
        tags=["billing"],
        operation_id="credit_notes_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The PDF of one of your credit notes.",
    )
    def get(self, request, pk):
        return credit_note_response(selectors.credit_note_for_vendor(request.user, pk), disposition="inline")

import re
from decimal import Decimal

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from anwariya.api.permissions import IsVendor
from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from catalog import selectors, services
from catalog.filters import ProductFilter
from catalog.models import HSN_CODE_PATTERN, Category, GstRate, Product, StockMovement, Unit

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
# A slug with at least one letter or digit: hyphens and underscores alone slugify to nothing.
SLUG_PATTERN = r"^[-_]*[a-zA-Z0-9][-a-zA-Z0-9_]*$"


# --- Categories -----------------------------------------------------------------------


class CategorySerializer(StrictInputMixin, serializers.ModelSerializer):
    slug = serializers.RegexField(
        SLUG_PATTERN,
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Letters, digits, hyphens or underscores (lowercased). Made from the name if empty.",
        error_messages={"invalid": "Give a slug of letters, digits, hyphens or underscores."},
    )

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "created_at"]
        read_only_fields = ["id", "created_at"]


class CanChangeCategory(IsAuthenticated):
    message = "Only vendors and admins can add categories, and only their creator or an admin can change one."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or request.user.is_vendor or request.user.is_staff

    def has_object_permission(self, request, view, obj):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return request.user.is_staff or obj.created_by_id == request.user.pk


@extend_schema(tags=["catalog"])
@extend_schema_view(
    destroy=extend_schema(responses={204: None, 409: conflict("The category still has products; move them first.")})
)
class CategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.none()  # for the schema
    lookup_value_regex = r"\d+"
    serializer_class = CategorySerializer
    permission_classes = [CanChangeCategory]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.categories_list()

    def perform_create(self, serializer):
        serializer.instance = services.category_create(**serializer.validated_data, actor=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.category_update(category=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.category_delete(category=instance)


# --- GST rates ------------------------------------------------------------------------

# A rate as the API writes it: a percentage with up to 2 decimals ("18", "18.00", "0.25").
RATE_PATTERN = r"^(?:100(?:\.0{1,2})?|[0-9]{1,2}(?:\.[0-9]{1,2})?)$"


@extend_schema_field({"type": "string", "pattern": RATE_PATTERN, "maxLength": 6, "nullable": True, "example": "18.00"})
class GstRateField(serializers.SlugRelatedField):
    """A GST rate of the managed list by its percentage (``"18.00"``); unknown ones are refused."""

    default_error_messages = {"invalid": 'Give a GST rate as a percentage such as "18.00", or null for none.'}

    def __init__(self, **kwargs):
        super().__init__(slug_field="rate", queryset=GstRate.objects.all(), **kwargs)

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for related fields; the schema says a rate or null, so "" is refused.
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)

    def to_representation(self, value):
        return f"{value.rate:.2f}"

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(RATE_PATTERN, data):
            self.fail("invalid")
        try:
            return self.get_queryset().get(rate=Decimal(data))
        except GstRate.DoesNotExist:
            rates = ", ".join(str(rate.rate) for rate in GstRate.objects.filter(is_active=True))
            raise serializers.ValidationError(f"Not a GST rate; the rates in force are {rates}.") from None


class GstRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = GstRate
        fields = ["rate", "description", "is_active"]


@extend_schema(tags=["catalog"])
class GstRateListApi(generics.ListAPIView):
    """The GST rates of the managed list; `is_active` ones can be given to products."""

    serializer_class = GstRateSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.gst_rates()


# --- Products -------------------------------------------------------------------------


class ProductSerializer(StrictInputMixin, serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), allow_null=True, required=False, help_text="Category id."
    )
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    cost_price = serializers.DecimalField(**MONEY)
    sale_price = serializers.DecimalField(**MONEY)
    quantity = serializers.IntegerField(
        min_value=0,
        max_value=services.MAX_QUANTITY,
        required=False,
        help_text="Opening stock on create; on update a new value is recorded as a manual adjustment.",
    )
    low_stock_threshold = serializers.IntegerField(min_value=0, max_value=services.MAX_QUANTITY, required=False)
    hsn_code = serializers.RegexField(
        HSN_CODE_PATTERN,
        max_length=8,
        required=False,
        allow_blank=True,
        help_text="HSN code: 4, 6 or 8 digits.",
        error_messages={"invalid": "An HSN code has 4, 6 or 8 digits."},
    )
    gst_rate = GstRateField(
        required=False,
        allow_null=True,
        help_text="GST rate in percent, one of `GET /api/v1/gst/rates/` in force; needed on tax invoices.",
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, help_text="GST unit code (UQC): PCS, KGS…")
    is_low_stock = serializers.BooleanField(read_only=True)
    has_sales = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "sku",
            "description",
            "category",
            "category_name",
            "cost_price",
            "sale_price",
            "quantity",
            "low_stock_threshold",
            "hsn_code",
            "gst_rate",
            "unit",
            "is_low_stock",
            "is_active",
            "has_sales",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness per vendor is checked by the service, which knows the vendor.
        validators = []


class RestockSerializer(StrictInputMixin, serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_QUANTITY)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class LowStockQuerySerializer(StrictInputMixin, serializers.Serializer):
    threshold = serializers.IntegerField(
        min_value=0,
        max_value=services.MAX_QUANTITY,
        required=False,
        help_text="Units at or below which a product counts as low; default: its own.",
    )


class StockMovementSerializer(serializers.ModelSerializer):
    created_by = serializers.EmailField(source="created_by.email", read_only=True, allow_null=True)
    # What the movement belongs to (``source``), under the names the API gave it when that was
    # always a sale's bill: its id and its name (the source's ``str()``); ``source_type`` says what it is.
    bill = serializers.IntegerField(
        source="source_id",
        required=False,
        allow_null=True,
        help_text="The id of what the movement belongs to: a bill for a sale or a void, a shipment for a gift "
        "(see `source_type`).",
    )
    bill_number = serializers.CharField(
        source="source", read_only=True, allow_null=True, help_text="Its name: a bill's number, a shipment's title."
    )
    source_type = serializers.SerializerMethodField(
        help_text='What `bill` is: "billing.bill", "collaborations.shipment", or null for none.'
    )

    def get_source_type(self, movement) -> str | None:
        kind = movement.source_type
        return f"{kind.app_label}.{kind.model}" if kind is not None else None

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "delta",
            "quantity_after",
            "reason",
            "note",
            "created_by",
            "bill",
            "bill_number",
            "source_type",
            "created_at",
        ]


class ProductDeleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    product = ProductSerializer()


STOCK_CHANGED = conflict("A new `quantity` is below what was sold meanwhile; `available` says what is left.")


@extend_schema(tags=["catalog"])
@extend_schema_view(
    update=extend_schema(responses={200: ProductSerializer, 409: STOCK_CHANGED}),
    partial_update=extend_schema(responses={200: ProductSerializer, 409: STOCK_CHANGED}),
    destroy=extend_schema(
        responses={204: None, 200: ProductDeleteSerializer},
        description="Deletes a product that was never sold (204). A sold product is deactivated instead (200).",
    ),
)
class ProductViewSet(viewsets.ModelViewSet):
    """The logged-in vendor's own products."""

    queryset = Product.objects.none()  # for the schema; get_queryset scopes to the vendor
    lookup_value_regex = r"\d+"
    serializer_class = ProductSerializer
    permission_classes = [IsVendor]
    filterset_class = ProductFilter
    search_fields = ProductFilter.search_fields
    ordering_fields = ["name", "sku", "sale_price", "cost_price", "quantity", "created_at", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.products_for_vendor(self.request.user)

    def get_object(self):
        return selectors.product_for_vendor(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = services.product_create(vendor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            product=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def destroy(self, request, *args, **kwargs):
        product = self.get_object()
        if services.product_delete(product=product):
            return Response(status=status.HTTP_204_NO_CONTENT)
        body = {
            "detail": "This product has sales, so it was deactivated instead of deleted.",
            "product": ProductSerializer(product).data,
        }
        return Response(body, status=status.HTTP_200_OK)

    @extend_schema(request=RestockSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def restock(self, request, pk=None):
        product = self.get_object()
        serializer = RestockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        movement = services.stock_restock(product=product, actor=request.user, **serializer.validated_data)
        return Response(StockMovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=StockMovementSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def movements(self, request, pk=None):
        product = self.get_object()
        page = self.paginate_queryset(selectors.movements_for_product(product))
        return self.get_paginated_response(StockMovementSerializer(page, many=True).data)

    @extend_schema(
        parameters=[LowStockQuerySerializer],
        responses=ProductSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="low-stock", filter_backends=[])
    def low_stock(self, request):
        query = LowStockQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = selectors.low_stock_products(request.user, threshold=query.validated_data.get("threshold"))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ProductSerializer(page, many=True).data)

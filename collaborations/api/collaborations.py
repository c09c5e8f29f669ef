"""``/api/v1/collaborations/``: the collaborations of the caller (either role), their terms, and
the answers to them. Thin: the rules are in ``collaborations.services``."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anwariya.api.filters import MAX_ID
from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from collaborations import selectors, services, shipments
from collaborations.filters import CollaborationFilter
from collaborations.models import DEFAULT_DISCLOSURE, Collaboration, TermsDeliverable, TermsVersion


class CollaborationSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    vendor_name = serializers.CharField(source="vendor.public_name", read_only=True)
    influencer_name = serializers.CharField(source="influencer.display_name", read_only=True)
    stage = serializers.ChoiceField(choices=Collaboration.Stage.choices, read_only=True)
    referral_code = serializers.CharField(
        read_only=True, allow_null=True, help_text="The accepted application's referral code."
    )
    tracking_url = serializers.SerializerMethodField(help_text="The tracking link to share: /r/<code> on this site.")

    def get_tracking_url(self, collaboration) -> str:
        request = self.context.get("request")
        path = collaboration.tracking_path
        return request.build_absolute_uri(path) if request else path

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "application",
            "vendor",
            "vendor_name",
            "influencer",
            "influencer_name",
            "stage",
            "referral_code",
            "tracking_url",
            "created_at",
            "updated_at",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "shipping_address",
        ]
        read_only_fields = fields


class DeliverableSerializer(StrictInputMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=TermsDeliverable.Kind.choices)
    brief = serializers.CharField(max_length=services.BRIEF_MAX, help_text="What to make, in a sentence or two.")
    due_date = serializers.DateField(help_text="Today or later.")

    class Meta:
        model = TermsDeliverable
        fields = ["kind", "brief", "due_date"]


class TermsVersionSerializer(serializers.ModelSerializer):
    deliverables = DeliverableSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=TermsVersion.Status.choices, read_only=True)
    gifted_products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    commission_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, help_text="Percent of attributed sales before tax."
    )

    class Meta:
        model = TermsVersion
        fields = [
            "id",
            "number",
            "status",
            "created_at",
            "created_by",
            "deliverables",
            "fee",
            "currency",
            "commission_rate",
            "gifted_products",
            "usage_rights",
            "disclosure",
            "accepted_at",
            "rejected_at",
            "comment",
        ]
        read_only_fields = fields


class TermsInputSerializer(StrictInputMixin, serializers.Serializer):
    deliverables = DeliverableSerializer(many=True, min_length=1, max_length=services.MAX_DELIVERABLES)
    fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=services.MAX_FEE, help_text="In the vendor's currency."
    )
    commission_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, help_text="Percent, 0 to 100."
    )
    gifted_products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=50,
        help_text="Ids of your active products.",
    )
    usage_rights = serializers.CharField(
        max_length=services.USAGE_RIGHTS_MAX, required=False, allow_blank=True, default=""
    )
    disclosure = serializers.CharField(
        max_length=services.DISCLOSURE_MAX,
        required=False,
        allow_blank=True,
        default=DEFAULT_DISCLOSURE,
        help_text="The label the posts must carry (ASCI).",
    )


class AcceptInputSerializer(StrictInputMixin, serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, help_text="The version you read; refused (409) if replaced."
    )


class RejectInputSerializer(AcceptInputSerializer):
    comment = serializers.CharField(max_length=services.COMMENT_MAX, help_text="What should change.")


class CancelInputSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX, help_text="Why you cancel.")


class ShippingAddressInputSerializer(StrictInputMixin, serializers.Serializer):
    shipping_address = serializers.CharField(
        max_length=shipments.ADDRESS_MAX,
        allow_blank=True,
        required=False,
        help_text="Where gifted products are sent (name, street, city, PIN code, phone); empty clears it, "
        "left out keeps it.",
    )


STAGE = conflict("The collaboration's stage refuses this (e.g. no terms waiting, or it is cancelled).")


@extend_schema(tags=["collaborations"])
@extend_schema_view(
    list=extend_schema(description="Your collaborations (vendor or influencer), most recently changed first."),
    retrieve=extend_schema(description="A collaboration you are a party to; 404 for anyone else."),
    partial_update=extend_schema(
        request=ShippingAddressInputSerializer,
        responses={200: CollaborationSerializer, 409: STAGE},
        description="The influencer gives the address their gifts are sent to (only the influencer; "
        "only while the collaboration is open).",
    ),
)
class CollaborationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Collaboration.objects.none()
    serializer_class = CollaborationSerializer
    filterset_class = CollaborationFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-updated_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.collaborations_for_user(self.request.user)

    def get_object(self):
        return selectors.collaboration_for_user(self.request.user, self.kwargs["pk"])

    def partial_update(self, request, pk=None):
        collaboration = self.get_object()
        serializer = ShippingAddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = serializer.validated_data.get("shipping_address", collaboration.shipping_address)
        shipments.shipping_address_set(collaboration=collaboration, actor=request.user, address=address)
        return Response(CollaborationSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        responses=TermsVersionSerializer(many=True),
        description="The terms versions, newest first.",
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=TermsInputSerializer,
        responses={201: TermsVersionSerializer, 409: STAGE},
        description="The vendor sends a new version of the terms; the influencer must accept it.",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def terms(self, request, pk=None):
        collaboration = self.get_object()
        if request.method == "POST":
            serializer = TermsInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            terms = services.terms_send(
                collaboration=collaboration,
                actor=request.user,
                deliverables=[dict(row) for row in data["deliverables"]],
                fee=data["fee"],
                commission_rate=data["commission_rate"],
                gifted_products=data["gifted_products"],
                usage_rights=data["usage_rights"],
                disclosure=data["disclosure"],
            )
            terms = selectors.terms_of_collaboration(collaboration).get(pk=terms.pk)
            return Response(TermsVersionSerializer(terms).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.terms_of_collaboration(collaboration))
        return self.get_paginated_response(TermsVersionSerializer(page, many=True).data)

    @extend_schema(
        request=AcceptInputSerializer,
        responses={200: TermsVersionSerializer, 409: STAGE},
        description="The influencer accepts the terms waiting; the collaboration becomes active.",
    )
    @action(detail=True, methods=["post"], url_path="terms/accept")
    def terms_accept(self, request, pk=None):
        collaboration = self.get_object()
        serializer = AcceptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        terms = services.terms_accept(
            collaboration=collaboration, actor=request.user, version=serializer.validated_data.get("version")
        )
        return Response(TermsVersionSerializer(selectors.terms_of_collaboration(collaboration).get(pk=terms.pk)).data)

    @extend_schema(
        request=RejectInputSerializer,
        responses={200: TermsVersionSerializer, 409: STAGE},
        description="The influencer sends the waiting terms back with a comment, for the vendor to revise.",
    )
    @action(detail=True, methods=["post"], url_path="terms/reject")
    def terms_reject(self, request, pk=None):
        collaboration = self.get_object()
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        terms = services.terms_reject(
            collaboration=collaboration,
            actor=request.user,
            comment=serializer.validated_data["comment"],
            version=serializer.validated_data.get("version"),
        )
        return Response(TermsVersionSerializer(selectors.terms_of_collaboration(collaboration).get(pk=terms.pk)).data)

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: CollaborationSerializer, 409: STAGE},
        description="Either side cancels, with a reason, at any stage before completed.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        collaboration = self.get_object()
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.collaboration_cancel(
            collaboration=collaboration, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(CollaborationSerializer(self.get_object(), context=self.get_serializer_context()).data)

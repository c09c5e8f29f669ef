"""The token wallet over the API: your balance and ledger, spending, and the admins' view."""

import re

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import wallet as wallet_service
from accounts.models import User, Wallet, WalletTransaction
from accounts.wallet import MAX_REASON_LENGTH, MAX_TOKEN_AMOUNT
from anwariya.api.filters import FilterSet
from anwariya.api.schema import ErrorSerializer
from anwariya.api.serializers import StrictInputMixin
from anwariya.idempotency import idempotent

WHOLE_NUMBER = re.compile(r"\s*[-+]?[0-9]+\s*")
KEY_REUSED = OpenApiResponse(ErrorSerializer, description="This `Idempotency-Key` was used with a different request.")


class TokenAmountField(serializers.IntegerField):
    """A whole number of tokens: ``5`` (``"5"`` in a form); never ``1.5``, ``"1.0"`` or ``true``."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and len(data) <= 20 and WHOLE_NUMBER.fullmatch(data))
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class PricesSerializer(serializers.Serializer):
    contact = serializers.IntegerField(help_text="Tokens a vendor pays to invite an influencer or open a chat.")
    application = serializers.IntegerField(help_text="Tokens an influencer pays per application beyond the quota.")
    free_applications_per_month = serializers.IntegerField(help_text="Applications an influencer makes free a month.")
    broadcast_recipient = serializers.IntegerField(help_text="Tokens per recipient of a campaign broadcast.")


class WalletSerializer(serializers.Serializer):
    balance = serializers.IntegerField(help_text="Tokens available.")
    updated_at = serializers.DateTimeField()
    prices = PricesSerializer()


class StaffWalletSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The user's id.")
    email = serializers.EmailField()
    balance = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class WalletTransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = WalletTransaction
        fields = ["id", "kind", "amount", "balance_after", "reason", "reference", "created_at"]


class SpendInputSerializer(StrictInputMixin, serializers.Serializer):
    amount = TokenAmountField(min_value=1, max_value=MAX_TOKEN_AMOUNT, help_text="Tokens to spend.")
    reason = serializers.CharField(max_length=MAX_REASON_LENGTH)


class AdjustInputSerializer(StrictInputMixin, serializers.Serializer):
    amount = TokenAmountField(
        min_value=-MAX_TOKEN_AMOUNT, max_value=MAX_TOKEN_AMOUNT, help_text="Tokens to add (positive) or take away."
    )
    reason = serializers.CharField(max_length=MAX_REASON_LENGTH)

    def validate_amount(self, value):
        if value == 0:
            raise serializers.ValidationError("Must not be zero.")
        return value


class InsufficientTokensSerializer(ErrorSerializer):
    balance = serializers.IntegerField(help_text="Your balance now.")
    price = serializers.IntegerField(help_text="Tokens the action needs.")


class WalletTransactionFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=WalletTransaction.Kind.choices)

    class Meta:
        model = WalletTransaction
        fields = ["kind"]


def wallet_body(wallet: Wallet) -> dict:
    return WalletSerializer(
        {"balance": wallet.balance, "updated_at": wallet.updated_at, "prices": wallet_service.wallet_prices()}
    ).data


class WalletApi(APIView):
    @extend_schema(tags=["wallet"], responses=WalletSerializer, description="Your token balance and the prices.")
    def get(self, request):
        return Response(wallet_body(wallet_service.wallet_for_user(request.user)))


@extend_schema(tags=["wallet"], description="Your token ledger, newest first; `kind` filters it.")
class WalletTransactionListApi(generics.ListAPIView):
    queryset = WalletTransaction.objects.none()  # for the schema; get_queryset scopes to the user
    serializer_class = WalletTransactionSerializer
    filterset_class = WalletTransactionFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def get_queryset(self):
        return wallet_service.wallet_transactions(self.request.user)


class WalletSpendApi(APIView):
    @extend_schema(
        tags=["wallet"],
        request=SpendInputSerializer,
        responses={
            201: WalletTransactionSerializer,
            402: OpenApiResponse(InsufficientTokensSerializer, description="Not enough tokens; nothing was spent."),
            422: KEY_REUSED,
        },
        description="Spend tokens from your own wallet. Honours `Idempotency-Key`.",
    )
    @idempotent
    def post(self, request):
        serializer = SpendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transaction = wallet_service.wallet_spend(user=request.user, actor=request.user, **serializer.validated_data)
        return Response(WalletTransactionSerializer(transaction).data, status=status.HTTP_201_CREATED)


class StaffWalletApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=["wallet"], responses=StaffWalletSerializer, description="Admins: a user's token balance.")
    def get(self, request, user_id):
        user = get_object_or_404(User, pk=user_id)
        wallet = wallet_service.wallet_for_user(user)
        body = {"user": user.pk, "email": user.email, "balance": wallet.balance, "updated_at": wallet.updated_at}
        return Response(StaffWalletSerializer(body).data)


class StaffWalletAdjustApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=["wallet"],
        request=AdjustInputSerializer,
        responses={201: WalletTransactionSerializer, 422: KEY_REUSED},
        description=(
            "Admins: add tokens to or take tokens from a user's wallet, with a reason. Refused (400) if the "
            "balance would go negative. Honours `Idempotency-Key`."
        ),
    )
    @idempotent
    def post(self, request, user_id):
        user = get_object_or_404(User, pk=user_id)
        serializer = AdjustInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transaction = wallet_service.wallet_adjust(user=user, actor=request.user, **serializer.validated_data)
        return Response(WalletTransactionSerializer(transaction).data, status=status.HTTP_201_CREATED)

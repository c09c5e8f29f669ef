from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.password_validation import password_validators_help_texts
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from accounts.lockout import login_locked
from accounts.models import Role, User
from accounts.passwords import PASSWORD_MIN_LENGTH
from anwariya.api.serializers import StrictInputMixin


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "role", "business_name", "is_staff", "date_joined", "last_login"]
        read_only_fields = ["id", "role", "is_staff", "date_joined", "last_login"]


class RegisterInputSerializer(StrictInputMixin, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=128,
        help_text=" ".join(password_validators_help_texts()),
    )
    role = serializers.ChoiceField(choices=Role.choices)
    display_name = serializers.CharField(max_length=150)
    business_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Required for vendors."
    )


class RegisterOutputSerializer(UserSerializer):
    access = serializers.CharField(help_text="A JWT access token, so the new user is logged in.")
    refresh = serializers.CharField(help_text="A JWT refresh token.")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "access", "refresh"]


class MeUpdateSerializer(StrictInputMixin, serializers.Serializer):
    email = serializers.EmailField(
        max_length=254, required=False, help_text="A new address needs `current_password`; the old one is told."
    )
    current_password = serializers.CharField(
        write_only=True, required=False, trim_whitespace=False, max_length=128, help_text="Needed to change `email`."
    )
    display_name = serializers.CharField(max_length=150, required=False)
    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PasswordChangeSerializer(StrictInputMixin, serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, max_length=128)
    new_password = serializers.CharField(
        trim_whitespace=False,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=128,
        help_text=" ".join(password_validators_help_texts()),
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenPairSerializer(TokenObtainPairSerializer):
    """simplejwt's pair, refused outright while the account is locked out (django-axes)."""

    def validate(self, attrs):
        request = self.context["request"]
        if not AxesProxyHandler.is_allowed(request, {self.username_field: attrs.get(self.username_field)}):
            raise login_locked(request)
        return super().validate(attrs)


class AccountCloseSerializer(StrictInputMixin, serializers.Serializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=128, help_text="Your current password, to confirm."
    )


class ExportUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.CharField(help_text="vendor, influencer, or empty for an admin.")
    business_name = serializers.CharField(allow_blank=True)
    is_staff = serializers.BooleanField()
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class ExportDocumentSerializer(serializers.Serializer):
    """The data export (docs/api.md, "Your data export"), version ``anwariya-export/1``."""

    format = serializers.CharField(help_text='The document\'s shape and version: "anwariya-export/1".')
    generated_at = serializers.DateTimeField()
    user = ExportUserSerializer(help_text="Your account.")
    sections = serializers.DictField(
        help_text=(
            "By name, what each part of the platform holds about you: `wallet` (balance and ledger), "
            "`profile` (or null), `campaigns` (a vendor's, with their applications), `applications` (an "
            "influencer's, with referral codes), `chats` (with their messages), `telegram` (the link, or "
            "null), `products` and `bills` (a vendor's). Lists are empty where your role has none."
        )
    )


class ExportQueuedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    link_hours = serializers.IntegerField(help_text="How long the emailed link works.")

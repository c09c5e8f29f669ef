from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView

from accounts import export, services
from accounts.api.serializers import (
    AccountCloseSerializer,
    DetailSerializer,
    ExportDocumentSerializer,
    ExportQueuedSerializer,
    MeUpdateSerializer,
    PasswordChangeSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from accounts.closing import account_close
from accounts.throttles import AccountExportThrottle, SignupThrottle
from anwariya.api.schema import AutoSchema, ErrorSerializer, conflict

EXPORT_QUEUED = "Your export is large: we are preparing it and will email you a download link."


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [SignupThrottle]

    @extend_schema(
        tags=["auth"],
        request=RegisterInputSerializer,
        responses={201: RegisterOutputSerializer},
        description="Create a vendor or influencer account; the answer carries a JWT pair.",
    )
    def post(self, request):
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        refresh = RefreshToken.for_user(user)
        body = {**UserSerializer(user).data, "access": str(refresh.access_token), "refresh": str(refresh)}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenApi(TokenObtainPairView):
    """Log in with email and password for a JWT pair. Locked for a while after 10 failures."""

    serializer_class = TokenPairSerializer


class BodyOnDeleteSchema(AutoSchema):
    """Closing the account is a DELETE with a body (the password); drf-spectacular documents the
    bodies of POST, PUT and PATCH only."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class MeApi(APIView):
    schema = BodyOnDeleteSchema()

    @extend_schema(tags=["auth"], responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(tags=["auth"], request=MeUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    @extend_schema(
        tags=["auth"],
        request=AccountCloseSerializer,
        responses={
            204: OpenApiResponse(description="Closed: you are logged out everywhere and cannot log in again."),
            400: OpenApiResponse(ErrorSerializer, description="`password` is missing or wrong; nothing changed."),
            409: conflict("A broadcast is still scheduled, running or paused; nothing changed."),
        },
        description=(
            "Close your account, confirmed with your password. Your personal data is erased (name, email, "
            "profile, Telegram link), your tokens are forfeited, every token and session is revoked, and "
            'your messages show as from "Deleted user". Bills stay (see the README). The email address can '
            "sign up again, as a new user."
        ),
    )
    def delete(self, request):
        serializer = AccountCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_close(user=request.user, password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountExportApi(APIView):
    throttle_classes = [AccountExportThrottle]

    @extend_schema(
        tags=["auth"],
        responses={
            200: OpenApiResponse(ExportDocumentSerializer, description="The export, as a JSON attachment."),
            202: OpenApiResponse(
                ExportQueuedSerializer, description="A large export: it is being built and a link will be emailed."
            ),
        },
        description=(
            "Download everything the platform holds about you as one JSON document (`anwariya-export/1`). "
            "An export of more than `ACCOUNT_EXPORT_INLINE_MAX_ROWS` rows is built in the background and "
            "emailed as a link that works for `ACCOUNT_EXPORT_LINK_HOURS`, for you only (logged in). "
            "A few exports an hour (`ACCOUNT_EXPORT_RATE`)."
        ),
    )
    def get(self, request):
        user = request.user
        if export.export_is_large(user):
            export.export_send(user=user, base_url=request.build_absolute_uri("/"))
            body = {"detail": EXPORT_QUEUED, "link_hours": settings.ACCOUNT_EXPORT_LINK_HOURS}
            return Response(ExportQueuedSerializer(body).data, status=status.HTTP_202_ACCEPTED)
        document = export.export_document(user)
        response = HttpResponse(export.export_json(document), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{export.export_filename(user)}"'
        return response


class PasswordChangeApi(APIView):
    @extend_schema(
        tags=["auth"],
        request=PasswordChangeSerializer,
        responses=DetailSerializer,
        description="Change the password. Every refresh token of the user is revoked; log in again on other devices.",
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(user=request.user, **serializer.validated_data)
        update_session_auth_hash(request._request, request.user)  # keeps a browser session logged in
        return Response({"detail": "Password changed. Other sessions must log in again."})

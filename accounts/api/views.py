from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView

from accounts import services
from accounts.api.serializers import (
    DetailSerializer,
    MeUpdateSerializer,
    PasswordChangeSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from accounts.throttles import SignupThrottle


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


class MeApi(APIView):
    @extend_schema(tags=["auth"], responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(tags=["auth"], request=MeUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


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

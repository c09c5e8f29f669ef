"""OpenAPI generation: every operation also documents the shared error body."""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A readable summary of what went wrong.")
    code = serializers.CharField(help_text="A machine-readable error code.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; empty when the error concerns no single field.",
    )


ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `errors` names each wrong field.",
    "401": "Not authenticated, or the token is invalid or expired.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found (or not yours).",
    "429": "Too many requests; retry later.",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code in bodies or not self._may_answer(code):
                continue
            bodies[code] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
            )
        return bodies

    def _may_answer(self, code):
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if code in ("401", "403"):
            return not public
        if code == "400":
            return self.method in ("POST", "PUT", "PATCH") or bool(self._get_filter_parameters())
        if code == "404":
            return "{" in self.path or self.method == "GET"
        return True

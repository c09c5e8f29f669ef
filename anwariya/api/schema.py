"""OpenAPI generation: the house error body and the statuses an operation can answer, in one place.

Every operation documents, besides its own answers, the errors it can give (``ERROR_DESCRIPTIONS``)
with the shared body; an error an operation declares without a body gets that body too. Request
bodies are documented as JSON, the API's contract (forms are parsed for the browsable API only),
integer path parameters are ids (1 to ``MAX_ID``), a read-only field whose default is ``None`` is
nullable (the serializer writes ``null`` when the source is missing), and a text that may not be
blank must hold a non-space character (the server strips spaces first).
"""

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.serializers import PolymorphicProxySerializerExtension
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework_simplejwt.views import TokenViewBase

from anwariya.api.filters import MAX_ID
from anwariya.api.serializers import NOT_BLANK_PATTERN, decimal_pattern

BODY_METHODS = ("POST", "PUT", "PATCH")
DIGITS = {"type": "string", "pattern": r"^\d+$"}
BLANK = {"type": "string", "maxLength": 0}

# A web address as Django's URLValidator accepts it, narrowed to what a pattern can say exactly:
# http(s), a host of letters, digits and inner hyphens with a top-level domain of 2 to 63
# letters, then any path. (Django also takes ftp, IP addresses and ports; the schema promises less.)
URL_PATTERN = r"^https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?$"

ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `errors` names each wrong field.",
    "401": "Not authenticated, or the token is invalid or expired.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found (or not yours).",
    "429": "Too many requests; retry later.",
}

ERROR_MESSAGES = ResolvedComponent(
    name="ErrorMessages",
    type=ResolvedComponent.SCHEMA,
    object="ErrorMessages",
    schema={
        "description": (
            "The messages about one field: a list of messages, or, for a nested object or a list, "
            "the same per sub-field or per item (keyed by the item's index)."
        ),
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/ErrorMessages"}},
        ],
    },
)


class FieldErrorsField(serializers.DictField):
    """``{"field": ["message", ...]}``, nested for nested objects and lists (``{"items": {"1": {...}}}``)."""


class FieldErrorsFieldExtension(OpenApiSerializerFieldExtension):
    target_class = FieldErrorsField

    def map_serializer_field(self, auto_schema, direction):
        auto_schema.registry.register_on_missing(ERROR_MESSAGES)
        return {"type": "object", "additionalProperties": ERROR_MESSAGES.ref}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A readable summary of what went wrong.")
    code = serializers.CharField(help_text="A machine-readable error code.")
    errors = FieldErrorsField(help_text="Messages per field; empty when the error concerns no single field.")


def conflict(description):
    """A documented 409 with the error body: the current state refuses the request."""
    return OpenApiResponse(ErrorSerializer, description=description)


class ByFieldProxySerializer(PolymorphicProxySerializer):
    """One of several shapes, told apart by a field (``resource_type_field_name``) whose value each
    shape fixes to one choice. Answers are ``oneOf`` with a discriminator; request bodies, which do
    not carry the field (it is read-only), are ``anyOf``: the server picks the shape itself."""


class ByFieldProxySerializerExtension(PolymorphicProxySerializerExtension):
    target_class = ByFieldProxySerializer
    priority = 0

    def map_serializer(self, auto_schema, direction):
        if direction == "request":
            return {"anyOf": [schema for _, schema in self._get_explicit_sub_components(auto_schema, direction)]}
        return super().map_serializer(auto_schema, direction)


class AutoSchema(openapi.AutoSchema):
    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        """Errors are the JSON error body whatever format was asked for (a CSV download's too)."""
        if str(status_code) >= "400":
            media_types = ["application/json"]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                error = OpenApiResponse(ErrorSerializer, description=response.get("description", ""))
                responses[code] = self._get_response_for_code(error, code)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code not in responses and self._may_answer(code, operation):
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _may_answer(self, code, operation):
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if code == "401":
            # A bad Authorization header is refused wherever it is read; token views check the body's.
            return not public or bool(self.view.get_authenticators()) or isinstance(self.view, TokenViewBase)
        if code == "403":
            return not public
        if code == "400":
            has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
            return self.method in BODY_METHODS or has_query
        if code == "404":
            return "{" in self.path or self.method == "GET"
        if code == "429":
            return bool(self.view.get_throttles())
        return True

    def map_parsers(self):
        media_types = super().map_parsers()
        json_types = [
            media_type for media_type in media_types if media_type == "application/json" or media_type.endswith("+json")
        ]
        return json_types or media_types

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "integer" or schema == DIGITS:  # <int:pk>, or lookup_value_regex \d+
                parameter["schema"] = {**schema, "type": "integer", "minimum": 1, "maximum": MAX_ID}
                parameter["schema"].pop("pattern", None)
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            schema["pattern"] = decimal_pattern(field)  # what StrictInputMixin accepts
        if direction == "request" and isinstance(field, serializers.URLField) and "pattern" not in schema:
            schema["pattern"] = f"^$|{URL_PATTERN}" if field.allow_blank else URL_PATTERN
        if direction == "request" and isinstance(field, PrimaryKeyRelatedField) and schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", MAX_ID)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if schema.get("oneOf", [None])[-1] == BLANK:
            # drf-spectacular's "the format, or blank": "" can match both (a format that a validator
            # does not check, a pattern that allows it), which breaks oneOf; either one is fine.
            schema["anyOf"] = schema.pop("oneOf")

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and isinstance(field, serializers.Field) and field.default is None:
            meta["nullable"] = True
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and field.trim_whitespace
            and not any(isinstance(validator, RegexValidator) for validator in field.validators)
        ):
            # The server strips surrounding spaces before the blank check: spaces alone are blank.
            meta["pattern"] = NOT_BLANK_PATTERN
        return meta

"""One error body for every 4xx: ``{"detail": "...", "errors": {"field": ["..."]}}``."""

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from anwariya.errors import DomainError

NON_FIELD = "non_field_errors"


def is_api(request):
    return request.path.startswith("/api/")


def domain_error_body(exc: DomainError):
    return {"detail": exc.detail, "code": exc.code, "errors": exc.errors, **exc.extra}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(domain_error_body(exc), status=exc.status_code, headers=exc.headers)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    if (refusal := request_refusal(exc)) is not None:
        status_code, body = refusal
        return Response(body, status=status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = error_body(exc, response.data)
    return response


def request_refusal(exc) -> tuple[int, dict] | None:
    """(status, error body) for what Django raises while reading a request it will not take:
    413 for a body or a number of fields or files over the ``DATA_UPLOAD_MAX_*`` limits, 400 for
    a body that cannot be parsed or another bad request (a Host not in ``ALLOWED_HOSTS``)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, _body(f"The request body is larger than {limit} bytes (files not counted).", "request_too_large")
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 413, _body(f"The request has more than {limit} parameters or form fields.", "request_too_large")
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 413, _body(f"The request has more than {limit} files.", "request_too_large")
    if isinstance(exc, MultiPartParserError):
        detail = f"Multipart form parse error - {exc}"
        return 400, {**_body(detail, "parse_error"), "errors": {NON_FIELD: [detail]}}
    if isinstance(exc, SuspiciousOperation | BadRequest):
        return 400, _body("Bad request.", "bad_request")
    return None


def _body(detail, code):
    return {"detail": detail, "code": code, "errors": {}}


def error_body(exc, data):
    """Reshape DRF's error data into the house error body."""
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {NON_FIELD: data}
        return {"detail": _first_message(errors) or "Invalid input.", "code": "invalid", "errors": errors}
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, Http404):
        code = "not_found"
    elif isinstance(exc, DjangoPermissionDenied):
        code = "permission_denied"
    if isinstance(data, dict):
        # simplejwt nests its own detail/code/messages; keep its detail and code.
        detail = data.get("detail", "")
        code = data.get("code", code)
    else:
        detail = data
    # A body that cannot be read has no field to name: the message goes with the whole body.
    errors = {NON_FIELD: [str(detail)]} if isinstance(exc, exceptions.ParseError) else {}
    return {"detail": str(detail), "code": str(code), "errors": errors}


def _django_validation_detail(exc):
    if hasattr(exc, "error_dict"):
        return {(NON_FIELD if field == "__all__" else field): messages for field, messages in exc.message_dict.items()}
    return {NON_FIELD: exc.messages}


def _first_message(errors):
    """The first readable message, prefixed with its field, for clients that show one line."""
    for field, messages in errors.items():
        message = messages
        while isinstance(message, list | dict):
            if not message:
                break
            message = message[0] if isinstance(message, list) else next(iter(message.values()))
        if isinstance(message, list | dict):
            continue
        return str(message) if field == NON_FIELD else f"{field}: {message}"
    return ""


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown URLs under /api/ answer in JSON, like every other API error."""
    from django.http import JsonResponse

    return JsonResponse(
        {"detail": "No API endpoint at this address.", "code": "not_found", "errors": {}},
        status=status.HTTP_404_NOT_FOUND,
    )

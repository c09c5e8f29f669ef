"""Request checks that hold for every view."""

from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.response import Response

from anwariya import inputs
from anwariya.api.exceptions import domain_error_body, is_api


class RefuseUnstorableTextMiddleware:
    """A NUL character in the URL, a header, the query string or a page's posted form is a 400
    naming the field, before any view hands it to the database (PostgreSQL refuses it with an error).

    API bodies are checked by the API's parsers (``anwariya.api.parsers``), which also read
    PATCH and PUT bodies and name the field inside JSON.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            if message := inputs.text_problem(request.path):
                raise inputs.BadText(f"The address: {message}", errors={"path": [message]})
            for header, value in request.headers.items():
                if message := inputs.text_problem(value):
                    raise inputs.BadText(f"{header}: {message}", errors={header: [message]})
            inputs.check_form(request.GET)
            if request.method == "POST" and not is_api(request):
                inputs.check_form(request.POST)
        except inputs.BadText as error:
            return refusal(request, error)
        return self.get_response(request)


def refusal(request, error):
    """A ``DomainError`` answered outside a view: the JSON error body under /api/, a page elsewhere."""
    if is_api(request):
        return JsonResponse(domain_error_body(error), status=error.status_code, headers=error.headers)
    return render(request, "bad_input.html", {"error": error}, status=error.status_code)


class ApiErrorsAsJsonMiddleware:
    """Under /api/, a 4xx that is not JSON (one Django or a middleware answered itself, such as
    the debug page for a bad Host header) becomes the JSON error body with its status. Answers
    of the API's views are left as they are: they follow the client's ``Accept``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api(request)
            and 400 <= response.status_code < 500
            and not isinstance(response, Response)
            and not response.get("Content-Type", "").startswith("application/json")
            and not response.streaming
        ):
            body = {"detail": f"{response.reason_phrase}.", "code": _code(response.status_code), "errors": {}}
            json_response = JsonResponse(body, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response


def _code(status):
    return {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        413: "request_too_large",
        429: "throttled",
    }.get(status, "error")

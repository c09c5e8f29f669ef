"""Request checks that hold for every view."""

from django.http import JsonResponse
from django.shortcuts import render

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

"""A method an API view does not have is ``405`` with an ``Allow`` header, whoever asks.

DRF checks the method only after authentication and permissions, so ``TRACE`` on an endpoint
you may not use answered ``401`` or ``403`` (the Telegram webhook: ``403``), which says "you may
not" about something that does not exist. This middleware answers before the view runs.
"""

from django.http import JsonResponse
from rest_framework.views import APIView


class MethodNotAllowedFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = allowed_methods(view_func)
        if allowed is None or request.method in allowed:
            return None
        response = JsonResponse(
            {"detail": f'Method "{request.method}" not allowed.', "code": "method_not_allowed", "errors": {}},
            status=405,
        )
        response["Allow"] = ", ".join(allowed)
        return response


def allowed_methods(view_func):
    """The methods a DRF view answers (as its ``Allow`` header lists them), or None for other views."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return None
    actions = getattr(view_func, "actions", None)  # a viewset route: method -> action
    if actions is not None:
        methods = {method for method in actions if method in view_class.http_method_names}
        methods.add("options")
    else:
        methods = {method for method in view_class.http_method_names if hasattr(view_class, method)}
    if "get" in methods and "head" in view_class.http_method_names:
        methods.add("head")
    return sorted(method.upper() for method in methods)

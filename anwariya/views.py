"""Error pages: JSON under /api/, HTML elsewhere."""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": "Server error; it has been logged.", "code": "server_error", "errors": {}}, status=500
        )
    return defaults.server_error(request)

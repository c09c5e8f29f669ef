"""Error pages: JSON under /api/; elsewhere a page in the site layout that says what to do next.

``ErrorPagesMiddleware`` answers a ``PermissionDenied`` or ``Http404`` raised by a view with the
same pages, so they look the same with ``DEBUG`` on (where Django would show its technical 404)
and are logged as one ``WARNING`` line (Django logs them with the exception's traceback).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode
from django.views import defaults

from anwariya.api.exceptions import request_refusal

DEFAULT_403 = "Your account cannot open this page."


def _is_api(request):
    return request.path.startswith("/api/")


def _ways_on(request):
    """Links to where this visitor can go from an error page, the likeliest first."""
    user = request.user
    if not user.is_authenticated:
        return [
            ("Log in", f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"),
            ("Sign up", reverse("signup")),
        ]
    ways = [("Go to your dashboard", reverse("dashboard"))]
    if user.is_staff:
        ways.append(("Open the admin", reverse("admin:index")))
    return ways


def bad_request(request, exception=None):
    """Django's answer to a request it will not read (a body over the upload limit, a bad Host):
    under /api/ the JSON error body (413 for what is too large), elsewhere Django's page."""
    if _is_api(request):
        status, body = request_refusal(exception) or (
            400,
            {"detail": "Bad request.", "code": "bad_request", "errors": {}},
        )
        return JsonResponse(body, status=status)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    reason = str(exception or "") or DEFAULT_403
    if _is_api(request):
        return JsonResponse({"detail": reason, "code": "permission_denied", "errors": {}}, status=403)
    context = {"reason": reason, "ways_on": _ways_on(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": {}}, status=404)
    return render(request, "404.html", {"ways_on": _ways_on(request)}, status=404)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": "Server error; it has been logged.", "code": "server_error", "errors": {}}, status=500
        )
    # As Django's own 500 view: no context processors, no database, so the page itself cannot fail
    # the way the request did.
    return HttpResponseServerError(loader.get_template("500.html").render({"path": request.path}))


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: most often a page left open past its session."""
    if _is_api(request):
        detail = "CSRF check failed: send the X-CSRFToken header, or use a JWT."
        return JsonResponse({"detail": detail, "code": "permission_denied", "errors": {}}, status=403)
    context = {
        "reason": "This form has expired. Go back, reload the page and send it again.",
        "ways_on": _ways_on(request),
    }
    return render(request, "403.html", context, status=403)


class ErrorPagesMiddleware(MiddlewareMixin):
    """A view's ``PermissionDenied`` or ``Http404`` becomes the error page, whatever ``DEBUG`` is."""

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

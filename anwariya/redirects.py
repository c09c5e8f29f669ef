from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, default, **kwargs):
    """Redirect to the form's ``next`` when it is a path on this site, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and target.startswith("/")
    ):
        return redirect(target)
    return redirect(default, **kwargs)

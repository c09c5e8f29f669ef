from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class VendorRequiredMixin(LoginRequiredMixin):
    """Pages for vendors only: others logged in get 403, anonymous users the login page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_vendor:
            raise PermissionDenied("Only vendors can open this page.")
        return super().dispatch(request, *args, **kwargs)

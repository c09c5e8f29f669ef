from rest_framework.permissions import BasePermission


class IsVendor(BasePermission):
    message = "Only vendors can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_vendor)


class IsVendorOrStaff(BasePermission):
    """Vendors, and staff who look after them; influencers are refused with ``message``."""

    message = "Only vendors can do this."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_vendor or user.is_staff))

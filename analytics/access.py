"""Whose analytics a user reads: one rule for the pages and the API."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from accounts.models import Role, User


def analytics_vendor_for(viewer, vendor_id=None):
    """The vendor whose numbers ``viewer`` reads.

    A vendor reads their own (``vendor_id`` is ignored); an admin reads the vendor they chose, and
    gets None until they choose one. An id that is not a vendor's is a 404; anyone else is refused.
    """
    if viewer.is_staff and vendor_id is not None:
        return get_object_or_404(User.objects.filter(role=Role.VENDOR), pk=vendor_id)
    if viewer.role == Role.VENDOR:
        return viewer
    if viewer.is_staff:
        return None
    raise PermissionDenied("Analytics are for vendors.")


def vendors_to_choose(search=""):
    """The vendors an admin picks from, by business name; ``search`` matches names and email."""
    vendors = User.objects.filter(role=Role.VENDOR)
    if search:
        vendors = vendors.filter(
            Q(business_name__icontains=search) | Q(display_name__icontains=search) | Q(email__icontains=search)
        )
    return vendors.order_by(Lower("business_name"), Lower("display_name"), "pk").only(
        "pk", "business_name", "display_name", "email", "role"
    )

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views import View

from accounts.models import Role
from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import filter_page_list, query_without_page
from profiles import selectors, services
from profiles.filters import InfluencerFilter
from profiles.forms import InfluencerProfileForm, VendorProfileForm

PAGE_SIZE = 20


class ProfileView(LoginRequiredMixin, View):
    """Edit one's own profile: the influencer's (how vendors find you) or the vendor's.

    The page also shows chat's Telegram link panel (``{% telegram_link_panel %}``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role not in (Role.VENDOR, Role.INFLUENCER):
            raise PermissionDenied("Admin accounts have no profile.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            try:
                if request.user.is_influencer:
                    services.influencer_profile_update(user=request.user, **form.service_fields())
                else:
                    services.vendor_profile_update(user=request.user, **form.service_fields())
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, "Your profile was saved.")
                return redirect("profiles:profile")
        return self._render(request, form)

    def _form(self, request, data=None, files=None):
        user = request.user
        profile = services.profile_get_or_create(user=user)
        if user.is_influencer:
            initial = {
                "display_name": user.display_name,
                "niches": list(profile.niches.all()),
                "follower_band": profile.follower_band,
                "engagement_rate": profile.engagement_rate,
                "content_formats": list(profile.content_formats.all()),
                "availability": profile.availability,
                "bio": profile.bio,
                "city": profile.city,
                "country": profile.country,
                **{f"link_{network}": url for network, url in profile.social_links.items()},
            }
            return InfluencerProfileForm(data, initial=initial)
        initial = {
            "display_name": user.display_name,
            "business_name": user.business_name,
            "time_zone": profile.time_zone,
            "website": profile.website,
            "description": profile.description,
            "city": profile.city,
            "country": profile.country,
            "legal_name": profile.legal_name,
            "address": profile.address,
            "state": profile.state,
            "registration_type": profile.registration_type,
            "gstin": profile.gstin,
            "prices_include_tax": profile.prices_include_tax,
            "invoice_prefix": profile.invoice_prefix,
            "logo": profile.logo or None,
        }
        return VendorProfileForm(data, files, initial=initial)

    def _render(self, request, form):
        return render(request, "profiles/profile_form.html", {"form": form})


class DirectoryView(VendorRequiredMixin, View):
    """The influencer directory: the API's filters (``InfluencerFilter``), as a form."""

    def get(self, request):
        filters, influencers, _ = filter_page_list(request, selectors.influencers_directory(), InfluencerFilter)
        page = Paginator(influencers, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "profiles/directory.html",
            {"filters": filters.form, "page": page, "query": query_without_page(request)},
        )

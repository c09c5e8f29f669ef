from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from accounts.models import Role
from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.redirects import redirect_back
from anwariya.views_mixins import VendorRequiredMixin
from campaigns import selectors, services
from campaigns.forms import (
    ApplyForm,
    CampaignFilterForm,
    CampaignForm,
    DirectoryFilterForm,
    InfluencerProfileForm,
    InviteForm,
    VendorProfileForm,
)
from campaigns.models import Application, Campaign, InfluencerProfile, VendorProfile
from chat.telegram.selectors import telegram_link_status
from chat.telegram.services import telegram_link_code_issue

PAGE_SIZE = 20


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class ProfileView(LoginRequiredMixin, View):
    """Edit one's own profile: the influencer's (how vendors find you) or the vendor's."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role not in (Role.VENDOR, Role.INFLUENCER):
            raise PermissionDenied("Admin accounts have no profile.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, self._form(request))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                if request.user.is_influencer:
                    services.influencer_profile_update(user=request.user, **form.service_fields())
                else:
                    services.vendor_profile_update(user=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, "Your profile was saved.")
                return redirect("campaigns:profile")
        return self._render(request, form)

    def _form(self, request, data=None):
        user = request.user
        if user.is_influencer:
            profile, _ = InfluencerProfile.objects.get_or_create(user=user)
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
        profile, _ = VendorProfile.objects.get_or_create(user=user)
        initial = {
            "display_name": user.display_name,
            "business_name": user.business_name,
            "time_zone": profile.time_zone,
            "website": profile.website,
            "description": profile.description,
            "city": profile.city,
            "country": profile.country,
        }
        return VendorProfileForm(data, initial=initial)

    def _render(self, request, form):
        telegram = telegram_link_status(request.user)
        if telegram["configured"] and not telegram["linked"] and telegram["code"] is None:
            # Not linked yet: the page shows a fresh one-time code straight away.
            telegram_link_code_issue(user=request.user)
            telegram = telegram_link_status(request.user)
        context = {"form": form, "telegram": telegram}
        return render(request, "campaigns/profile_form.html", context)


class DirectoryView(VendorRequiredMixin, View):
    def get(self, request):
        filters = DirectoryFilterForm(request.GET or None)
        influencers = selectors.influencers_directory()
        if filters.is_bound:
            filters.is_valid()
            data = filters.cleaned_data
            if data.get("q"):
                term = data["q"]
                influencers = influencers.filter(
                    Q(display_name__icontains=term)
                    | Q(influencer_profile__bio__icontains=term)
                    | Q(influencer_profile__city__icontains=term)
                )
            if data.get("niche"):
                influencers = influencers.filter(influencer_profile__niches=data["niche"])
            if data.get("follower_band"):
                influencers = influencers.filter(influencer_profile__follower_band=data["follower_band"])
            if data.get("min_engagement") is not None:
                influencers = influencers.filter(influencer_profile__engagement_rate__gte=data["min_engagement"])
            if data.get("content_type"):
                influencers = influencers.filter(influencer_profile__content_formats=data["content_type"])
            if data.get("country"):
                influencers = influencers.filter(influencer_profile__country__iexact=data["country"].strip())
        page = Paginator(influencers.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "campaigns/directory.html",
            {"filters": filters, "page": page, "query": _query_without_page(request)},
        )


class InfluencerDetailView(VendorRequiredMixin, View):
    def get(self, request, pk):
        return self._render(request, pk, InviteForm(vendor=request.user))

    def post(self, request, pk):
        influencer = get_object_or_404(selectors.influencers_directory(), pk=pk)
        form = InviteForm(request.POST, vendor=request.user)
        if form.is_valid():
            try:
                services.campaign_invite(
                    campaign=form.cleaned_data["campaign"],
                    vendor=request.user,
                    influencer=influencer,
                    message=form.cleaned_data["message"],
                )
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, f"{influencer.display_name} is invited.")
                return redirect("campaigns:influencer-detail", pk=pk)
        return self._render(request, pk, form)

    def _render(self, request, pk, form):
        influencer = get_object_or_404(selectors.influencers_directory(), pk=pk)
        profile = getattr(influencer, "influencer_profile", None)
        context = {
            "influencer": influencer,
            "profile": profile,
            "form": form,
            "contact_price": settings.TOKEN_PRICE_CONTACT,
        }
        return render(request, "campaigns/influencer_detail.html", context)


class CampaignListView(LoginRequiredMixin, View):
    def get(self, request):
        filters = CampaignFilterForm(request.GET or None)
        campaigns = selectors.campaigns_visible_to(request.user).order_by("-created_at", "-pk")
        if request.user.is_influencer and not request.GET.get("status"):
            campaigns = campaigns.filter(status=Campaign.Status.OPEN)
        if filters.is_bound:
            filters.is_valid()
            data = filters.cleaned_data
            if data.get("q"):
                campaigns = campaigns.filter(
                    Q(title__icontains=data["q"])
                    | Q(description__icontains=data["q"])
                    | Q(vendor__business_name__icontains=data["q"])
                )
            if data.get("niche"):
                campaigns = campaigns.filter(niches=data["niche"])
            if data.get("status"):
                campaigns = campaigns.filter(status=data["status"])
        page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "campaigns/campaign_list.html",
            {"filters": filters, "page": page, "query": _query_without_page(request)},
        )


class CampaignCreateView(VendorRequiredMixin, View):
    def get(self, request):
        return render(request, "campaigns/campaign_form.html", {"form": CampaignForm(vendor=request.user)})

    def post(self, request):
        form = CampaignForm(request.POST, vendor=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_create(vendor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, "Campaign saved as a draft. Open it when you are ready for applications.")
                return redirect("campaigns:campaign-detail", pk=campaign.pk)
        return render(request, "campaigns/campaign_form.html", {"form": form})


class CampaignEditView(VendorRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_vendor:
            campaign = selectors.campaign_for_user(request.user, kwargs["pk"])
            if campaign.status == Campaign.Status.CLOSED:
                messages.info(request, "A closed campaign can no longer be edited.")
                return redirect("campaigns:campaign-detail", pk=campaign.pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        campaign = selectors.campaign_for_user(request.user, pk)
        form = CampaignForm(instance=campaign, vendor=request.user)
        return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk):
        campaign = selectors.campaign_for_user(request.user, pk)
        form = CampaignForm(request.POST, instance=selectors.campaign_for_user(request.user, pk), vendor=request.user)
        if form.is_valid():
            try:
                services.campaign_update(campaign=campaign, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, "Campaign saved.")
                return redirect("campaigns:campaign-detail", pk=pk)
        return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


class CampaignDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return self._render(request, pk, ApplyForm())

    def post(self, request, pk):
        """An influencer applies."""
        campaign = selectors.campaign_for_user(request.user, pk)
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                services.application_create(
                    campaign=campaign, influencer=request.user, pitch=form.cleaned_data["pitch"]
                )
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, "Your application was sent.")
                return redirect("campaigns:campaign-detail", pk=pk)
        return self._render(request, pk, form)

    def _render(self, request, pk, apply_form):
        campaign = selectors.campaign_for_user(request.user, pk)
        context = {"campaign": campaign, "apply_form": apply_form}
        if campaign.vendor_id == request.user.pk:
            context["applications"] = selectors.applications_of_campaign(campaign)
        elif request.user.is_influencer:
            context["mine"] = campaign.applications.filter(influencer=request.user).first()
        return render(request, "campaigns/campaign_detail.html", context)


class CampaignActionView(VendorRequiredMixin, View):
    """Open, close or delete a campaign (POST buttons on its page)."""

    def post(self, request, pk, verb):
        campaign = selectors.campaign_for_user(request.user, pk)
        actions = {
            "open": (services.campaign_open, "The campaign is open: influencers can find it and apply."),
            "close": (services.campaign_close, "The campaign is closed to new applications."),
            "delete": (services.campaign_delete, "The draft was deleted."),
        }
        if verb not in actions:
            raise Http404("No such action.")
        function, success = actions[verb]
        try:
            function(campaign=campaign)
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect("campaigns:campaign-detail", pk=pk)
        messages.success(request, success)
        if verb == "delete":
            return redirect("campaigns:campaign-list")
        return redirect("campaigns:campaign-detail", pk=pk)


class ApplicationActionView(LoginRequiredMixin, View):
    """Accept, reject (decline) or withdraw an application or invitation."""

    def post(self, request, pk, verb):
        application = selectors.application_for_user(request.user, pk)
        actions = {
            "accept": services.application_accept,
            "reject": services.application_reject,
            "withdraw": services.application_withdraw,
        }
        if verb not in actions:
            raise Http404("No such action.")
        try:
            actions[verb](application=application, actor=request.user)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _decision_message(application))
        return redirect_back(request, "campaigns:application-list")


def _decision_message(application):
    if application.status == Application.Status.ACCEPTED:
        return f"Accepted. Referral code: {application.referral_code}"
    return f"The {application.kind} is {application.get_status_display().lower()}."


class ApplicationListView(LoginRequiredMixin, View):
    def get(self, request):
        applications = selectors.applications_for_user(request.user).order_by("-created_at", "-pk")
        status = request.GET.get("status")
        if status in Application.Status.values:
            applications = applications.filter(status=status)
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "campaigns/application_list.html",
            {
                "page": page,
                "status": status,
                "statuses": Application.Status.choices,
                "query": _query_without_page(request),
            },
        )

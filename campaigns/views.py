from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import filter_page_list, query_without_page
from anwariya.redirects import redirect_back
from campaigns import selectors, services
from campaigns.filters import CampaignPageFilter, OpenCampaignPageFilter
from campaigns.forms import ApplyForm, CampaignForm, InviteForm
from campaigns.models import Application, Campaign
from profiles.selectors import influencers_directory

PAGE_SIZE = 20


class InfluencerDetailView(VendorRequiredMixin, View):
    def get(self, request, pk):
        return self._render(request, pk, InviteForm(vendor=request.user))

    def post(self, request, pk):
        influencer = get_object_or_404(influencers_directory(), pk=pk)
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
        influencer = get_object_or_404(influencers_directory(), pk=pk)
        profile = getattr(influencer, "influencer_profile", None)
        context = {
            "influencer": influencer,
            "profile": profile,
            "form": form,
            "contact_price": settings.TOKEN_PRICE_CONTACT,
        }
        return render(request, "campaigns/influencer_detail.html", context)


class CampaignListView(LoginRequiredMixin, View):
    """The campaign list, filtered as ``GET /api/v1/campaigns/`` filters it (``campaigns.filters``)."""

    def get(self, request):
        page_filter = OpenCampaignPageFilter if request.user.is_influencer else CampaignPageFilter
        campaigns = selectors.campaigns_visible_to(request.user).order_by("-created_at", "-pk")
        filters, campaigns, search = filter_page_list(request, campaigns, page_filter)
        page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "campaigns/campaign_list.html",
            {"filters": filters.form, "search": search, "page": page, "query": query_without_page(request)},
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
            context["applications"] = selectors.applications_of_campaign(request.user, campaign)
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
                "query": query_without_page(request),
            },
        )

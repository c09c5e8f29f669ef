"""Broadcast pages: compose (with the audience count), progress with live counters, a broadcast's
deliveries, and the delivery log across all of them."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts.wallet import wallet_for_user
from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import filter_page_list, query_without_page
from broadcasts import selectors, services
from broadcasts.filters import DeliveryLogPageFilter
from broadcasts.forms import BroadcastForm
from broadcasts.models import Broadcast, Delivery
from broadcasts.validation import error_text
from profiles.selectors import user_time_zone

PAGE_SIZE = 20
DELIVERIES_PAGE_SIZE = 50
LIVE = {Broadcast.Status.SCHEDULED, Broadcast.Status.RUNNING}
# A running broadcast moves every second; this long without a change, the page offers Resume
# (which finishes a run whose worker died) without waiting for the beat.
QUIET_FOR = datetime.timedelta(seconds=15)


class BroadcastListView(VendorRequiredMixin, View):
    def get(self, request):
        mine = selectors.broadcasts_for_user(request.user).filter(vendor=request.user)
        page = Paginator(mine.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "broadcasts/broadcast_list.html", {"page": page})


class DeliveryLogView(VendorRequiredMixin, View):
    """Every delivery of the vendor's broadcasts, filtered as the API filters them, with its CSV."""

    def get(self, request):
        filters, deliveries, search = filter_page_list(
            request, selectors.deliveries_for_user(request.user), DeliveryLogPageFilter
        )
        page = Paginator(deliveries, DELIVERIES_PAGE_SIZE).get_page(request.GET.get("page"))
        # The download carries the filters that apply (the chosen, valid ones), as the API reads them.
        csv_query = filters.data.copy()
        for name in [*filters.form.errors, "page", "format"]:
            csv_query.pop(name, None)
        csv_query["format"] = "csv"
        context = {
            "filters": filters.form,
            "search": search,
            "page": page,
            "query": query_without_page(request),
            "csv_url": f"{reverse('delivery-log')}?{csv_query.urlencode()}",
            "time_zone": user_time_zone(request.user),
        }
        return render(request, "broadcasts/delivery_log.html", context)


class BroadcastComposeView(VendorRequiredMixin, View):
    """A new draft, or a draft's edit. "Check audience" counts without saving; "Save and start"
    saves and starts in one go."""

    def get(self, request, pk=None):
        broadcast = self._draft(request, pk)
        if isinstance(broadcast, Broadcast) or broadcast is None:
            initial = BroadcastForm.initial_for(broadcast) if broadcast else {}
            form = BroadcastForm(vendor=request.user, initial={**initial, **self._from_query(request)})
            return self._render(request, form, broadcast)
        return broadcast  # a redirect: not a draft any more

    def post(self, request, pk=None):
        broadcast = self._draft(request, pk)
        if not (isinstance(broadcast, Broadcast) or broadcast is None):
            return broadcast
        form = BroadcastForm(request.POST, vendor=request.user)
        preview = None
        if form.is_valid():
            try:
                if "preview" in request.POST:
                    preview = selectors.audience_preview(vendor=request.user, **form.audience_fields())
                else:
                    return self._save(request, form, broadcast)
            except DomainError as error:
                apply_domain_errors(form, error)
        return self._render(request, form, broadcast, preview)

    def _save(self, request, form, broadcast):
        if broadcast is None:
            broadcast = services.broadcast_create(vendor=request.user, actor=request.user, **form.service_fields())
        else:
            broadcast = services.broadcast_update(broadcast=broadcast, **form.service_fields())
        if "start" not in request.POST:
            messages.success(request, "Draft saved. Start it when it is ready.")
            return redirect("broadcasts:broadcast-detail", pk=broadcast.pk)
        try:
            services.broadcast_start(broadcast=broadcast)
        except DomainError as error:
            messages.error(request, f"Saved as a draft, but it could not start: {error_text(error)}")
        else:
            messages.success(request, "Broadcast started.")
        return redirect("broadcasts:broadcast-detail", pk=broadcast.pk)

    def _draft(self, request, pk):
        if pk is None:
            return None
        broadcast = selectors.broadcast_for_user(request.user, pk)
        if broadcast.status != Broadcast.Status.DRAFT:
            messages.info(request, "Only drafts can be edited.")
            return redirect("broadcasts:broadcast-detail", pk=pk)
        return broadcast

    @staticmethod
    def _from_query(request):
        """``?campaign=ID`` (from a campaign's page) preselects that audience."""
        campaign = request.GET.get("campaign", "")
        if campaign.isascii() and campaign.isdigit() and len(campaign) < 10:
            return {"audience": "campaign", "campaign": int(campaign)}
        return {}

    def _render(self, request, form, broadcast, preview=None):
        context = {
            "form": form,
            "broadcast": broadcast,
            "preview": preview,
            "balance": wallet_for_user(request.user).balance,
            "price": settings.TOKEN_PRICE_BROADCAST_RECIPIENT,
        }
        return render(request, "broadcasts/broadcast_form.html", context)


class BroadcastDetailView(VendorRequiredMixin, View):
    def get(self, request, pk):
        broadcast = selectors.broadcast_for_user(request.user, pk)
        context = {
            "broadcast": broadcast,
            "live": broadcast.status in LIVE,
            "quiet": broadcast.status == Broadcast.Status.RUNNING and broadcast.updated_at < timezone.now() - QUIET_FOR,
            "progress": round(100 * (broadcast.total - broadcast.pending) / broadcast.total) if broadcast.total else 0,
            "recent_failures": broadcast.deliveries.filter(status=Delivery.Status.FAILED)
            .select_related("recipient")
            .order_by("-updated_at")[:5],
        }
        return render(request, "broadcasts/broadcast_detail.html", context)


class BroadcastDeliveriesView(VendorRequiredMixin, View):
    def get(self, request, pk):
        broadcast = selectors.broadcast_for_user(request.user, pk)
        status = request.GET.get("status", "")
        if status not in Delivery.Status.values:
            status = ""
        deliveries = selectors.deliveries_of_broadcast(broadcast, status=status)
        page = Paginator(deliveries, DELIVERIES_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "broadcast": broadcast,
            "page": page,
            "status": status,
            "statuses": Delivery.Status.choices,
            "query": f"status={status}" if status else "",
        }
        return render(request, "broadcasts/broadcast_deliveries.html", context)


class BroadcastActionView(VendorRequiredMixin, View):
    """The lifecycle buttons: start, pause, resume, cancel, retry-failed, delete (POST)."""

    ACTIONS = {
        "start": (services.broadcast_start, "Broadcast started."),
        "pause": (services.broadcast_pause, "Paused. Resume to continue where it stopped."),
        "resume": (services.broadcast_resume, "Resumed."),
        "cancel": (services.broadcast_cancel, "Cancelled. Unused tokens were refunded."),
        "retry-failed": (services.broadcast_retry_failed, "The failed deliveries are being sent again."),
        "delete": (services.broadcast_delete, "The draft was deleted."),
    }

    def post(self, request, pk, verb):
        broadcast = selectors.broadcast_for_user(request.user, pk)
        if verb not in self.ACTIONS:
            raise Http404("No such action.")
        function, success = self.ACTIONS[verb]
        try:
            function(broadcast=broadcast)
        except DomainError as error:
            messages.error(request, error_text(error))
            return redirect("broadcasts:broadcast-detail", pk=pk)
        messages.success(request, success)
        if verb == "delete":
            return redirect("broadcasts:broadcast-list")
        if verb == "retry-failed" and "next" in request.POST:
            return redirect("broadcasts:broadcast-deliveries", pk=pk)
        return redirect("broadcasts:broadcast-detail", pk=pk)

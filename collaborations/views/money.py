"""Collaborations' money pages: the whole ledger, the vendor's payout form, the influencer's
Earnings and the vendor's Owed (each with a CSV download). The balances and the latest rows show
on the collaboration's page (``{% money_panel %}``). Thin: ``collaborations.payouts`` writes,
``collaborations.balances`` reads."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from anwariya.api.csv_export import streamed_csv
from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from anwariya.mixins import VendorRequiredMixin
from anwariya.money import format_money
from collaborations import balances, payouts, selectors
from collaborations.forms import PayoutForm

PAGE_SIZE = 25
EARNINGS_COLUMNS = ["collaboration_id", "campaign", "brand", "stage", "held", "payable", "paid", "currency"]
OWED_COLUMNS = ["influencer_id", "influencer", "collaborations", "held", "payable", "paid", "currency"]


class LedgerView(LoginRequiredMixin, View):
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        page = Paginator(balances.ledger_of_collaboration(collaboration), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "collaborations/ledger.html",
            {"collaboration": collaboration, "page": page, "currency": settings.CURRENCY},
        )


class PayoutRecordView(LoginRequiredMixin, View):
    """The vendor's payout form (also on the collaboration's page); errors come back here."""

    def _collaboration(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        if request.user.pk != collaboration.vendor_id:
            raise PermissionDenied("Only the collaboration's vendor records payouts.")
        return collaboration

    def get(self, request, pk):
        collaboration = self._collaboration(request, pk)
        return self._render(request, collaboration, PayoutForm(payable=collaboration.payable))

    def post(self, request, pk):
        collaboration = self._collaboration(request, pk)
        form = PayoutForm(request.POST, payable=collaboration.payable)
        if form.is_valid():
            try:
                payout = payouts.payout_record(collaboration=collaboration, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Payout of {format_money(payout.amount, payout.currency)} recorded; "
                    f"{collaboration.influencer.display_name} is told in your chat.",
                )
                return redirect(reverse("collaborations:collaboration-detail", args=[pk]) + "#money")
        return self._render(request, collaboration, form, status=400)

    def _render(self, request, collaboration, form, status=200):
        context = {"collaboration": collaboration, "form": form, "currency": settings.CURRENCY}
        return render(request, "collaborations/payout_form.html", context, status=status)


def _amount(value):
    """A sum as money, with its 2 places (SQLite's sums lose them)."""
    return Decimal(value).quantize(Decimal("0.01"))


def _wants_csv(request):
    return request.GET.get("format") == "csv"


def _csv(request, columns, rows, name):
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    return streamed_csv(columns, rows, filename, asgi=isinstance(request, ASGIRequest))


class EarningsView(LoginRequiredMixin, View):
    """The influencer's earnings, per collaboration and in total."""

    def get(self, request):
        if not request.user.is_influencer:
            raise PermissionDenied("Earnings are the influencer's page; vendors see what they owe.")
        collaborations = balances.earnings_of_influencer(request.user)
        if _wants_csv(request):
            rows = (
                [c.pk, c.campaign.title, c.vendor.public_name, c.stage, c.held, c.payable, c.paid, settings.CURRENCY]
                for c in collaborations.iterator(chunk_size=500)
            )
            return _csv(request, EARNINGS_COLUMNS, rows, "earnings")
        page = Paginator(collaborations, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "totals": balances.earnings_totals(request.user),
            "hold_days": settings.COLLAB_COMMISSION_HOLD_DAYS,
        }
        return render(request, "collaborations/earnings.html", context)


class OwedView(VendorRequiredMixin, View):
    """What the vendor owes each influencer."""

    def get(self, request):
        owed = balances.owed_by_vendor(request.user)
        if _wants_csv(request):
            rows = (
                [
                    row["influencer_id"],
                    row["influencer__display_name"],
                    row["collaborations"],
                    _amount(row["held_total"]),
                    _amount(row["payable_total"]),
                    _amount(row["paid_total"]),
                    settings.CURRENCY,
                ]
                for row in owed.iterator(chunk_size=500)
            )
            return _csv(request, OWED_COLUMNS, rows, "owed")
        page = Paginator(owed, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "collaborations/owed.html", {"page": page, "totals": balances.owed_totals(request.user)})

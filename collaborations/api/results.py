"""``GET /api/v1/collaborations/{id}/results/``: what a collaboration brought, for either party.
Thin: the numbers and their definitions are in ``collaborations.results``."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from collaborations import results, selectors


def money(help_text, *, allow_null=False):
    return serializers.DecimalField(max_digits=20, decimal_places=2, help_text=help_text, allow_null=allow_null)


def percent(help_text):
    return serializers.DecimalField(max_digits=24, decimal_places=1, allow_null=True, help_text=help_text)


VENDOR_ONLY = " The vendor's number: null for the influencer."


class DeliverableCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    submitted = serializers.IntegerField()
    changes_requested = serializers.IntegerField()
    approved = serializers.IntegerField()
    total = serializers.IntegerField()


class CollaborationResultsSerializer(serializers.Serializer):
    collaboration = serializers.IntegerField(help_text="The collaboration's id.")
    currency = serializers.CharField(help_text="The currency of every amount.")
    clicks = serializers.IntegerField(help_text="Clicks on the tracking link, all time.")
    unique_clicks = serializers.IntegerField(help_text="Visitors counted once a day.")
    bills = serializers.IntegerField(help_text="Paid bills with the referral code (void ones not counted).")
    revenue = money("Those bills' amount before tax.")
    conversion_pct = percent("Bills per 100 unique clicks; null without clicks.")
    commission_held = money("Commission earned, still in its hold period.")
    commission_payable = money(
        "Owed to the influencer now: released commission and the fee, less payouts (negative after a "
        "reversal of commission already paid)."
    )
    paid = money("Paid to the influencer so far.")
    fee = money("The fixed fee booked (once every deliverable is approved).")
    commission = money("Commission that stands: earned, less what voided bills took back.")
    deliverables = DeliverableCountsSerializer(help_text="The deliverables, counted by status.")
    products_received = serializers.IntegerField(help_text="Units of gifted products delivered.")
    products_on_the_way = serializers.IntegerField(help_text="Units of gifted products preparing or shipped.")
    profit = money("The attributed bills' profit." + VENDOR_ONLY, allow_null=True)
    gift_cost = money("Gifted products at cost (returned shipments count zero)." + VENDOR_ONLY, allow_null=True)
    cost = money("Fee + commission + gift cost." + VENDOR_ONLY, allow_null=True)
    roi_pct = percent("(profit - cost) / cost, in percent; null when nothing was spent." + VENDOR_ONLY)
    cost_per_bill = money("Cost per attributed bill; null without bills." + VENDOR_ONLY, allow_null=True)


def results_body(collaboration, row, *, for_vendor: bool) -> dict:
    """The answer of the results endpoint from ``results.collaboration_results``' row: the
    balances under the names clients use, and the vendor's numbers only for the vendor (and staff)."""
    body = {
        "collaboration": collaboration.pk,
        "currency": settings.CURRENCY,
        **{key: row[key] for key in ("clicks", "unique_clicks", "bills", "revenue", "conversion_pct")},
        "commission_held": row["held"],
        "commission_payable": row["payable"],
        "paid": row["paid"],
        **{key: row[key] for key in ("fee", "commission", "deliverables", "products_received", "products_on_the_way")},
    }
    body.update({key: row[key] if for_vendor else None for key in results.VENDOR_ONLY})
    return body


@extend_schema(tags=["collaborations"])
class CollaborationResultsApi(APIView):
    @extend_schema(
        operation_id="collaborations_results",
        responses=CollaborationResultsSerializer,
        description=(
            "What the collaboration brought, all time: clicks on its tracking link, the paid bills with its "
            "referral code and their revenue before tax, the commission held and payable and what was paid, "
            "its deliverables and the gifted products received. The vendor also gets the profit, the cost "
            "(fee + commission + gifts at cost) and the ROI. Either party (and staff); 404 for anyone else."
        ),
    )
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        row = results.collaboration_results(collaboration)
        for_vendor = request.user.pk == collaboration.vendor_id or request.user.is_staff
        body = results_body(collaboration, row, for_vendor=for_vendor)
        return Response(CollaborationResultsSerializer(body).data)

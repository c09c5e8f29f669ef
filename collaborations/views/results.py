"""The results page: what each of the user's collaborations brought, and in total (for the
influencer above all; a vendor sees the same for theirs, the cost and ROI are in analytics)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from collaborations import results, selectors

PAGE_SIZE = 25


class ResultsView(LoginRequiredMixin, View):
    def get(self, request):
        collaborations = selectors.collaborations_for_user(request.user)
        page = Paginator(results.collaborations_with_results(collaborations), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        received = results.products_received([collaboration.pk for collaboration in page.object_list])
        rows = [
            {
                "collaboration": collaboration,
                "results": results.results_row(collaboration),
                "received": received.get(collaboration.pk, []),
            }
            for collaboration in page.object_list
        ]
        totals = results.results_totals(collaborations) if page.paginator.count else None
        return render(request, "collaborations/results.html", {"page": page, "rows": rows, "totals": totals})

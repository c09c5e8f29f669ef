from django.shortcuts import render
from django.views import View

from analytics.forms import SalesImportForm
from analytics.importing import COLUMNS, OPTIONAL_COLUMNS, ImportFailed, sales_import
from anwariya.errors import DomainError
from anwariya.views_mixins import VendorRequiredMixin


class SalesImportView(VendorRequiredMixin, View):
    """Upload a CSV of past sales; a bad file lists its bad lines and nothing is kept."""

    template_name = "analytics/import.html"

    def get(self, request):
        return self._render(request, SalesImportForm())

    def post(self, request):
        form = SalesImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        try:
            result = sales_import(vendor=request.user, rows=form.cleaned_data["file"], actor=request.user)
        except ImportFailed as failure:
            return self._render(request, SalesImportForm(), failure=failure)
        except DomainError as error:
            form.add_error(None, error.detail)
            return self._render(request, form)
        return self._render(request, SalesImportForm(), result=result)

    def _render(self, request, form, **context):
        context.update(form=form, columns=COLUMNS, optional_columns=OPTIONAL_COLUMNS)
        return render(request, self.template_name, context)

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views import View

from anwariya.api.csv_export import streamed_csv
from anwariya.errors import DomainError
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import filter_page_list, query_without_page
from billing import returns, selectors, services
from billing.filters import BillPageFilter
from billing.forms import BillForm, BillLineFormSet, GstMonthForm, ReturnForm, SalesImportForm
from billing.gst_summary import CSV_COLUMNS, TABLE_NAMES, gst_summary, gst_summary_csv_rows
from billing.gst_summary_api import month_or_this
from billing.importing import COLUMNS, OPTIONAL_COLUMNS, ImportFailed, sales_import
from billing.invoices import credit_note_response, invoice_response
from profiles.selectors import user_time_zone

PAGE_SIZE = 25


class BillListView(VendorRequiredMixin, View):
    def get(self, request):
        bills = selectors.bills_for_vendor(request.user).order_by("-created_at", "-pk")
        filters, bills, search = filter_page_list(request, bills, BillPageFilter)
        page = Paginator(bills, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"filters": filters.form, "search": search, "page": page, "query": query_without_page(request)}
        return render(request, "billing/bill_list.html", context)


class BillCreateView(VendorRequiredMixin, View):
    def get(self, request):
        return self._render(request, BillForm(), self._lines(request))

    def post(self, request):
        form = BillForm(request.POST)
        lines = self._lines(request, request.POST)
        if form.is_valid() and lines.is_valid():
            filled = [line for line in lines.forms if line.cleaned_data.get("product")]
            try:
                result = services.bill_create(
                    vendor=request.user,
                    customer_name=form.cleaned_data["customer_name"],
                    customer_email=form.cleaned_data["customer_email"],
                    referral_code=form.cleaned_data["referral_code"],
                    customer_gstin=form.cleaned_data["customer_gstin"],
                    customer_address=form.cleaned_data["customer_address"],
                    place_of_supply=form.cleaned_data["place_of_supply"],
                    allow_partial=form.cleaned_data["allow_partial"],
                    items=[
                        services.Line(
                            product=line.cleaned_data["product"].pk,
                            quantity=line.cleaned_data["quantity"],
                            unit_price=line.cleaned_data.get("unit_price"),
                        )
                        for line in filled
                    ],
                    actor=request.user,
                )
            except DomainError as error:
                self._show_errors(form, filled, error)
            else:
                bill = result.bill
                messages.success(
                    request, f"Bill {bill.number} recorded. The invoice is on its way to {bill.customer_email}."
                )
                for failure in result.failed:
                    messages.warning(request, f"Not sold: {failure['name']} — {failure['reason']}")
                return redirect("billing:bill-detail", pk=bill.pk)
        return self._render(request, form, lines)

    def _lines(self, request, data=None):
        return BillLineFormSet(data, prefix="lines", form_kwargs={"vendor": request.user})

    def _show_errors(self, form, filled, error):
        """Line errors go on their lines (same order as sent); the rest on the bill form."""
        for field, messages_ in error.errors.items():
            if isinstance(messages_, dict):  # per line, keyed by the line's index among those sent
                for index, line_errors in messages_.items():
                    line = filled[int(index)]
                    for line_field, line_messages in line_errors.items():
                        for message in line_messages:
                            line.add_error(line_field if line_field in line.fields else None, message)
                continue
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
        form.add_error(None, error.detail)

    def _render(self, request, form, lines):
        prices = {str(p.pk): str(p.sale_price) for p in lines.empty_form.fields["product"].queryset}
        return render(request, "billing/bill_form.html", {"form": form, "lines": lines, "prices": prices})


class BillDetailView(VendorRequiredMixin, View):
    def get(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        return render_bill(request, bill, ReturnForm(bill=bill))


def render_bill(request, bill, return_form, status=200):
    context = {"bill": bill, "return_form": return_form, "return_rows": return_form.rows()}
    return render(request, "billing/bill_detail.html", context, status=status)


class BillReturnView(VendorRequiredMixin, View):
    """The bill page's return form: the units chosen per line come back on one credit note."""

    def post(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        form = ReturnForm(request.POST, bill=bill)
        if form.is_valid():
            try:
                note = returns.bill_return(
                    bill=bill, items=form.return_lines(), reason=form.cleaned_data["reason"], actor=request.user
                )
            except DomainError as error:
                form.show_errors(error)
            else:
                messages.success(
                    request, f"Credit note {note.number} issued; the goods are back in stock and it is on its way."
                )
                return redirect("billing:bill-detail", pk=bill.pk)
        return render_bill(request, selectors.bill_for_vendor(request.user, pk), form, status=400)


class CreditNotePdfView(VendorRequiredMixin, View):
    def get(self, request, pk):
        note = selectors.credit_note_for_vendor(request.user, pk)
        return credit_note_response(note, disposition="attachment")


class BillVoidView(VendorRequiredMixin, View):
    def post(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        try:
            services.bill_void(bill=bill, actor=request.user)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"Bill {bill.number} is void; its items are back in stock.")
        return redirect("billing:bill-detail", pk=bill.pk)


class BillResendView(VendorRequiredMixin, View):
    def post(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        try:
            services.bill_resend_invoice(bill=bill)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"The invoice is being sent again to {bill.customer_email}.")
        return redirect("billing:bill-detail", pk=bill.pk)


class BillInvoiceView(VendorRequiredMixin, View):
    def get(self, request, pk):
        bill = selectors.bill_for_vendor(request.user, pk)
        return invoice_response(bill, disposition="attachment")


class SalesImportView(VendorRequiredMixin, View):
    """Upload a CSV of past sales; a bad file lists its bad lines and nothing is kept."""

    template_name = "billing/sales_import.html"

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


class GstSummaryView(VendorRequiredMixin, View):
    """The month's GST summary as GSTR-1 lays it out, and the same as a CSV (``?format=csv``)."""

    def get(self, request):
        form = GstMonthForm(request.GET)
        month = month_or_this(form.cleaned_data.get("month") if form.is_valid() else None, request.user)
        summary = gst_summary(request.user, month)
        if request.GET.get("format") == "csv" and form.is_valid():
            rows = gst_summary_csv_rows(summary, user_time_zone(request.user))
            return streamed_csv(CSV_COLUMNS, rows, f"gst-summary-{month:%Y-%m}.csv")
        context = {"form": form, "summary": summary, "month": month, "tables": TABLE_NAMES}
        return render(request, "billing/gst_summary.html", context, status=200 if form.is_valid() else 400)

"""Gift shipments on the collaboration's page (the panel, ``_shipments.html``), the vendor's
new-shipment form, the status buttons and the influencer's shipping address. Thin: the rules are in
``collaborations.shipments``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from anwariya.errors import DomainError
from collaborations import selectors, shipments
from collaborations.forms import (
    SHIPMENT_LINES,
    ShipmentForm,
    ShipmentLineFormSet,
    ShipmentUpdateForm,
    ShippingAddressForm,
)
from collaborations.models import Shipment

Status = Shipment.Status
PANEL_PAGE_SIZE = 10
PAGE_PARAMETER = "shipments_page"


def shipments_panel(request, collaboration) -> dict:
    """What ``_shipments.html`` shows (its template tag, ``collaboration_shipments``): the
    shipments, a page at a time, each with the buttons the viewer may press."""
    user = request.user
    is_vendor, is_influencer = user.pk == collaboration.vendor_id, user.pk == collaboration.influencer_id
    page = Paginator(selectors.shipments_of_collaboration(collaboration), PANEL_PAGE_SIZE).get_page(
        request.GET.get(PAGE_PARAMETER)
    )
    for shipment in page:
        shipment.steps = _steps(shipment, is_vendor=is_vendor, is_influencer=is_influencer)
        shipment.trackable = is_vendor and shipment.status in shipments.TRACKABLE
    return {
        "collaboration": collaboration,
        "page": page,
        "page_parameter": PAGE_PARAMETER,
        "is_vendor": is_vendor,
        "is_influencer": is_influencer,
        "show_cost": not is_influencer,
        "refusal": shipments.gift_refusal(collaboration) if is_vendor else None,
        "address_form": (
            ShippingAddressForm(initial={"shipping_address": collaboration.shipping_address}, auto_id="address_%s")
            if is_influencer and collaboration.is_open
            else None
        ),
    }


def _steps(shipment, *, is_vendor, is_influencer) -> list[tuple[str, str, str]]:
    """(status, button label, button class) for each step the viewer may take."""
    if is_influencer:
        return [(Status.DELIVERED, "I received it", "")] if shipment.status == Status.SHIPPED else []
    if not is_vendor:
        return []
    labels = {
        Status.SHIPPED: ("Mark shipped", ""),
        Status.DELIVERED: ("Mark delivered", ""),
        Status.RETURNED: (
            ("Cancel: not sent", "danger") if shipment.status == Status.PREPARING else ("Mark returned", "secondary")
        ),
    }
    return [(status, *labels[status]) for status in shipments.TRANSITIONS[shipment.status]]


def _detail(collaboration_pk, shipment_pk=None) -> str:
    anchor = f"#shipment-{shipment_pk}" if shipment_pk else "#shipments"
    return reverse("collaborations:collaboration-detail", args=[collaboration_pk]) + anchor


class ShipmentCreateView(LoginRequiredMixin, View):
    """The vendor's new gift: products and quantities from their active catalog (stock shown), the
    address (the influencer's to start with), carrier and tracking number."""

    def _collaboration(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        try:
            shipments.check_sender(collaboration, request.user)
        except DomainError as error:
            raise PermissionDenied(error.detail) from None
        return collaboration

    def get(self, request, pk):
        collaboration = self._collaboration(request, pk)
        form = ShipmentForm(initial={"address": collaboration.shipping_address})
        return self._render(request, collaboration, form, self._lines(request, extra=_lines_asked(request)))

    def post(self, request, pk):
        collaboration = self._collaboration(request, pk)
        form = ShipmentForm(request.POST)
        lines = self._lines(request, request.POST)
        if form.is_valid() and lines.is_valid():
            filled = lines.filled()
            try:
                shipment = shipments.shipment_create(
                    collaboration=collaboration,
                    actor=request.user,
                    items=[
                        {"product": line.cleaned_data["product"].pk, "quantity": line.cleaned_data["quantity"]}
                        for line in filled
                    ],
                    address=form.cleaned_data["address"],
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                )
            except DomainError as error:
                _show_errors(form, filled, error)
            else:
                messages.success(
                    request, "Gift shipment made; its stock has left. Mark it shipped with the tracking number."
                )
                return redirect(_detail(collaboration.pk, shipment.pk))
        return self._render(request, collaboration, form, lines, status=400)

    def _lines(self, request, data=None, extra=SHIPMENT_LINES):
        formset = type(ShipmentLineFormSet.__name__, (ShipmentLineFormSet,), {"extra": extra})
        return formset(data, prefix="lines", form_kwargs={"vendor": request.user})

    def _render(self, request, collaboration, form, lines, status=200):
        context = {
            "collaboration": collaboration,
            "form": form,
            "lines": lines,
            "refusal": shipments.gift_refusal(collaboration),
            "more_lines": min(lines.total_form_count() + SHIPMENT_LINES, shipments.MAX_LINES),
            "max_lines": shipments.MAX_LINES,
        }
        return render(request, "collaborations/shipment_form.html", context, status=status)


def _lines_asked(request) -> int:
    """How many blank lines the form shows: ``?lines=`` (the "more lines" link), within the limit."""
    asked = request.GET.get("lines", "")
    count = int(asked) if asked.isdigit() and len(asked) < 4 else SHIPMENT_LINES
    return max(1, min(count, shipments.MAX_LINES))


def _show_errors(form, filled, error):
    """Line errors on their lines (in the order sent), the rest on the form."""
    for field, problems in error.errors.items():
        if isinstance(problems, dict):
            for index, line_problems in problems.items():
                line = filled[int(index)]
                for line_field, texts in line_problems.items():
                    for text in texts:
                        line.add_error(line_field if line_field in line.fields else None, text)
        elif field in form.fields:
            for text in problems:
                form.add_error(field, text)
        elif field != "stage":  # the stage's code is no message: the summary says it in words
            for text in problems:
                form.add_error(None, text)
    form.add_error(None, error.detail)


class ShipmentUpdateView(LoginRequiredMixin, View):
    """A status button (``status``, with ``carrier`` and ``tracking_number`` where the step takes
    them), or, without ``status``, the vendor's corrected carrier and tracking number."""

    def post(self, request, pk):
        shipment = selectors.shipment_for_user(request.user, pk)
        form = ShipmentUpdateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(text for texts in form.errors.values() for text in texts))
            return redirect(_detail(shipment.collaboration_id, shipment.pk))
        data = form.cleaned_data
        # A field the form did not hold is not changed (a button sends the status alone).
        tracking = {name: data[name] if name in request.POST else None for name in ("carrier", "tracking_number")}
        try:
            if data["status"]:
                shipments.shipment_update_status(
                    shipment=shipment, actor=request.user, status=data["status"], **tracking
                )
                done = f"{shipment} is {shipment.get_status_display().lower()}."
            else:
                shipments.shipment_update_tracking(shipment=shipment, actor=request.user, **tracking)
                done = f"The tracking of {shipment} is saved."
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.detail) from None
            messages.error(request, _error_text(error))
        else:
            if shipment.status == Status.RETURNED and request.user.pk == shipment.collaboration.vendor_id:
                done += " Its stock is back in your catalog."
            messages.success(request, done)
        return redirect(_detail(shipment.collaboration_id, shipment.pk))


def _error_text(error: DomainError) -> str:
    """A refusal in words: a conflict's summary, or what is wrong with each field."""
    if error.status_code == 409:
        return error.detail
    texts = [text for texts in error.errors.values() if isinstance(texts, list) for text in texts]
    return "; ".join(texts) or error.detail


class ShippingAddressView(LoginRequiredMixin, View):
    """The influencer's address for gifts, from the panel's form."""

    def post(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        form = ShippingAddressForm(request.POST)
        if form.is_valid():
            try:
                shipments.shipping_address_set(
                    collaboration=collaboration, actor=request.user, address=form.cleaned_data["shipping_address"]
                )
            except DomainError as error:
                if error.status_code == 403:
                    raise PermissionDenied(error.detail) from None
                messages.error(request, _error_text(error))
            else:
                messages.success(
                    request,
                    "Your shipping address is saved; the vendor's gifts go there."
                    if collaboration.shipping_address
                    else "Your shipping address is removed.",
                )
        else:
            messages.error(request, "; ".join(form.errors["shipping_address"]))
        return redirect(_detail(collaboration.pk))

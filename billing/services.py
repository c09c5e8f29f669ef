"""Billing writes: selling (all or nothing, or partially), voiding, and invoice delivery."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from anwariya.celery import enqueue_on_commit
from anwariya.errors import Conflict, DomainError
from billing.hooks import referred_bill_created, referred_bill_voided
from billing.invoices import credit_note_pdf_stored, invoice_pdf_stored
from billing.models import Bill, BillItem, CreditNote, Series
from billing.numbering import document_number_take
from billing.pricing import MAX_TOTAL, BillTotals, amounts, bill_totals, priced_line
from billing.returns import returned_quantities
from billing.tax import default_place_of_supply, tax_regime
from campaigns.selectors import referral_for_code
from catalog.selectors import gst_rates
from catalog.services import (
    MAX_PRICE,
    MAX_QUANTITY,
    InsufficientStock,
    StockLine,
    stock_lock,
    stock_read,
    stock_return,
    stock_sell,
    stock_shortfalls,
    stock_terms_changed,
)
from profiles.gst import STATE_NAMES, gstin_compact, gstin_problem
from profiles.selectors import vendor_tax_profile

MAX_ADDRESS_LENGTH = 500
# Rule 46(e): from this taxable value, a tax invoice to an unregistered buyer has their address.
B2C_ADDRESS_FROM = Decimal(50_000)


class BillError(DomainError):
    pass


class NothingToSell(Conflict):
    code = "nothing_to_sell"
    default_detail = "None of the lines could be sold; no bill was created."


class AlreadyVoid(Conflict):
    code = "already_void"
    default_detail = "This bill is void already."


@dataclass(frozen=True)
class Line:
    """One requested line: ``product`` is an id; ``unit_price`` None means the product's price."""

    product: int
    quantity: int
    unit_price: Decimal | None = None


@dataclass
class BillResult:
    bill: Bill
    purchased: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    items: list = field(default_factory=list)  # the bill's lines as written, in line order


def bill_create(
    *,
    vendor,
    customer_name: str,
    customer_email: str,
    items: list[Line],
    referral_code: str = "",
    allow_partial: bool = False,
    actor=None,
    send_invoice: bool = True,
    customer_gstin: str = "",
    customer_address: str = "",
    place_of_supply: str = "",
) -> BillResult:
    """Sell ``items`` to a customer in one transaction.

    The lines are checked against the products (``catalog.services``) and priced before any
    lock is taken; the transaction then locks the products in primary-key order, checks again
    only what changed meanwhile, and holds the locks for the writes alone. Pricing and tax come
    from ``billing.pricing`` and ``billing.tax`` (a tax invoice, a bill of supply or a plain
    invoice, by the vendor's profile); the next gapless invoice number is taken and catalog's
    ``stock_sell`` takes the stock with a movement a line, all or nothing. Without
    ``allow_partial`` any short line refuses the whole bill (``InsufficientStock`` lists each);
    with it, the lines that can be sold are, and the rest come back in ``failed`` with a
    reason. ``place_of_supply`` (a GST state code) defaults to the state of ``customer_gstin``,
    else the vendor's. The invoice email is queued after commit.
    """
    customer_name = (customer_name or "").strip()
    customer_email = (customer_email or "").strip()
    referral_code = (referral_code or "").strip().upper()
    customer = Customer(
        gstin=gstin_compact(customer_gstin),
        address=(customer_address or "").strip(),
        place_of_supply=(place_of_supply or "").strip(),
    )
    _check_request(customer_name, customer_email, items, customer)
    referral = None
    if referral_code:
        referral = referral_for_code(vendor=vendor, code=referral_code)
        if referral is None:
            raise BillError(
                "Unknown referral code.",
                errors={"referral_code": ["No accepted influencer of your campaigns has this code."]},
            )
    profile = vendor_tax_profile(vendor)
    place = customer.place_of_supply or default_place_of_supply(
        supplier_state=profile.state, customer_gstin=customer.gstin
    )
    regime = tax_regime(profile=profile, place_of_supply=place)

    # What needs no lock comes first: the products as they stand, checked and priced (a sale the
    # stock cannot cover is refused here, without waiting for anyone). In the transaction they
    # are locked and read again, and the sale is checked and priced again only if that read
    # says otherwise: a price or rate changed, a line no longer fits the stock, or lines were short.
    read = stock_read(vendor=vendor, lines=items)
    sale = _sale(items, read, regime, customer, allow_partial)
    with transaction.atomic():
        products = stock_lock(vendor=vendor, lines=items)
        if sale.failed or stock_terms_changed(read, products) or stock_shortfalls(list(sale.lines.values()), products):
            sale = _sale(items, products, regime, customer, allow_partial)
        bill = _new_bill(
            vendor,
            customer_name,
            customer_email,
            referral_code,
            referral,
            customer,
            actor=actor,
            profile=profile,
            regime=regime,
            totals=sale.totals,
        )
        if not send_invoice:  # e.g. demo data: a sale recorded without emailing anyone
            bill.email_status = Bill.EmailStatus.NOT_SENT
        bill.save()
        for item in sale.items.values():
            item.bill = bill
        BillItem.objects.bulk_create(sale.items.values())
        stock_sell(vendor=vendor, lines=list(sale.lines.values()), source=bill, actor=actor, locked=products)
        if send_invoice:
            _queue_invoice(bill)
        if referral is not None:
            referred_bill_created(bill)  # e.g. the collaboration's commission (billing.hooks)

    purchased = [
        {"line": line_no, "product": line.product, "sku": products[line.product].sku, "quantity": line.quantity}
        for line_no, line in sale.lines.items()
    ]
    return BillResult(bill=bill, purchased=purchased, failed=sale.failed, items=list(sale.items.values()))


@dataclass(frozen=True)
class _Sale:
    """What a bill will sell, priced: the lines that can be sold (by line number), their bill
    items, the lines that cannot (with ``allow_partial``) and the totals."""

    lines: dict[int, Line]
    items: dict[int, BillItem]
    failed: list
    totals: BillTotals


def _sale(items, products, regime, customer, allow_partial) -> _Sale:
    """Check and price ``items`` from ``products``; raises what refuses the bill."""
    _check_taxable(regime, items, products)
    failed = stock_shortfalls(items, products)
    if failed and not allow_partial:
        raise InsufficientStock.for_lines(failed)
    short = {failure["line"] for failure in failed}
    sellable = {line_no: line for line_no, line in enumerate(items) if line_no not in short}
    if not sellable:
        raise NothingToSell(lines=failed)
    rates = _gst_rates(products.values())
    bill_items = {line_no: _priced(line, products[line.product], regime, rates) for line_no, line in sellable.items()}
    _check_totals(bill_items)
    totals = bill_totals(bill_items.values())
    _check_recipient(regime, customer, totals)
    return _Sale(lines=sellable, items=bill_items, failed=failed, totals=totals)


@dataclass(frozen=True)
class Customer:
    """What a bill says of its customer for GST: their GSTIN (a B2B sale), address, and the
    place of supply ("" for the default)."""

    gstin: str = ""
    address: str = ""
    place_of_supply: str = ""


def bill_void(*, bill: Bill, actor=None) -> Bill:
    """Void a paid bill: its items not returned already go back to stock (with movements); the
    number is kept."""
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        if bill.status == Bill.Status.VOID:
            raise AlreadyVoid()
        if bill.is_imported:
            raise Conflict("Imported history cannot be voided: it never took stock.", errors={"status": ["Imported."]})
        # What was returned on credit notes is back in stock already.
        returned = returned_quantities(bill)
        lines = [
            StockLine(product=item.product_id, quantity=item.quantity - returned.get(item.pk, 0))
            for item in bill.items.order_by("pk")
            if item.quantity > returned.get(item.pk, 0)
        ]
        if lines:
            stock_return(vendor=bill.vendor, lines=lines, source=bill, actor=actor, note=f"Voided {bill.number}")
        bill.status = Bill.Status.VOID
        bill.voided_at = timezone.now()
        bill.voided_by = actor
        stale_pdf = bill.invoice_pdf.name
        bill.invoice_pdf = ""  # the next download renders it again, marked VOID
        bill.save(update_fields=["status", "voided_at", "voided_by", "invoice_pdf"])
        if bill.referral_id is not None:
            referred_bill_voided(bill)  # e.g. the commission it earned is reversed (billing.hooks)
        if stale_pdf:
            transaction.on_commit(lambda: bill.invoice_pdf.storage.delete(stale_pdf))
    return bill


def bill_resend_invoice(*, bill: Bill) -> Bill:
    """Email the invoice again (for example after fixing the customer's mail server)."""
    if bill.status == Bill.Status.VOID:
        raise Conflict("This bill is void; its invoice is not sent again.", errors={"status": ["Void."]})
    if bill.is_imported:
        raise Conflict("Imported history has no invoice to send.", errors={"status": ["Imported."]})
    with transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(email_status=Bill.EmailStatus.PENDING, email_error="")
        bill.email_status, bill.email_error = Bill.EmailStatus.PENDING, ""
        _queue_invoice(bill, resend=True)
    return bill


def _queue_invoice(bill, resend=False):
    from billing.tasks import send_invoice_email

    enqueue_on_commit(send_invoice_email, bill.pk, resend=resend, background=True)


def _check_request(customer_name, customer_email, items, customer: Customer):
    errors = {}
    if customer.gstin and (problem := gstin_problem(customer.gstin)):
        errors["customer_gstin"] = [problem]
    if len(customer.address) > MAX_ADDRESS_LENGTH:
        errors["customer_address"] = [f"Ensure this field has no more than {MAX_ADDRESS_LENGTH} characters."]
    if customer.place_of_supply and customer.place_of_supply not in STATE_NAMES:
        errors["place_of_supply"] = ["Give the state by its two-digit GST code, such as 27 (Maharashtra)."]
    if not customer_name:
        errors["customer_name"] = ["This field is required."]
    elif len(customer_name) > 200:
        errors["customer_name"] = ["Ensure this field has no more than 200 characters."]
    try:
        validate_email(customer_email)
    except ValidationError:
        errors["customer_email"] = ["Enter a valid email address."]
    if not items:
        errors["items"] = ["Add at least one line."]
    else:
        line_errors = {}
        seen = {}
        for line_no, line in enumerate(items):
            problems = _line_input_errors(line)
            if line.product in seen and not problems:
                problems = {"product": [f"Already on line {seen[line.product] + 1}; combine the lines."]}
            seen.setdefault(line.product, line_no)
            if problems:
                line_errors[line_no] = problems
        if line_errors:
            errors["items"] = line_errors
    if errors:
        raise BillError("Please correct the highlighted fields.", errors=errors)


def _line_input_errors(line: Line) -> dict:
    errors = {}
    if not isinstance(line.quantity, int) or not 0 < line.quantity <= MAX_QUANTITY:
        errors["quantity"] = [f"Must be a whole number from 1 to {MAX_QUANTITY:,}."]
    if line.unit_price is not None and not Decimal(0) <= line.unit_price <= MAX_PRICE:
        errors["unit_price"] = [f"Must be from 0 to {MAX_PRICE}."]
    return errors


def _priced(line: Line, product, regime, rates) -> BillItem:
    unit_price = line.unit_price if line.unit_price is not None else product.sale_price
    return priced_line(
        product=product,
        quantity=line.quantity,
        unit_price=unit_price,
        unit_cost=product.cost_price,
        regime=regime,
        gst_rate=rates.get(product.gst_rate_id),
    )


def _gst_rates(products) -> dict:
    """The percentages of the products' GST rates, by rate id, in one query."""
    ids = {product.gst_rate_id for product in products if product.gst_rate_id}
    return dict(gst_rates().filter(pk__in=ids).values_list("pk", "rate")) if ids else {}


def _check_taxable(regime, items, products):
    """A tax invoice states every line's GST rate: a product without one cannot be sold on it."""
    if not regime.charges_gst:
        return
    unrated = {
        line_no: {"product": [f"{products[line.product].name} has no GST rate; set it in your catalog."]}
        for line_no, line in enumerate(items)
        if products[line.product].gst_rate_id is None
    }
    if unrated:
        raise BillError("Some products have no GST rate; nothing was sold.", errors={"items": unrated})


def _check_recipient(regime, customer: Customer, totals):
    """CGST Rules, rule 46(e): a tax invoice to an unregistered buyer for ₹50,000 or more
    records the buyer's address (and the state, which the place of supply gives)."""
    if regime.charges_gst and not customer.gstin and not customer.address and totals.taxable_total >= B2C_ADDRESS_FROM:
        raise BillError(
            f"A tax invoice of ₹{B2C_ADDRESS_FROM:,} or more to a buyer without a GSTIN records their address.",
            errors={"customer_address": ["Give the customer's address (₹50,000 or more)."]},
        )


def _check_totals(bill_items: dict[int, BillItem]):
    """Refuse amounts too large to record, before anything is written."""
    checked = amounts((item.line_total, item.line_cost) for item in bill_items.values())
    line_nos = list(bill_items)
    if checked.too_large:
        message = f"This line comes to more than {MAX_TOTAL:,}; split the sale."
        raise BillError(
            f"A bill can total at most {MAX_TOTAL:,}.",
            errors={"items": {line_nos[index]: {"quantity": [message]} for index in checked.too_large}},
        )
    if checked.bill_too_large:
        raise BillError(
            f"A bill can total at most {MAX_TOTAL:,}.",
            errors={"items": [f"The bill would total more than {MAX_TOTAL:,}."]},
        )


def _new_bill(
    vendor, customer_name, customer_email, referral_code, referral, customer, *, actor, profile, regime, totals
) -> Bill:
    """The bill, unsaved, with its totals and the vendor's next invoice number for this financial
    year (``billing.numbering``), and what it says of the supplier as the vendor's profile stands now."""
    now = timezone.now()
    taken = document_number_take(vendor=vendor, series=Series.INVOICE, when=now, prefix=profile.invoice_prefix)
    return Bill(
        vendor=vendor,
        number=taken.number,
        series=taken.series,
        year=taken.year,
        sequence=taken.sequence,
        customer_name=customer_name,
        customer_email=customer_email,
        referral_code=referral_code,
        referral=referral,
        currency=settings.CURRENCY,
        created_by=actor,
        created_at=now,
        taxable_total=totals.taxable_total,
        tax_total=totals.tax_total,
        total=totals.total,
        cost=totals.cost,
        profit=totals.profit,
        **bill_gst_fields(profile, regime, customer),
    )


def bill_gst_fields(profile, regime, customer: Customer) -> dict:
    """A new bill's GST fields: the document, the parties and the place of supply (sales and the
    sales import)."""
    return {
        "document_type": regime.document_type,
        "customer_gstin": customer.gstin,
        "customer_address": customer.address,
        "place_of_supply": regime.place_of_supply,
        "supplier_legal_name": profile.legal_name,
        "supplier_address": profile.address,
        "supplier_state": profile.state,
        "supplier_gstin": profile.gstin,
        "prices_include_tax": regime.prices_include_tax,
    }


def bills_keep_invoices_of_closed_account(user) -> None:
    """Invoices are kept intact (CGST Act s.36, rule 56): before a closing vendor's business name
    is erased, every invoice and credit-note PDF not yet rendered is rendered and stored with it.
    Runs inside the closing transaction (``accounts.hooks``); nothing else on a bill changes."""
    if not user.is_vendor:
        return
    unrendered = Bill.objects.filter(vendor=user, is_imported=False, invoice_pdf="").select_related("vendor")
    for bill in unrendered.prefetch_related("items").order_by("pk").iterator(chunk_size=100):
        invoice_pdf_stored(bill)
    notes = CreditNote.objects.filter(vendor=user, pdf="").select_related("bill__vendor")
    for note in notes.order_by("pk").iterator(chunk_size=100):
        credit_note_pdf_stored(note)

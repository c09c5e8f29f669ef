"""Commission: earned with a referred bill, held, released after the hold, reversed with a void."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.tests.factories import AdminFactory
from billing import services as billing_services
from billing.models import Bill
from billing.tests.factories import gst_product, make_bill, make_return
from collaborations import services
from collaborations.commission import commission_amount, commission_base, commission_release_due
from collaborations.ledger import collaboration_lock, ledger_post
from collaborations.models import Collaboration, LedgerEntry
from collaborations.payouts import payout_record
from collaborations.tasks import commission_release
from collaborations.tests.factories import accept_terms, make_collaboration, referred_bill, send_terms
from profiles.tests.factories import gst_vendor

pytestmark = pytest.mark.django_db

Kind = LedgerEntry.Kind


def balances(collaboration):
    collaboration.refresh_from_db()
    return collaboration.held, collaboration.payable, collaboration.paid


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_a_bill_with_the_code_earns_the_rate_of_its_amount_held_for_the_hold_days(settings):
    settings.COLLAB_COMMISSION_HOLD_DAYS = 14
    collaboration = make_collaboration()
    accept_terms(collaboration, commission_rate=Decimal("12.50"))
    before = timezone.now()
    bill = referred_bill(collaboration, Decimal("999.00"), quantity=2)

    earning = LedgerEntry.objects.get(collaboration=collaboration)
    assert earning.kind == Kind.EARNED
    assert earning.bill_id == bill.pk
    assert (earning.base_amount, earning.rate) == (Decimal("1998.00"), Decimal("12.50"))
    assert earning.held == Decimal("249.75")
    assert before + datetime.timedelta(days=14) <= earning.release_at <= later(14)
    assert balances(collaboration) == (Decimal("249.75"), 0, 0)


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        ("100.05", "10.00", "10.01"),  # 10.005 rounds half up
        ("100.04", "10.00", "10.00"),
        ("0.04", "10.00", "0.00"),
        ("33.33", "33.33", "11.11"),
        ("1000.00", "0.01", "0.10"),
    ],
)
def test_commission_is_rounded_to_the_paisa_half_up(base, rate, amount):
    assert commission_amount(Decimal(base), Decimal(rate)) == Decimal(amount)


def test_the_base_is_the_bill_total_when_no_tax_is_charged():
    collaboration = make_collaboration()  # an unregistered vendor: a bill of supply, no tax
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("450.00"))
    assert commission_base(bill) == bill.total == Decimal("450.00")


def test_the_base_of_a_tax_invoice_is_its_taxable_value_not_the_tax():
    collaboration = make_collaboration(vendor=gst_vendor(state="27"))
    accept_terms(collaboration, commission_rate=Decimal("10.00"))
    product = gst_product(collaboration.vendor, 18, price="1000.00")
    bill = make_bill(collaboration.vendor, (product, 2), referral_code=collaboration.referral_code)
    assert (bill.taxable_total, bill.tax_total, bill.total) == (
        Decimal("2000.00"),
        Decimal("360.00"),
        Decimal("2360.00"),
    )
    earning = LedgerEntry.objects.get(kind=Kind.EARNED)
    assert (earning.base_amount, earning.held) == (Decimal("2000.00"), Decimal("200.00"))


def test_a_bill_too_small_to_earn_a_paisa_books_nothing():
    collaboration = make_collaboration()
    accept_terms(collaboration, commission_rate=Decimal("1.00"))
    referred_bill(collaboration, Decimal("0.40"))
    assert not LedgerEntry.objects.exists()


def test_no_commission_without_accepted_terms_or_with_rate_zero_or_cancelled():
    waiting = make_collaboration()
    send_terms(waiting, commission_rate=Decimal("10.00"))  # sent, not accepted
    referred_bill(waiting)
    zero = make_collaboration()
    accept_terms(zero, commission_rate=Decimal("0"))
    referred_bill(zero)
    cancelled = make_collaboration()
    accept_terms(cancelled)
    services.collaboration_cancel(collaboration=cancelled, actor=cancelled.vendor, reason="Changed plans.")
    referred_bill(cancelled)
    assert not LedgerEntry.objects.exists()
    assert [balances(c) for c in (waiting, zero, cancelled)] == [(0, 0, 0)] * 3


def test_the_rate_is_the_accepted_version_in_force_while_a_new_one_waits():
    collaboration = make_collaboration()
    accept_terms(collaboration, commission_rate=Decimal("5.00"))
    send_terms(collaboration, commission_rate=Decimal("20.00"))  # waiting: v1 still applies
    referred_bill(collaboration, Decimal("100.00"))
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer, version=2)
    referred_bill(collaboration, Decimal("100.00"))
    assert list(LedgerEntry.objects.order_by("pk").values_list("rate", "held")) == [
        (Decimal("5.00"), Decimal("5.00")),
        (Decimal("20.00"), Decimal("20.00")),
    ]


def test_a_bill_without_a_code_runs_no_collaboration_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from billing.tests.factories import make_bill
    from catalog.tests.factories import ProductFactory

    collaboration = make_collaboration()
    accept_terms(collaboration)
    product = ProductFactory(vendor=collaboration.vendor)
    with CaptureQueriesContext(connection) as plain_queries:
        plain = make_bill(collaboration.vendor, (product, 1), send_invoice=False)
    with CaptureQueriesContext(connection) as referred_queries:
        with_code = referred_bill(collaboration)
    table = Collaboration._meta.db_table
    assert not [q for q in plain_queries.captured_queries if table in q["sql"]]
    assert [q for q in referred_queries.captured_queries if table in q["sql"]]
    assert not LedgerEntry.objects.filter(bill=plain).exists()
    assert LedgerEntry.objects.filter(bill=with_code).exists()


def test_imported_bills_earn_nothing():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration)
    LedgerEntry.objects.all().delete()
    Collaboration.objects.filter(pk=collaboration.pk).update(held=0)
    bill.is_imported = True
    from billing.hooks import referred_bill_created

    referred_bill_created(bill)  # what the import would announce, were it to: nothing is booked
    assert not LedgerEntry.objects.exists()
    from collaborations.commission import commission_earn

    assert commission_earn(bill) is None


def test_held_becomes_payable_after_the_hold_days_by_the_command(settings):
    settings.COLLAB_COMMISSION_HOLD_DAYS = 14
    collaboration = make_collaboration()
    accept_terms(collaboration)
    referred_bill(collaboration, Decimal("1000.00"))

    assert commission_release_due(now=later(13)) == 0
    assert balances(collaboration) == (Decimal("100.00"), 0, 0)

    out = StringIO()
    LedgerEntry.objects.filter(kind=Kind.EARNED).update(release_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("collaborations_release_commission", stdout=out, stderr=StringIO())
    assert "Released 1 earning." in out.getvalue()
    assert balances(collaboration) == (0, Decimal("100.00"), 0)
    release = LedgerEntry.objects.get(kind=Kind.RELEASED)
    assert (release.held, release.payable, release.earning.kind) == (Decimal("-100.00"), Decimal("100.00"), "earned")

    call_command("collaborations_release_commission", stdout=out, stderr=StringIO())
    assert LedgerEntry.objects.filter(kind=Kind.RELEASED).count() == 1  # nothing twice


def test_the_beat_task_releases_what_is_due_and_is_scheduled(settings):
    collaboration = make_collaboration()
    accept_terms(collaboration)
    referred_bill(collaboration, Decimal("300.00"))
    referred_bill(collaboration, Decimal("200.00"))
    LedgerEntry.objects.filter(kind=Kind.EARNED).update(release_at=timezone.now())
    assert commission_release.delay().get() == 2
    assert balances(collaboration) == (0, Decimal("50.00"), 0)
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"collaborations.tasks.commission_release", "collaborations.tasks.tracking_prune"} <= schedule


def test_a_void_before_the_release_takes_it_back_from_held():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("1000.00"))
    referred_bill(collaboration, Decimal("500.00"))
    billing_services.bill_void(bill=bill, actor=collaboration.vendor)

    reversal = LedgerEntry.objects.get(kind=Kind.REVERSED)
    assert (reversal.held, reversal.payable, reversal.earning.bill_id) == (Decimal("-100.00"), 0, bill.pk)
    assert balances(collaboration) == (Decimal("50.00"), 0, 0)
    # The reversed earning is not released later.
    assert commission_release_due(now=later(30)) == 1
    assert balances(collaboration) == (0, Decimal("50.00"), 0)


def test_a_void_after_the_release_takes_it_back_from_payable():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("1000.00"))
    commission_release_due(now=later(15))
    billing_services.bill_void(bill=Bill.objects.get(pk=bill.pk), actor=collaboration.vendor)
    reversal = LedgerEntry.objects.get(kind=Kind.REVERSED)
    assert (reversal.held, reversal.payable) == (0, Decimal("-100.00"))
    assert balances(collaboration) == (0, 0, 0)


def test_paid_then_voided_leaves_payable_negative_the_clawback():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration, Decimal("1000.00"))
    commission_release_due(now=later(15))
    payout_record(collaboration=collaboration, actor=collaboration.vendor, amount="100.00", method="upi")
    billing_services.bill_void(bill=Bill.objects.get(pk=bill.pk), actor=collaboration.vendor)
    assert balances(collaboration) == (0, Decimal("-100.00"), Decimal("100.00"))
    # What is earned next is set against it.
    referred_bill(collaboration, Decimal("3000.00"))
    commission_release_due(now=later(15))
    assert balances(collaboration) == (0, Decimal("200.00"), Decimal("100.00"))


def test_a_void_of_a_bill_that_earned_nothing_books_nothing():
    collaboration = make_collaboration()
    send_terms(collaboration)
    bill = referred_bill(collaboration)
    billing_services.bill_void(bill=bill, actor=collaboration.vendor)
    assert not LedgerEntry.objects.exists()


def test_a_cancelled_collaborations_earning_is_still_reversed_by_a_void():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration)
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Over.")
    billing_services.bill_void(bill=bill, actor=collaboration.vendor)
    assert balances(collaboration) == (0, 0, 0)


# --- Returns: a credit note takes back the commission of the goods that came back -------------


@pytest.fixture
def gst_sale():
    """A tax invoice of a Maharashtra vendor with the collaboration's code (10 % commission): 4 teas
    at 5 % (₹250 each before tax) and 1 mug at 18 % (₹1000): ₹2000 taxable, ₹200 commission."""
    collaboration = make_collaboration(vendor=gst_vendor(state="27"))
    accept_terms(collaboration, commission_rate=Decimal("10.00"))
    tea = gst_product(collaboration.vendor, 5, price="250.00", name="Assam tea")
    mug = gst_product(collaboration.vendor, 18, price="1000.00", name="Brass mug")
    bill = make_bill(collaboration.vendor, (tea, 4), (mug, 1), referral_code=collaboration.referral_code)
    return collaboration, bill, tea, mug


def test_a_return_before_the_release_takes_its_commission_back_from_held_and_the_rest_is_released(gst_sale):
    collaboration, bill, tea, _ = gst_sale
    note = make_return(bill, (tea, 1))
    taken = LedgerEntry.objects.get(kind=Kind.RETURNED)
    assert (taken.held, taken.payable, taken.credit_note, taken.earning.bill_id) == (
        Decimal("-25.00"),
        0,
        note,
        bill.pk,
    )
    assert note.number in taken.note
    assert balances(collaboration) == (Decimal("175.00"), 0, 0)

    assert commission_release_due(now=later(15)) == 1
    released = LedgerEntry.objects.get(kind=Kind.RELEASED)
    assert (released.held, released.payable) == (Decimal("-175.00"), Decimal("175.00"))
    assert balances(collaboration) == (0, Decimal("175.00"), 0)


def test_a_return_after_the_release_takes_it_back_from_payable(gst_sale):
    collaboration, bill, _, mug = gst_sale
    commission_release_due(now=later(15))
    make_return(Bill.objects.get(pk=bill.pk), (mug, 1))
    taken = LedgerEntry.objects.get(kind=Kind.RETURNED)
    assert (taken.held, taken.payable) == (0, Decimal("-100.00"))
    assert balances(collaboration) == (0, Decimal("100.00"), 0)


def test_returning_everything_reverses_exactly_what_was_earned_and_a_void_then_books_nothing(gst_sale):
    collaboration, bill, tea, mug = gst_sale
    make_return(bill, (tea, 3))
    make_return(bill, (tea, 1), (mug, 1))
    kinds = list(LedgerEntry.objects.order_by("pk").values_list("kind", "held"))
    assert kinds == [
        (Kind.EARNED, Decimal("200.00")),
        (Kind.RETURNED, Decimal("-75.00")),
        (Kind.REVERSED, Decimal("-125.00")),
    ]
    assert balances(collaboration) == (0, 0, 0)
    assert commission_release_due(now=later(30)) == 0  # nothing stands to release


def test_a_void_after_a_return_reverses_only_what_stands(gst_sale):
    collaboration, bill, tea, _ = gst_sale
    make_return(bill, (tea, 2))
    commission_release_due(now=later(15))
    billing_services.bill_void(bill=Bill.objects.get(pk=bill.pk), actor=collaboration.vendor)
    reversal = LedgerEntry.objects.get(kind=Kind.REVERSED)
    assert (reversal.held, reversal.payable) == (0, Decimal("-150.00"))
    assert balances(collaboration) == (0, 0, 0)
    assert_ledger_adds_up(collaboration)


def test_a_return_of_a_bill_that_earned_nothing_books_nothing():
    collaboration = make_collaboration(vendor=gst_vendor(state="27"))
    send_terms(collaboration)  # not accepted: no commission
    tea = gst_product(collaboration.vendor, 5, price="250.00")
    bill = make_bill(collaboration.vendor, (tea, 2), referral_code=collaboration.referral_code)
    make_return(bill, (tea, 1))
    assert not LedgerEntry.objects.exists()


def test_results_count_revenue_profit_and_commission_net_of_returns(gst_sale):
    from collaborations.results import collaboration_results

    collaboration, bill, tea, _ = gst_sale
    make_return(bill, (tea, 2))
    results = collaboration_results(collaboration)
    returned_cost = 2 * tea.cost_price
    assert results["revenue"] == Decimal("1500.00")
    assert results["profit"] == bill.profit - Decimal("500.00") + returned_cost
    assert results["commission"] == Decimal("150.00")


# --- The ledger's invariant and its database rules -------------------------------------------


def assert_ledger_adds_up(collaboration):
    collaboration.refresh_from_db()
    rows = list(LedgerEntry.objects.filter(collaboration=collaboration).order_by("pk"))
    sums = tuple(sum((getattr(row, column) for row in rows), Decimal(0)) for column in ("held", "payable", "paid"))
    assert sums == (collaboration.held, collaboration.payable, collaboration.paid)
    if rows:
        last = rows[-1]
        assert (last.held_after, last.payable_after, last.paid_after) == sums
    running = [Decimal(0)] * 3
    for row in rows:  # each row's balances-after are the running sums
        running = [running[0] + row.held, running[1] + row.payable, running[2] + row.paid]
        assert [row.held_after, row.payable_after, row.paid_after] == running
    assert collaboration.held >= 0
    assert collaboration.paid >= 0


def test_after_a_random_sequence_of_operations_the_balances_equal_the_ledger():
    import random

    from collaborations.payouts import ledger_adjust

    randomness = random.Random(2026)
    collaboration = make_collaboration()
    accept_terms(collaboration, commission_rate=Decimal("7.50"))
    staff = AdminFactory()
    bills = []
    for _step in range(40):
        operation = randomness.choice(["bill", "bill", "void", "release", "payout", "adjust"])
        current = Collaboration.objects.get(pk=collaboration.pk)
        if operation == "bill":
            bills.append(referred_bill(current, Decimal(randomness.randint(1, 500000)) / 100))
        elif operation == "void" and bills:
            bill = Bill.objects.get(pk=bills.pop(randomness.randrange(len(bills))).pk)
            billing_services.bill_void(bill=bill, actor=current.vendor)
        elif operation == "release":
            commission_release_due(now=later(randomness.choice([0, 15])))
        elif operation == "payout" and current.payable > 0:
            amount = (current.payable * Decimal(randomness.choice([1, 0.5, 0.1]))).quantize(Decimal("0.01"))
            if amount > 0:
                payout_record(collaboration=current, actor=current.vendor, amount=amount, method="bank_transfer")
        elif operation == "adjust":
            ledger_adjust(collaboration=current, actor=staff, payable=Decimal("12.34"), note="Goodwill.")
        assert_ledger_adds_up(collaboration)
    assert LedgerEntry.objects.filter(collaboration=collaboration).count() > 20


def _post(kind, **amounts):
    collaboration = make_collaboration()
    with transaction.atomic():
        locked = collaboration_lock(collaboration)
        ledger_post(locked, kind, currency="INR", **amounts)


@pytest.mark.parametrize(
    ("kind", "amounts"),
    [
        ("earned", {"held": Decimal("-1")}),  # an earning adds to held, with its bill and release time
        ("earned", {"held": Decimal("1")}),  # … and has them
        ("released", {"held": Decimal("-1"), "payable": Decimal("2")}),  # moves what it takes
        ("payout", {"payable": Decimal("-5"), "paid": Decimal("5")}),  # a payout names its Payout
        ("fee", {"payable": Decimal("-5")}),
        ("adjustment", {"paid": Decimal("5")}),  # paid moves only with payouts
        ("adjustment", {}),  # an adjustment changes something
        ("adjustment", {"held": Decimal("-5")}),  # held never goes below 0
        ("unknown", {"payable": Decimal("5")}),
    ],
)
def test_the_database_refuses_a_malformed_ledger_row(kind, amounts):
    with pytest.raises(IntegrityError):
        _post(kind, **amounts)


@pytest.mark.database_unique_rules
def test_the_database_refuses_a_second_earning_for_one_bill():
    collaboration = make_collaboration()
    accept_terms(collaboration)
    bill = referred_bill(collaboration)

    def second_earning():
        with transaction.atomic():
            locked = collaboration_lock(collaboration)
            ledger_post(locked, "earned", held=1, currency="INR", bill=bill, release_at=timezone.now())

    with pytest.raises(IntegrityError):
        second_earning()
    assert LedgerEntry.objects.filter(bill=bill).count() == 1


def test_the_database_refuses_a_negative_paid_balance():
    collaboration = make_collaboration()
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.filter(pk=collaboration.pk).update(paid=-1)
    assert balances(collaboration) == (0, 0, 0)

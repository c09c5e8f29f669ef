import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import InfluencerFactory
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from collaborations import deliverables, services, shipments
from collaborations.models import Collaboration, Deliverable


def make_collaboration(*, vendor=None, influencer=None, campaign=None) -> Collaboration:
    """A collaboration as the platform makes one: an application, accepted by the vendor."""
    campaign = campaign or (CampaignFactory(vendor=vendor) if vendor else CampaignFactory())
    influencer = influencer or InfluencerFactory()
    application = campaign_services.application_create(campaign=campaign, influencer=influencer, pitch="I fit.")
    campaign_services.application_accept(application=application, actor=campaign.vendor)
    return Collaboration.objects.select_related("campaign", "vendor", "influencer", "application").get(
        application=application
    )


def deliverable(days=7, kind="reel", brief="A 30-second reel showing the tea being brewed."):
    return {"kind": kind, "brief": brief, "due_date": timezone.localdate() + datetime.timedelta(days=days)}


def send_terms(collaboration, **overrides):
    fields = {
        "deliverables": [deliverable()],
        "fee": Decimal("5000.00"),
        "commission_rate": Decimal("10.00"),
        "usage_rights": "Organic reposts for 90 days.",
    }
    fields.update(overrides)
    return services.terms_send(collaboration=collaboration, actor=collaboration.vendor, **fields)


# --- Shipments ------------------------------------------------------------------------------


def make_active_collaboration(**kwargs) -> Collaboration:
    """A collaboration whose influencer accepted the terms: gifts can be sent."""
    collaboration = make_collaboration(**kwargs)
    send_terms(collaboration)
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    return collaboration


def make_shipment(collaboration, *lines, address="12 MG Road, Bengaluru 560001", **fields):
    """A gift shipment of ``lines`` (``(product, quantity)``) through the service."""
    return shipments.shipment_create(
        collaboration=collaboration,
        actor=collaboration.vendor,
        items=[{"product": product.pk, "quantity": quantity} for product, quantity in lines],
        address=address,
        **fields,
    )


# --- Money: tracking links, commission and payouts ------------------------------------------


def accept_terms(collaboration, commission_rate=Decimal("10.00"), **overrides):
    """Terms sent and accepted: the collaboration is active and earns ``commission_rate`` percent."""
    terms = send_terms(collaboration, commission_rate=commission_rate, **overrides)
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer, version=terms.number)
    return terms


def referred_bill(collaboration, amount=Decimal("1000.00"), quantity=1, **kwargs):
    """A sale of the vendor's with the collaboration's referral code, for ``amount`` per unit."""
    from billing.tests.factories import make_bill
    from catalog.tests.factories import ProductFactory

    product = ProductFactory(vendor=collaboration.vendor, sale_price=Decimal(amount), quantity=quantity + 100)
    code = collaboration.referral_code
    return make_bill(collaboration.vendor, (product, quantity), referral_code=code, send_invoice=False, **kwargs)


def make_payable(collaboration, amount=Decimal("500.00"), *, staff=None):
    """``amount`` payable now, through a staff adjustment (the quickest real way to owe money)."""
    from accounts.tests.factories import AdminFactory
    from collaborations.payouts import ledger_adjust

    return ledger_adjust(
        collaboration=collaboration, actor=staff or AdminFactory(), payable=Decimal(amount), note="Opening balance."
    )


# --- Deliverables ---------------------------------------------------------------------------


def make_active(*, deliverables=None, fee=Decimal("5000.00"), **parties) -> Collaboration:
    """A collaboration whose terms the influencer accepted: active, with its deliverables made."""
    collaboration = make_collaboration(**parties)
    send_terms(collaboration, deliverables=deliverables or [deliverable()], fee=fee)
    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    return Collaboration.objects.select_related("campaign", "vendor", "influencer", "application").get(
        pk=collaboration.pk
    )


def first_deliverable(collaboration, position=1) -> Deliverable:
    return Deliverable.objects.select_related("collaboration__campaign", "terms").get(
        collaboration=collaboration, position=position
    )


def image_bytes(image_format="PNG", size=(12, 8)) -> bytes:
    """A real image of that format, made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=image_format)
    return out.getvalue()


# An ISO media file's first box (mp4 / mov) and a WebM's EBML header: what a real video starts with.
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"


def upload(name="draft.png", content=None, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type=content_type)


def submit(deliverable, *, url="https://instagram.com/p/abc123/", caption="Brewing with @chai #ad", file=None):
    collaboration = deliverable.collaboration
    return deliverables.deliverable_submit(deliverable, collaboration.influencer, url=url, caption=caption, file=file)


def approve(deliverable):
    return deliverables.deliverable_approve(deliverable, deliverable.collaboration.vendor)


def ask_changes(deliverable, comment="Show the tin's label, please."):
    return deliverables.deliverable_request_changes(deliverable, deliverable.collaboration.vendor, comment)


# --- Results: the rows the other areas' services write, made directly ---------------------------


def make_clicks(collaboration, day, clicks, unique_clicks=None):
    from collaborations.models import ClickDay

    return ClickDay.objects.create(
        collaboration=collaboration,
        day=day,
        clicks=clicks,
        unique_clicks=clicks if unique_clicks is None else unique_clicks,
    )


def make_attributed_bill(collaboration, *lines, when=None):
    """A real bill through ``billing.services.bill_create`` with the collaboration's referral code;
    ``when`` moves its ``created_at``."""
    from billing.models import Bill
    from billing.tests.factories import make_bill

    bill = make_bill(collaboration.vendor, *lines, referral_code=collaboration.application.referral_code)
    if when is not None:
        Bill.objects.filter(pk=bill.pk).update(created_at=when)
        bill.refresh_from_db()
    return bill


def post_ledger(collaboration, kind, *, when=None, **amounts_and_refs):
    """One ledger row through ``ledger.ledger_post``, with the collaboration locked, as the money
    services do; ``when`` is its ``created_at``."""
    from django.conf import settings
    from django.db import transaction

    from collaborations import ledger

    with transaction.atomic():
        locked = ledger.collaboration_lock(collaboration)
        return ledger.ledger_post(locked, kind, currency=settings.CURRENCY, now=when, **amounts_and_refs)


def earn_commission(collaboration, bill, amount, *, when=None):
    return post_ledger(
        collaboration,
        "earned",
        held=Decimal(amount),
        bill=bill,
        base_amount=bill.total,
        rate=Decimal("10.00"),
        release_at=(when or timezone.now()) + datetime.timedelta(days=14),
        when=when,
    )


def release_commission(earning, *, when=None):
    return post_ledger(
        earning.collaboration, "released", held=-earning.held, payable=earning.held, earning=earning, when=when
    )


def reverse_commission(earning, *, released=False, when=None):
    """Take an earning back: from held, or from payable once it was released."""
    amount = -earning.held
    moves = {"payable": amount} if released else {"held": amount}
    return post_ledger(earning.collaboration, "reversed", earning=earning, when=when, **moves)


def void_attributed_bill(bill, earning, *, released=False, when=None):
    """Void an attributed bill with its commission taken back: the reversal is booked first, as
    the commission service books it on a void, then the bill is voided through billing (where
    that service runs on the void, it finds the earning reversed already and books nothing)."""
    from billing.services import bill_void

    reversal = reverse_commission(earning, released=released, when=when)
    bill_void(bill=bill, actor=bill.vendor)
    return reversal


def book_fee(collaboration, amount, *, when=None):
    return post_ledger(collaboration, "fee", payable=Decimal(amount), when=when)


def record_payout(collaboration, amount, *, when=None):
    from django.conf import settings

    from collaborations.models import Payout

    amount = Decimal(amount)
    payout = Payout.objects.create(
        collaboration=collaboration,
        amount=amount,
        currency=settings.CURRENCY,
        method=Payout.Method.UPI,
        reference="UPI-REF-1",
        created_by=collaboration.vendor,
    )
    return post_ledger(collaboration, "payout", payable=-amount, paid=amount, payout=payout, when=when)


def make_gift_rows(collaboration, *lines, status="delivered", when=None):
    """A gift shipment of ``(product, quantity)`` lines at the products' cost prices (the stock is
    not moved: that is the shipments service's work)."""
    from collaborations.models import Shipment, ShipmentItem

    now = when or timezone.now()
    cost = sum((product.cost_price * quantity for product, quantity in lines), Decimal("0.00"))
    shipment = Shipment.objects.create(
        collaboration=collaboration,
        status=status,
        address="12 MG Road, Pune",
        carrier="Delhivery",
        tracking_number="DLV-0001",
        cost=cost,
        created_by=collaboration.vendor,
        created_at=now,
        shipped_at=now if status in ("shipped", "delivered", "returned") else None,
        delivered_at=now if status == "delivered" else None,
        returned_at=now if status == "returned" else None,
    )
    for product, quantity in lines:
        ShipmentItem.objects.create(shipment=shipment, product=product, quantity=quantity, unit_cost=product.cost_price)
    return shipment


def make_deliverables(collaboration, *statuses):
    """Deliverables of the collaboration's latest terms (sent if none), one a status."""
    from collaborations.models import Deliverable, TermsVersion

    terms = TermsVersion.objects.filter(collaboration=collaboration).order_by("-number").first() or send_terms(
        collaboration
    )
    return [
        Deliverable.objects.create(
            collaboration=collaboration,
            terms=terms,
            position=position,
            kind="reel",
            brief="A reel.",
            due_date=timezone.localdate() + datetime.timedelta(days=7),
            status=status,
            approved_at=timezone.now() if status == "approved" else None,
        )
        for position, status in enumerate(statuses, start=1)
    ]


def chai_and_mug(vendor):
    """Two products of the vendor's: Chai (100.00, at cost 60.00) and Mug (250.00, at cost 100.00)."""
    from catalog.tests.factories import ProductFactory

    chai = ProductFactory(
        vendor=vendor, name="Chai", quantity=100, sale_price=Decimal("100.00"), cost_price=Decimal("60.00")
    )
    mug = ProductFactory(
        vendor=vendor, name="Mug", quantity=100, sale_price=Decimal("250.00"), cost_price=Decimal("100.00")
    )
    return chai, mug


def make_results_scenario():
    """One vendor, two influencers on one campaign (``ira``, ``kabir``), Ira also on a second
    campaign (``ira_again``), and Ira with another vendor too (``other``); everything of today.
    ``collaborations/tests/test_results.py`` spells out the numbers it makes."""
    from accounts.tests.factories import VendorFactory
    from billing.tests.factories import make_bill

    vendor = VendorFactory()
    chai, mug = chai_and_mug(vendor)
    ira_user, kabir_user = InfluencerFactory(display_name="Ira"), InfluencerFactory(display_name="Kabir")
    launch = CampaignFactory(vendor=vendor, title="Launch")
    ira = make_collaboration(campaign=launch, influencer=ira_user)
    kabir = make_collaboration(campaign=launch, influencer=kabir_user)
    ira_again = make_collaboration(vendor=vendor, influencer=ira_user)

    # Ira: two paid bills with her code, one voided, one without any code.
    first = make_attributed_bill(ira, (chai, 3))  # 300.00, profit 120.00
    second = make_attributed_bill(ira, (mug, 1))  # 250.00, profit 150.00
    voided = make_attributed_bill(ira, (chai, 2))  # 200.00, void: never counts
    make_bill(vendor, (chai, 5))  # no referral code
    earn_commission(ira, first, "30.00")  # still held
    release_commission(earn_commission(ira, second, "25.00"))
    void_earning = earn_commission(ira, voided, "20.00")
    release_commission(void_earning)
    void_attributed_bill(voided, void_earning, released=True)  # taken back from payable
    book_fee(ira, "500.00")
    record_payout(ira, "200.00")
    make_gift_rows(ira, (chai, 2))  # delivered, 120.00 at cost
    make_gift_rows(ira, (mug, 1), status="returned")  # came back: no cost
    make_gift_rows(ira, (mug, 1), status="preparing")  # stock left: 100.00
    today = timezone.localdate()
    make_clicks(ira, today, 10, 7)
    make_clicks(ira, today - datetime.timedelta(days=1), 5, 3)
    make_deliverables(ira, "approved", "submitted", "pending")

    # Kabir: one bill, commission held, clicks.
    kabir_bill = make_attributed_bill(kabir, (mug, 1))
    earn_commission(kabir, kabir_bill, "25.00")
    make_clicks(kabir, today, 40, 30)

    # Ira's second campaign: a fee and clicks, no sale.
    book_fee(ira_again, "1000.00")
    make_clicks(ira_again, today, 50, 25)

    # Ira with another vendor: must never count for this one.
    other = make_collaboration(influencer=ira_user)
    (tea,) = chai_and_mug(other.vendor)[:1]
    other_bill = make_attributed_bill(other, (tea, 4))
    earn_commission(other, other_bill, "40.00")
    book_fee(other, "300.00")
    make_clicks(other, today, 99, 90)
    make_gift_rows(other, (tea, 1))
    return {
        "vendor": vendor,
        "ira": ira,
        "kabir": kabir,
        "ira_again": ira_again,
        "other": other,
        "launch": launch,
        "start": today - datetime.timedelta(days=6),
        "end": today,
    }

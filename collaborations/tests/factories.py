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

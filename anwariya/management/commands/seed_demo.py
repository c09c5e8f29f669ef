"""Demo data for trying Anwariya out: ``make run`` seeds an empty database with a small set.

``--if-empty`` (what start-up scripts run) adds it only when ``SEED_DEMO`` is on.

Everything goes through the same services the product uses, so every invariant holds: stock
equals its ledger, invoice numbers are gapless, wallets equal their ledgers.
"""

import datetime
import math
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from accounts.models import Role, User
from accounts.wallet import wallet_signup_grant
from billing.models import Bill
from billing.returns import ReturnLine, bill_return
from billing.services import Line, bill_create
from broadcasts import services as broadcast_services
from campaigns import services as campaign_services
from catalog.models import Category, GstRate
from catalog.selectors import movements_for_source
from catalog.services import category_create, product_create, stock_restock
from chat.models import Chat
from chat.services import message_send
from collaborations import deliverables as deliverable_services
from collaborations import payouts as payout_services
from collaborations import services as collaboration_services
from collaborations import shipments as shipment_services
from collaborations.commission import commission_release_due
from collaborations.models import ClickDay, Collaboration, Deliverable, LedgerEntry
from profiles.models import ContentFormat, FollowerBand, Niche
from profiles.services import influencer_profile_update, vendor_profile_update

DEMO_PASSWORD = "anwariya-demo-2026"
ADMIN_EMAIL = "admin@demo.anwariya.local"
DOMAIN = "demo.anwariya.local"

ACCEPTED_PER_CAMPAIGN = 4  # enough for a collaboration at each stage across the two demo vendors


DAY = datetime.timedelta(days=1)

BUSINESSES = ["Indigo Loom", "Chai & Co", "Saffron Skin", "Monsoon Threads", "Brass Bazaar", "Tiffin Tales"]
FIRST_NAMES = ["Aisha", "Rohan", "Meera", "Kabir", "Zoya", "Arjun", "Noor", "Vikram", "Ira", "Dev", "Sana", "Ishaan"]
CITIES = [("Mumbai", "India"), ("Pune", "India"), ("Kochi", "India"), ("Jaipur", "India"), ("Dubai", "UAE")]
CATALOG = {
    "Tea": [("Masala Chai 250g", 140, 240), ("Assam Gold 500g", 260, 420), ("Kashmiri Kahwa", 180, 320)],
    "Snacks": [("Banana Chips", 60, 120), ("Roasted Makhana", 90, 180), ("Jaggery Cookies", 70, 150)],
    "Home": [("Brass Diya Set", 350, 690), ("Block-print Cushion", 420, 899), ("Clay Mug", 120, 260)],
    "Beauty": [("Saffron Face Oil", 380, 790), ("Ubtan Scrub", 150, 320), ("Rose Water Mist", 90, 210)],
}
# Each category's HSN heading and GST rate, for the demo's invoices (check your own with your accountant).
CATEGORY_TAX = {"Tea": ("0902", 5), "Snacks": ("2106", 5), "Home": ("7418", 18), "Beauty": ("3304", 18)}
# The demo vendors' GST registrations: the first issues tax invoices from Pune, the second bills of
# supply under the composition scheme from Bengaluru; any more are unregistered.
REGISTRATIONS = [
    {
        "legal_name": "Indigo Loom Private Limited",
        "address": "14 Fergusson College Road, Shivajinagar, Pune, Maharashtra 411004",
        "state": "27",
        "registration_type": "regular",
        "gstin": "27AAPFU0939F1ZV",
    },
    {
        "legal_name": "Chai and Company LLP",
        "address": "22 Church Street, Bengaluru, Karnataka 560001",
        "state": "29",
        "registration_type": "composition",
        "gstin": "29AAPFU0939F1ZR",
    },
]
# A business customer in another state (IGST on a regular vendor's invoice): some bills are B2B.
B2B_CUSTOMER = {
    "customer_name": "Bengaluru Gift Stores Pvt Ltd",
    "customer_email": "accounts@bengalurugifts.example.in",
    "customer_gstin": "29AABCU9603R1ZJ",
    "customer_address": "8 MG Road, Bengaluru, Karnataka 560001",
}
CUSTOMERS = ["Ananya", "Farhan", "Lakshmi", "Gurpreet", "Rahul", "Fatima", "Neha", "Joseph", "Priya", "Arnav"]
WEEKDAY_WEIGHT = [0.8, 0.8, 0.9, 1.0, 1.2, 1.6, 1.5]  # Monday … Sunday: weekends sell more


class Command(BaseCommand):
    help = "Create linked demo data (users, profiles, catalog, campaigns, chats, bills over time)."

    def add_arguments(self, parser):
        parser.add_argument("--vendors", type=int, default=2)
        parser.add_argument("--influencers", type=int, default=5)
        parser.add_argument("--products", type=int, default=8, help="Products per vendor.")
        parser.add_argument("--bills", type=int, default=120, help="Bills per vendor, spread over the days.")
        parser.add_argument("--days", type=int, default=90, help="How far back the sales history goes.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="For start-up scripts: add the demo data only when SEED_DEMO is on and no user exists.",
        )

    def handle(self, *args, **options):
        if options["if_empty"]:
            # Start-up scripts run this on every boot, production included: the demo logins share a
            # published password, so only an explicit SEED_DEMO=true lets them in.
            if not settings.SEED_DEMO:
                self.stdout.write("SEED_DEMO is off; no demo data added (set SEED_DEMO=true to add it).")
                return
            if User.objects.exists():
                self.stdout.write("Users exist already; no demo data added.")
                return
        for name in ("vendors", "influencers", "products", "bills", "days"):
            if options[name] < 0 or (name == "days" and options[name] < 1):
                raise CommandError(f"--{name} must be positive.")
        self.rng = random.Random(options["seed"])
        self.quiet = options["verbosity"] == 0
        names = self.rng.sample(FIRST_NAMES, len(FIRST_NAMES))

        with transaction.atomic():
            self._user("admin", 0, "Demo Admin")
            vendors = [self._user(Role.VENDOR, i, names[i % len(names)]) for i in range(1, options["vendors"] + 1)]
            influencers = [
                self._user(Role.INFLUENCER, i, names[(i + 5) % len(names)])
                for i in range(1, options["influencers"] + 1)
            ]
        vendors = [v for v in vendors if v]
        influencers = [i for i in influencers if i]
        for influencer in influencers:
            self._profile(influencer)
        for index, vendor in enumerate(tqdm(vendors, desc="Vendors", unit="vendor", disable=self.quiet)):
            if index < len(REGISTRATIONS):
                vendor_profile_update(user=vendor, **REGISTRATIONS[index])
            products = self._catalog(vendor, options["products"])
            codes = self._campaigns(vendor, influencers)
            self._collaborations(vendor, products, first_vendor=index == 0)
            self._sales(vendor, products, codes, options["bills"], options["days"])
            self._returns(vendor)
            self._results(vendor, options["days"])
        self._print_logins()

    # --- people --------------------------------------------------------------------------

    def _user(self, role, number, name):
        if role == "admin":
            email, fields = ADMIN_EMAIL, {"display_name": name, "is_staff": True, "is_superuser": True}
        else:
            email = f"{role}{number}@{DOMAIN}"
            fields = {"display_name": name, "role": role}
            if role == Role.VENDOR:
                fields["business_name"] = BUSINESSES[(number - 1) % len(BUSINESSES)]
        if User.objects.filter(email=email).exists():
            return None
        user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
        wallet_signup_grant(user=user)
        return user

    def _profile(self, influencer):
        city, country = self.rng.choice(CITIES)
        niches = self.rng.sample(list(Niche.objects.all()), k=min(2, Niche.objects.count()))
        formats = self.rng.sample(list(ContentFormat.objects.all()), k=min(2, ContentFormat.objects.count()))
        influencer_profile_update(
            user=influencer,
            niches=niches,
            content_formats=formats,
            follower_band=self.rng.choice(FollowerBand.values[1:5]),
            engagement_rate=Decimal(self.rng.randint(150, 900)) / 100,
            bio=f"{influencer.display_name} shares {niches[0].name.lower() if niches else 'everyday'} stories.",
            city=city,
            country=country,
            social_links={"instagram": f"https://instagram.com/{influencer.display_name.lower()}"},
        )

    # --- catalog and campaigns ---------------------------------------------------------------

    def _catalog(self, vendor, count):
        items = [(category, item) for category, entries in CATALOG.items() for item in entries]
        products = []
        for index in range(count):
            category_name, (name, cost, price) = items[index % len(items)]
            category = Category.objects.filter(name=category_name).first() or category_create(
                name=category_name, actor=vendor
            )
            hsn_code, percent = CATEGORY_TAX[category_name]
            suffix = "" if index < len(items) else f" #{index // len(items) + 1}"
            products.append(
                product_create(
                    vendor=vendor,
                    name=name + suffix,
                    sku=f"{category_name[:3].upper()}-{index + 1:03d}",
                    category=category,
                    cost_price=Decimal(cost),
                    sale_price=Decimal(price),
                    quantity=self.rng.randint(40, 80),
                    low_stock_threshold=8,
                    hsn_code=hsn_code,
                    gst_rate=GstRate.objects.get(rate=percent),
                )
            )
        return products

    def _campaigns(self, vendor, influencers):
        """One open campaign with accepted influencers (their codes attribute some sales), one draft."""
        today = timezone.localdate()
        food = Niche.objects.filter(slug__in=["food", "lifestyle"])
        campaign = campaign_services.campaign_create(
            vendor=vendor,
            title=f"{vendor.business_name} festive launch",
            description="Show our festive range to your audience.",
            deliverables="2 reels and 3 stories",
            budget=Decimal("25000.00"),
            start_date=today - datetime.timedelta(days=30),
            end_date=today + datetime.timedelta(days=30),
            niches=list(food),
            landing_url=f"https://{slugify(vendor.business_name)}.example.in/festive",
        )
        campaign_services.campaign_open(campaign=campaign)
        campaign_services.campaign_create(
            vendor=vendor,
            title="Summer collab (draft)",
            description="Still planning this one.",
            deliverables="1 reel",
            budget=Decimal("8000.00"),
            start_date=today + datetime.timedelta(days=60),
            end_date=today + datetime.timedelta(days=90),
        )
        codes = []
        for influencer in influencers[:ACCEPTED_PER_CAMPAIGN]:
            application = campaign_services.application_create(
                campaign=campaign, influencer=influencer, pitch="I love your products and so does my audience."
            )
            campaign_services.application_accept(application=application, actor=vendor)
            codes.append(application.referral_code)
            chat = Chat.objects.get(vendor=vendor, influencer=influencer, campaign=campaign)
            message_send(chat=chat, sender=vendor, text=f"Welcome aboard, {influencer.display_name}!")
            message_send(chat=chat, sender=influencer, text="Thank you! Sharing my first reel on Friday.")
        if len(influencers) > ACCEPTED_PER_CAMPAIGN:
            campaign_services.application_create(
                campaign=campaign,
                influencer=influencers[ACCEPTED_PER_CAMPAIGN],
                pitch="Festive content is my speciality.",
            )
        if codes:  # a broadcast sent to the accepted influencers, and a draft for the vendor to finish
            sent = broadcast_services.broadcast_create(
                vendor=vendor,
                actor=vendor,
                title="Festive samples are on their way",
                body="Hi {name}, your samples for {campaign} ship this week. Tag us when you post!",
                campaign=campaign,
                channels=["chat"],
            )
            broadcast_services.broadcast_start(broadcast=sent)
        broadcast_services.broadcast_create(
            vendor=vendor,
            actor=vendor,
            title="Summer collab: who is in?",
            body="Hi {name}, we are planning a summer collaboration. Interested? Reply here.",
            filters={"country": "India"},
            channels=["chat", "email"],
        )
        return codes

    def _collaborations(self, vendor, products, *, first_vendor):
        """The accepted influencers' collaborations, one at each stage of the loop. The first
        vendor's: completed (terms sent back once, a change requested on the reel, a gift
        delivered, the fee paid), approved (fee payable), content submitted (a caption without the
        disclosure label, waiting for review) and terms sent; the others': active (a gift shipped),
        new, cancelled, and active again with nothing submitted yet."""
        collaborations = list(Collaboration.objects.filter(vendor=vendor).select_related("influencer").order_by("pk"))
        plans = (
            ["completed", "approved", "content_submitted", "terms_sent"]
            if first_vendor
            else ["active_shipped", "new", "cancelled", "active"]
        )
        for collaboration, plan in zip(collaborations, plans, strict=False):
            self._collaboration_to(collaboration, plan, products)

    def _terms(self, collaboration, fee, products):
        due = timezone.localdate() + datetime.timedelta(days=10)
        return collaboration_services.terms_send(
            collaboration=collaboration,
            actor=collaboration.vendor,
            deliverables=[
                {"kind": "reel", "brief": "A 30-second reel of the festive range.", "due_date": due},
                {"kind": "story", "brief": "Three stories with the referral code.", "due_date": due + DAY * 4},
            ],
            fee=Decimal(fee),
            commission_rate=Decimal("8.00"),
            gifted_products=[product.pk for product in products[:1] if product.is_active],
            usage_rights="The brand may repost the content on its own accounts for 90 days.",
        )

    def _collaboration_to(self, collaboration, plan, products):
        vendor, influencer = collaboration.vendor, collaboration.influencer
        if plan == "new":
            return
        if plan == "cancelled":
            collaboration_services.collaboration_cancel(
                collaboration=collaboration, actor=vendor, reason="The festive range sold out early."
            )
            return
        if plan == "completed":
            self._terms(collaboration, "4000.00", products)
            collaboration_services.terms_reject(
                collaboration=collaboration, actor=influencer, comment="Could the fee be 6000?"
            )
        self._terms(collaboration, "6000.00" if plan == "completed" else "5000.00", products)
        if plan == "terms_sent":
            return
        collaboration_services.terms_accept(collaboration=collaboration, actor=influencer)
        shipment_services.shipping_address_set(
            collaboration=collaboration, actor=influencer, address="14 Residency Road, Bengaluru 560025"
        )
        if plan in ("completed", "approved", "active_shipped") and products:
            gift = next((product for product in products if product.is_active and product.quantity > 2), None)
            if gift is not None:
                shipment = shipment_services.shipment_create(
                    collaboration=collaboration, actor=vendor, items=[{"product": gift.pk, "quantity": 1}]
                )
                shipment_services.shipment_update_status(
                    shipment=shipment, actor=vendor, status="shipped", carrier="Delhivery", tracking_number="DL4471920"
                )
                if plan != "active_shipped":
                    shipment_services.shipment_update_status(shipment=shipment, actor=influencer, status="delivered")
        if plan in ("active", "active_shipped"):
            return
        reel, story = Deliverable.objects.filter(collaboration=collaboration).order_by("position")
        handle = influencer.display_name.split()[0].lower()
        if plan == "content_submitted":
            deliverable_services.deliverable_submit(
                reel,
                influencer,
                url=f"https://www.instagram.com/reel/{handle}festive1/",
                caption="Festive glow with my favourite range! Use my code for a treat.",
            )
            return
        deliverable_services.deliverable_submit(
            reel,
            influencer,
            url=f"https://www.instagram.com/reel/{handle}festive1/",
            caption="Festive glow with my favourite range! #ad",
        )
        if plan == "completed":
            deliverable_services.deliverable_request_changes(
                reel, vendor, "Lovely! Could the product be in the first three seconds?"
            )
            deliverable_services.deliverable_submit(
                reel,
                influencer,
                url=f"https://www.instagram.com/reel/{handle}festive2/",
                caption="Festive glow, product first this time! #ad",
            )
        deliverable_services.deliverable_approve(reel, vendor)
        deliverable_services.deliverable_submit(
            story,
            influencer,
            url=f"https://www.instagram.com/stories/{handle}/",
            caption="Swipe up for the festive range #ad #collab",
        )
        deliverable_services.deliverable_approve(story, vendor)
        if plan == "completed":
            collaboration.refresh_from_db()
            payout_services.payout_record(
                collaboration=collaboration,
                actor=vendor,
                amount=collaboration.payable,
                method="upi",
                reference="UPI/4471/FESTIVE",
                note="The fee for the festive reel and stories.",
            )
            deliverable_services.collaboration_complete(collaboration, vendor)

    def _results(self, vendor, days):
        """What the tracking links and the referred sales brought: clicks on the days of the
        history (a click of today goes through the tracking service; the past days are written
        as counts, as the history's bills are dated back), and the commission on the sales,
        dated with its bill so the hold of the older ones is over and they are payable."""
        today = timezone.localdate()
        for collaboration in Collaboration.objects.filter(vendor=vendor).exclude(stage__in=["new", "cancelled"]):
            ClickDay.objects.bulk_create(
                ClickDay(collaboration=collaboration, day=today - DAY * offset, clicks=clicks, unique_clicks=unique)
                for offset in range(1, min(days, 30) + 1)
                if (clicks := self.rng.randint(0, 25))
                for unique in [self.rng.randint(max(1, clicks // 2), clicks)]
            )
        hold = datetime.timedelta(days=settings.COLLAB_COMMISSION_HOLD_DAYS)
        earnings = LedgerEntry.objects.filter(collaboration__vendor=vendor, kind=LedgerEntry.Kind.EARNED)
        for earning in earnings.select_related("bill"):
            LedgerEntry.objects.filter(pk=earning.pk).update(
                created_at=earning.bill.created_at, release_at=earning.bill.created_at + hold
            )
        commission_release_due()

    # --- sales ---------------------------------------------------------------------------------

    def _sales(self, vendor, products, codes, count, days):
        """``count`` bills over ``days``, more at weekends and towards the festive season."""
        if not products or not count:
            return
        now = timezone.localtime()
        start = now.date() - datetime.timedelta(days=days - 1)
        weights = []
        for offset in range(days):
            day = start + datetime.timedelta(days=offset)
            season = 1 + 0.35 * math.sin((day.timetuple().tm_yday - 210) / 365 * 2 * math.pi)
            weights.append(WEEKDAY_WEIGHT[day.weekday()] * season)
        dates = sorted(self.rng.choices(range(days), weights=weights, k=count))
        bills = tqdm(dates, desc=f"Bills for {vendor.business_name}", unit="bill", disable=self.quiet, leave=False)
        for number, offset in enumerate(bills):
            chosen = self.rng.sample(products, k=min(len(products), self.rng.choice([1, 1, 2, 3])))
            for product in chosen:
                product.refresh_from_db(fields=["quantity"])
                if product.quantity < 5:
                    stock_restock(
                        product=product, quantity=self.rng.randint(30, 60), note="Supplier delivery", actor=vendor
                    )
            customer = self.rng.choice(CUSTOMERS)
            buyer = {
                "customer_name": f"{customer} {self.rng.choice('ABCDEFGHKMPRS')}.",
                "customer_email": f"{customer.lower()}@example.com",
            }
            if number % 10 == 9:  # every tenth bill (without drawing on the random stream)
                buyer = B2B_CUSTOMER
            result = bill_create(
                vendor=vendor,
                **buyer,
                items=[Line(product=p.pk, quantity=self.rng.randint(1, 3)) for p in chosen],
                referral_code=self.rng.choice(codes) if codes and self.rng.random() < 0.25 else "",
                actor=vendor,
                send_invoice=False,
            )
            when = datetime.datetime.combine(
                start + datetime.timedelta(days=offset),
                datetime.time(self.rng.randint(9, 20), self.rng.randint(0, 59)),
                tzinfo=now.tzinfo,
            )
            when = min(when, now)
            Bill.objects.filter(pk=result.bill.pk).update(created_at=when)
            movements_for_source(result.bill).update(created_at=when)

    def _returns(self, vendor):
        """Two recent bills with more than one unit come partly back: a credit note each."""
        recent = Bill.objects.filter(vendor=vendor, status=Bill.Status.PAID).order_by("-created_at")
        returned = 0
        for bill in recent[:40]:
            line = bill.items.filter(quantity__gt=1).first()
            if line is None:
                continue
            bill_return(
                bill=bill,
                items=[ReturnLine(product=line.product_id, quantity=1)],
                reason="Damaged in transit",
                actor=vendor,
                send_email=False,
            )
            returned += 1
            if returned == 2:
                return

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for user in User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("role", "email"):
            kind = user.get_role_display() or "Admin"
            self.stdout.write(f"  {kind:<11} {user.email}")

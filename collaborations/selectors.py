"""Reads of collaborations: only the two parties and staff see one; for anyone else it does not exist."""

import datetime
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from collaborations.models import (
    Collaboration,
    Deliverable,
    LedgerEntry,
    Payout,
    Shipment,
    ShipmentItem,
    Submission,
    TermsVersion,
)
from collaborations.uploads import draft_file_name
from profiles.selectors import user_time_zone


def collaborations_for_user(user: User) -> QuerySet[Collaboration]:
    """The collaborations ``user`` is a party to (all of them for staff), with what lists show."""
    queryset = Collaboration.objects.select_related(
        "campaign", "vendor", "influencer", "application", "cancelled_by"
    ).order_by("-updated_at", "-pk")
    if user.is_staff:
        return queryset
    return queryset.filter(Q(vendor=user) | Q(influencer=user))


def collaboration_for_user(user: User, pk) -> Collaboration:
    return get_object_or_404(collaborations_for_user(user), pk=pk)


def collaboration_for_application(user: User, application_id) -> Collaboration | None:
    return collaborations_for_user(user).filter(application_id=application_id).first()


def terms_of_collaboration(collaboration: Collaboration) -> QuerySet[TermsVersion]:
    """Its terms versions, newest first, with their deliverables and gifted products."""
    return (
        TermsVersion.objects.filter(collaboration=collaboration)
        .select_related("created_by")
        .prefetch_related("deliverables", Prefetch("gifted_products"))
        .order_by("-number")
    )


def terms_with_changes(collaboration: Collaboration) -> list[TermsVersion]:
    """Its versions, newest first, each with ``changes``: what differs from the version before
    (an empty list for the first)."""
    versions = list(terms_of_collaboration(collaboration))
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        version.changes = terms_changes(version, previous)
    return versions


def terms_changes(version: TermsVersion, previous: TermsVersion | None) -> list[str]:
    if previous is None:
        return []
    changes = []

    def deliverables(terms):
        return [(d.kind, d.brief, d.due_date) for d in terms.deliverables.all()]

    if deliverables(version) != deliverables(previous):
        changes.append("deliverables")
    if version.fee != previous.fee:
        changes.append(f"fee {previous.fee} → {version.fee}")
    if version.commission_rate != previous.commission_rate:
        changes.append(f"commission {previous.commission_rate}% → {version.commission_rate}%")
    if {p.pk for p in version.gifted_products.all()} != {p.pk for p in previous.gifted_products.all()}:
        changes.append("gifted products")
    if version.usage_rights != previous.usage_rights:
        changes.append("usage rights")
    if version.disclosure != previous.disclosure:
        changes.append(f"disclosure {previous.disclosure} → {version.disclosure}")
    return changes


def stage_counts(user: User) -> dict[str, int]:
    """How many of ``user``'s collaborations are at each stage (every stage, zero included)."""
    rows = (
        collaborations_for_user(user)
        .order_by()
        .values("stage")
        .annotate(count=Count("pk"))
        .values_list("stage", "count")
    )
    counts = dict.fromkeys(Collaboration.Stage.values, 0)
    counts.update(dict(rows))
    return counts


def waiting_for_user_q(user: User) -> Q:
    """The collaborations where the next step is ``user``'s: for the vendor, terms to send, content
    to review, gifts to send and money payable; for the influencer, terms to answer and changes to make."""
    if user.is_vendor:
        to_send = Shipment.objects.filter(collaboration=OuterRef("pk"), status=Shipment.Status.PREPARING)
        return Q(vendor=user) & (
            Q(stage__in=[Collaboration.Stage.NEW, Collaboration.Stage.CONTENT_SUBMITTED])
            | (~Q(stage=Collaboration.Stage.CANCELLED) & (Q(payable__gt=0) | Exists(to_send)))
        )
    if user.is_influencer:
        changes = Deliverable.objects.filter(collaboration=OuterRef("pk"), status=Deliverable.Status.CHANGES_REQUESTED)
        return Q(influencer=user) & (
            Q(stage=Collaboration.Stage.TERMS_SENT)
            | (Q(stage__in=[Collaboration.Stage.ACTIVE, Collaboration.Stage.CONTENT_SUBMITTED]) & Exists(changes))
        )
    return Q(pk__in=[])


def waiting_count(user: User) -> int:
    """How many collaborations wait for ``user`` (the badge on the Collaborations link)."""
    return Collaboration.objects.filter(waiting_for_user_q(user)).count()


# --- Shipments -------------------------------------------------------------------------------


def shipments_of_collaboration(collaboration: Collaboration) -> QuerySet[Shipment]:
    """Its gift shipments, newest first, each with its items and their products."""
    return (
        Shipment.objects.filter(collaboration=collaboration)
        .prefetch_related(Prefetch("items", queryset=ShipmentItem.objects.select_related("product").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def shipment_for_user(user: User, pk) -> Shipment:
    """A shipment of a collaboration ``user`` sees (``collaborations_for_user``), or 404."""
    queryset = Shipment.objects.select_related(
        "collaboration__campaign", "collaboration__vendor", "collaboration__influencer"
    ).prefetch_related(Prefetch("items", queryset=ShipmentItem.objects.select_related("product").order_by("pk")))
    return get_object_or_404(queryset, pk=pk, collaboration__in=collaborations_for_user(user).values("pk"))


def gift_cost_q(prefix: str = "") -> Q:
    """Which shipments' cost counts as what a collaboration's gifts cost (its ROI): those not
    returned (a returned gift is back in stock). ``prefix`` reads it through a relation
    (``"shipments__"`` from a collaboration)."""
    return ~Q(**{f"{prefix}status": Shipment.Status.RETURNED})


def gift_cost(collaborations: QuerySet[Collaboration]) -> Decimal:
    """What the gifts of ``collaborations`` cost, at cost price when sent (``gift_cost_q``)."""
    total = (
        Shipment.objects.filter(gift_cost_q(), collaboration__in=collaborations.values("pk"))
        .aggregate(total=Sum("cost"))
        .get("total")
    )
    return total if total is not None else Decimal("0.00")


def collaborations_export(user: User) -> list[dict]:
    """The user's collaborations for their data export: stage, the other side by the name the
    user sees, every terms version with its deliverables, the shipping address and the gift
    shipments (with what they cost for the vendor only, as the pages show it), the deliverables
    and their rounds, and the money: balances, every ledger row and the payouts (``accounts.hooks``)."""
    party = Collaboration.objects.filter(Q(vendor=user) | Q(influencer=user))
    collaborations = (
        party.select_related("campaign", "vendor", "influencer")
        .prefetch_related(
            Prefetch(
                "terms_versions",
                queryset=TermsVersion.objects.prefetch_related("deliverables", "gifted_products").order_by("number"),
            ),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.prefetch_related(
                    Prefetch("items", queryset=ShipmentItem.objects.select_related("product").order_by("pk"))
                ).order_by("created_at", "pk"),
            ),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("terms").prefetch_related(
                    Prefetch("submissions", queryset=Submission.objects.order_by("round"))
                ),
            ),
            Prefetch("ledger", queryset=LedgerEntry.objects.select_related("bill").order_by("created_at", "pk")),
            Prefetch("payouts", queryset=Payout.objects.order_by("paid_on", "pk")),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": collaboration.pk,
            "campaign": collaboration.campaign.title,
            "with": (
                collaboration.influencer if collaboration.vendor_id == user.pk else collaboration.vendor
            ).public_name,
            "stage": collaboration.stage,
            "created_at": collaboration.created_at,
            "cancelled_at": collaboration.cancelled_at,
            "cancel_reason": collaboration.cancel_reason,
            "terms": [
                {
                    "number": terms.number,
                    "status": terms.status,
                    "created_at": terms.created_at,
                    "fee": terms.fee,
                    "currency": terms.currency,
                    "commission_rate": terms.commission_rate,
                    "usage_rights": terms.usage_rights,
                    "disclosure": terms.disclosure,
                    "gifted_products": [product.name for product in terms.gifted_products.all()],
                    "deliverables": [
                        {"kind": item.kind, "brief": item.brief, "due_date": item.due_date}
                        for item in terms.deliverables.all()
                    ],
                    "accepted_at": terms.accepted_at,
                    "rejected_at": terms.rejected_at,
                    "comment": terms.comment,
                }
                for terms in collaboration.terms_versions.all()
            ],
            "shipping_address": collaboration.shipping_address,
            "shipments": [
                _shipment_export(shipment, with_cost=collaboration.vendor_id == user.pk)
                for shipment in collaboration.shipments.all()
            ],
            "deliverables": [_deliverable_export(item) for item in collaboration.deliverables.all()],
            "balances": {
                "held": collaboration.held,
                "payable": collaboration.payable,
                "paid": collaboration.paid,
            },
            "ledger": [_ledger_export(entry) for entry in collaboration.ledger.all()],
            "payouts": [
                {
                    "amount": payout.amount,
                    "currency": payout.currency,
                    "method": payout.method,
                    "reference": payout.reference,
                    "paid_on": payout.paid_on,
                    "note": payout.note,
                }
                for payout in collaboration.payouts.all()
            ],
        }
        for collaboration in collaborations
    ]


def _ledger_export(entry: LedgerEntry) -> dict:
    return {
        "kind": entry.kind,
        "held": entry.held,
        "payable": entry.payable,
        "paid": entry.paid,
        "currency": entry.currency,
        "bill": entry.bill.number if entry.bill_id else None,
        "rate": entry.rate,
        "release_at": entry.release_at,
        "note": entry.note,
        "created_at": entry.created_at,
    }


def _shipment_export(shipment: Shipment, *, with_cost: bool) -> dict:
    cost = {"cost": shipment.cost} if with_cost else {}
    return {
        "id": shipment.pk,
        "status": shipment.status,
        "address": shipment.address,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        **cost,
        "items": [
            {
                "product": item.product.name,
                "sku": item.product.sku,
                "quantity": item.quantity,
                **({"unit_cost": item.unit_cost} if with_cost else {}),
            }
            for item in shipment.items.all()
        ],
        "created_at": shipment.created_at,
        "shipped_at": shipment.shipped_at,
        "delivered_at": shipment.delivered_at,
        "returned_at": shipment.returned_at,
    }


def _deliverable_export(deliverable: Deliverable) -> dict:
    """A deliverable and its rounds; a draft file by its name only (not its content)."""
    return {
        "position": deliverable.position,
        "kind": deliverable.kind,
        "brief": deliverable.brief,
        "due_date": deliverable.due_date,
        "terms_version": deliverable.terms.number,
        "status": deliverable.status,
        "revisions": deliverable.revisions,
        "submitted_at": deliverable.submitted_at,
        "approved_at": deliverable.approved_at,
        "submissions": [
            {
                "round": submission.round,
                "url": submission.url,
                "caption": submission.caption,
                "file": draft_file_name(submission),
                "missing_disclosure": submission.missing_disclosure,
                "submitted_at": submission.submitted_at,
                "decision": submission.decision,
                "comment": submission.comment,
                "decided_at": submission.decided_at,
            }
            for submission in deliverable.submissions.all()
        ],
    }


def collaborations_export_rows(user: User) -> int:
    party = Q(vendor=user) | Q(influencer=user)
    deliverable_party = Q(collaboration__vendor=user) | Q(collaboration__influencer=user)
    return (
        Collaboration.objects.filter(party).count()
        + Deliverable.objects.filter(deliverable_party).count()
        + Submission.objects.filter(
            Q(deliverable__collaboration__vendor=user) | Q(deliverable__collaboration__influencer=user)
        ).count()
        + LedgerEntry.objects.filter(deliverable_party).count()
    )


# --- Deliverables ---------------------------------------------------------------------------


def collaboration_today(collaboration: Collaboration) -> datetime.date:
    """Today in the vendor's time zone (the site's for a vendor without one): what due dates mean."""
    return timezone.localdate(timezone=user_time_zone(collaboration.vendor))


def overdue_q(today: datetime.date) -> Q:
    """An overdue deliverable: due before ``today`` and not approved (waiting for review counts:
    it is not done yet), in a collaboration neither completed nor cancelled."""
    return (
        Q(due_date__lt=today)
        & ~Q(status=Deliverable.Status.APPROVED)
        & ~Q(collaboration__stage__in=[Collaboration.Stage.COMPLETED, Collaboration.Stage.CANCELLED])
    )


def with_overdue(queryset: QuerySet[Deliverable], today: datetime.date) -> QuerySet[Deliverable]:
    """``queryset`` with ``is_overdue`` on each deliverable (see ``overdue_q``)."""
    return queryset.annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def deliverables_of_collaboration(collaboration: Collaboration) -> QuerySet[Deliverable]:
    """Its deliverables in order, each with ``is_overdue``, its terms version and its rounds
    (``submissions``, newest first: the first is the latest)."""
    return with_overdue(
        Deliverable.objects.filter(collaboration=collaboration)
        .select_related("terms")
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.order_by("-round")))
        .order_by("position", "pk"),
        collaboration_today(collaboration),
    )


def _party_filter(user: User, prefix: str) -> Q:
    return Q(**{f"{prefix}vendor": user}) | Q(**{f"{prefix}influencer": user})


def deliverable_for_user(user: User, pk) -> Deliverable:
    """A deliverable of a collaboration ``user`` is a party to (any, for staff), with its
    collaboration; 404 for anyone else."""
    queryset = Deliverable.objects.select_related(
        "collaboration__campaign", "collaboration__vendor", "collaboration__influencer", "terms"
    )
    if not user.is_staff:
        queryset = queryset.filter(_party_filter(user, "collaboration__"))
    return get_object_or_404(queryset, pk=pk)


def submission_with_file_for_user(user: User, pk) -> Submission:
    """A round with a draft file, of a collaboration ``user`` is a party to (any, for staff);
    404 for anyone else, and for a round without a file."""
    queryset = Submission.objects.exclude(file="").select_related("deliverable__collaboration")
    if not user.is_staff:
        queryset = queryset.filter(_party_filter(user, "deliverable__collaboration__"))
    return get_object_or_404(queryset, pk=pk)


def _other_side(collaboration: Collaboration, user: User) -> User:
    return collaboration.influencer if collaboration.vendor_id == user.pk else collaboration.vendor

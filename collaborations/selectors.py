"""Reads of collaborations: only the two parties and staff see one; for anyone else it does not exist."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from collaborations.models import Collaboration, TermsVersion


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

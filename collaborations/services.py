"""Every write to a collaboration and its terms.

Each service locks the collaboration's row (``select_for_update``) before it reads the stage, so
two accepts, or a new version racing an accept, take turns: the second sees what the first did.
Notifications (a line in the pair's chat, an email to the other side) are written with the change
and the email is queued on commit.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from anwariya.celery import enqueue_on_commit
from anwariya.db import select_for_update_own_rows
from anwariya.errors import Conflict, DomainError
from anwariya.inputs import as_decimal
from campaigns.models import Application
from catalog.models import Product
from collaborations.models import DEFAULT_DISCLOSURE, Collaboration, TermsDeliverable, TermsVersion

Stage = Collaboration.Stage

MAX_DELIVERABLES = 20
MAX_FEE = Decimal("9999999999.99")
BRIEF_MAX = 280
USAGE_RIGHTS_MAX = 2000
DISCLOSURE_MAX = 100
COMMENT_MAX = 1000
REASON_MAX = 1000
# Stages from which the vendor may send (new) terms. While content waits for review, and once
# it is all approved, the terms stay what the content was made against. A version sent mid-work
# keeps the deliverables that have content (``collaborations.deliverables``).
SENDABLE = (Stage.NEW, Stage.TERMS_SENT, Stage.ACTIVE)


class CollaborationError(DomainError):
    code = "invalid"


class NotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"


# --- Opening ------------------------------------------------------------------------------


def collaboration_open(application: Application) -> Collaboration | None:
    """An accepted application or invitation becomes a collaboration (stage ``new``).

    Registered with ``campaigns.hooks.on_campaign_joined`` (``collaborations.apps``): it runs in
    the transaction of the acceptance. An invitation not yet answered is a join too, but not a
    collaboration: it gets one when accepted. Idempotent."""
    if application.status != Application.Status.ACCEPTED:
        return None
    collaboration, _ = Collaboration.objects.get_or_create(
        application=application,
        defaults={
            "campaign_id": application.campaign_id,
            "vendor_id": application.campaign.vendor_id,
            "influencer_id": application.influencer_id,
        },
    )
    return collaboration


# --- Terms --------------------------------------------------------------------------------


def terms_send(
    *,
    collaboration: Collaboration,
    actor: User,
    deliverables,
    fee,
    commission_rate,
    gifted_products=(),
    usage_rights: str = "",
    disclosure: str = DEFAULT_DISCLOSURE,
) -> TermsVersion:
    """The vendor sends a new version of the terms; the collaboration waits for the influencer
    (``terms_sent``). A version still waiting is replaced (``superseded``); after acceptance a new
    version needs accepting again.

    ``deliverables``: ``[{"kind", "brief", "due_date"}]``; ``gifted_products``: product ids (or
    products) of the vendor's active catalog."""
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor sends terms.")
    rows, fee, rate, product_ids, usage_rights, disclosure = _clean_terms(
        vendor_id=collaboration.vendor_id,
        deliverables=deliverables,
        fee=fee,
        commission_rate=commission_rate,
        gifted_products=gifted_products,
        usage_rights=usage_rights,
        disclosure=disclosure,
    )
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(collaboration)
        if locked.stage not in SENDABLE:
            raise Conflict(
                f"Terms can no longer be sent: the collaboration is {locked.get_stage_display().lower()}.",
                errors={"stage": [locked.stage]},
            )
        from collaborations.deliverables import deliverables_check_terms  # it imports this module

        deliverables_check_terms(locked, rows)  # content already submitted is not dropped
        versions = TermsVersion.objects.filter(collaboration=locked)
        number = (versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        versions.filter(status=TermsVersion.Status.SENT).update(status=TermsVersion.Status.SUPERSEDED)
        terms = TermsVersion.objects.create(
            collaboration=locked,
            number=number,
            created_at=now,
            created_by=actor,
            fee=fee,
            currency=settings.CURRENCY,
            commission_rate=rate,
            usage_rights=usage_rights,
            disclosure=disclosure,
        )
        TermsDeliverable.objects.bulk_create(
            TermsDeliverable(terms=terms, position=i, **row) for i, row in enumerate(rows, start=1)
        )
        terms.gifted_products.set(product_ids)
        set_stage(locked, Stage.TERMS_SENT, now)
        notify(
            locked,
            actor,
            f"Terms v{number} sent for “{locked.campaign.title}”: {_summary(terms, rows)}",
            subject=f"New terms for “{locked.campaign.title}”",
        )
    _copy(collaboration, locked)
    return terms


def terms_accept(*, collaboration: Collaboration, actor: User, version: int | None = None) -> TermsVersion:
    """The influencer accepts the terms waiting for them; the collaboration becomes ``active`` and
    its deliverables become this version's (``deliverables.deliverables_from_terms``).
    ``version``, if given, must be the one waiting (so no one accepts terms they did not see)."""
    with transaction.atomic():
        locked, terms = _waiting_terms(collaboration, actor, version, "accepts")
        now = timezone.now()
        terms.status, terms.accepted_at = TermsVersion.Status.ACCEPTED, now
        terms.save(update_fields=["status", "accepted_at"])
        set_stage(locked, Stage.ACTIVE, now)
        notify(
            locked,
            actor,
            f"Accepted terms v{terms.number} for “{locked.campaign.title}”. The collaboration is active.",
            subject=f"Terms accepted for “{locked.campaign.title}”",
        )
        from collaborations.deliverables import deliverables_from_terms  # it imports this module

        # The deliverables become the accepted version's (kept where content was already made).
        deliverables_from_terms(locked, terms, actor=actor, now=now)
    _copy(collaboration, locked)
    return terms


def terms_reject(
    *, collaboration: Collaboration, actor: User, comment: str, version: int | None = None
) -> TermsVersion:
    """The influencer sends the waiting terms back with a comment; the collaboration is ``new``
    again, waiting for the vendor's next version."""
    comment = _text(comment, "comment", COMMENT_MAX, required="Say what should change.")
    with transaction.atomic():
        locked, terms = _waiting_terms(collaboration, actor, version, "sends back")
        now = timezone.now()
        terms.status, terms.rejected_at, terms.comment = TermsVersion.Status.REJECTED, now, comment
        terms.save(update_fields=["status", "rejected_at", "comment"])
        set_stage(locked, Stage.NEW, now)
        notify(
            locked,
            actor,
            f"Sent terms v{terms.number} for “{locked.campaign.title}” back: {comment}",
            subject=f"Terms sent back for “{locked.campaign.title}”",
        )
    _copy(collaboration, locked)
    return terms


def collaboration_cancel(*, collaboration: Collaboration, actor: User, reason: str) -> Collaboration:
    """Either side ends the collaboration, with a reason, at any stage before ``completed``."""
    if not collaboration.has_party(actor):
        raise NotAllowed("Only the vendor or the influencer of a collaboration cancels it.")
    reason = _text(reason, "reason", REASON_MAX, required="Say why you cancel.")
    with transaction.atomic():
        locked = _lock(collaboration)
        if not locked.is_open:
            raise Conflict(
                f"This collaboration is {locked.get_stage_display().lower()}; it can no longer be cancelled.",
                errors={"stage": [locked.stage]},
            )
        now = timezone.now()
        TermsVersion.objects.filter(collaboration=locked, status=TermsVersion.Status.SENT).update(
            status=TermsVersion.Status.SUPERSEDED
        )
        locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = now, actor, reason
        locked.stage, locked.updated_at = Stage.CANCELLED, now
        locked.save(update_fields=["stage", "updated_at", "cancelled_at", "cancelled_by", "cancel_reason"])
        notify(
            locked,
            actor,
            f"Cancelled the collaboration on “{locked.campaign.title}”: {reason}",
            subject=f"Collaboration cancelled: “{locked.campaign.title}”",
        )
    _copy(collaboration, locked)
    return collaboration


CLOSED_ACCOUNT_REASON = "The account was closed."


def collaborations_end_for_closed_account(user: User) -> None:
    """A closing account's open collaborations are cancelled by them, with the reason said, so the
    other side is told in the chat and by email (``accounts.hooks``; inside the closing transaction)."""
    open_ones = Collaboration.objects.filter(Q(vendor=user) | Q(influencer=user)).exclude(
        stage__in=[Stage.COMPLETED, Stage.CANCELLED]
    )
    for collaboration in open_ones.select_related("campaign").order_by("pk"):
        collaboration_cancel(collaboration=collaboration, actor=user, reason=CLOSED_ACCOUNT_REASON)


# --- Helpers ------------------------------------------------------------------------------


def _lock(collaboration) -> Collaboration:
    return select_for_update_own_rows(
        Collaboration.objects.filter(pk=collaboration.pk).select_related("campaign", "vendor", "influencer")
    ).get()


def _copy(target, source):
    for field in ("stage", "updated_at", "cancelled_at", "cancelled_by_id", "cancel_reason"):
        setattr(target, field, getattr(source, field))


def set_stage(collaboration, stage, now):
    """Move a locked collaboration to ``stage`` (the caller checked the move is allowed)."""
    collaboration.stage, collaboration.updated_at = stage, now
    collaboration.save(update_fields=["stage", "updated_at"])


def _waiting_terms(collaboration, actor, version, verb):
    if actor.pk != collaboration.influencer_id:
        raise NotAllowed(f"Only the collaboration's influencer {verb} terms.")
    locked = _lock(collaboration)
    terms = TermsVersion.objects.filter(collaboration=locked, status=TermsVersion.Status.SENT).first()
    if locked.stage != Stage.TERMS_SENT or terms is None:
        raise Conflict("No terms are waiting for your answer.", errors={"stage": [locked.stage]})
    if version is not None and version != terms.number:
        raise Conflict(
            f"Terms v{terms.number} replaced v{version}; read the new version first.",
            errors={"version": [f"The terms waiting are v{terms.number}."]},
        )
    return locked, terms


def _summary(terms, rows):
    kinds = ", ".join(f"{row['kind']} by {row['due_date']:%d %b}" for row in rows)
    return f"{kinds}; fee {terms.currency} {terms.fee}, commission {terms.commission_rate}%."


def _text(value, field, limit, *, required=None):
    text = value.strip() if isinstance(value, str) else ""
    if problems := text_problems(text, limit, required=required):
        raise CollaborationError(errors={field: problems})
    return text


def text_problems(text: str, limit: int, *, required: str | None = None) -> list[str]:
    """What is wrong with a stripped text: missing (when ``required`` says how to ask) or too long."""
    if required and not text:
        return [required]
    if len(text) > limit:
        return [f"Ensure this field has no more than {limit} characters."]
    return []


def _clean_terms(*, vendor_id, deliverables, fee, commission_rate, gifted_products, usage_rights, disclosure):
    errors = {}
    rows = []
    if not isinstance(deliverables, list | tuple) or not deliverables:
        errors["deliverables"] = ["Add at least one deliverable."]
    elif len(deliverables) > MAX_DELIVERABLES:
        errors["deliverables"] = [f"At most {MAX_DELIVERABLES} deliverables."]
    else:
        row_errors = {}
        today = timezone.localdate()
        kinds = TermsDeliverable.Kind.values
        for index, item in enumerate(deliverables):
            problems = {}
            item = item if isinstance(item, dict) else {}
            kind = item.get("kind")
            if kind not in kinds:
                problems["kind"] = [f"Choose one of: {', '.join(kinds)}."]
            brief = item.get("brief")
            brief = brief.strip() if isinstance(brief, str) else ""
            if brief_problems := text_problems(brief, BRIEF_MAX, required="Describe the deliverable."):
                problems["brief"] = brief_problems
            due = item.get("due_date")
            if isinstance(due, str):
                try:
                    due = datetime.date.fromisoformat(due)
                except ValueError:
                    due = None
            if not isinstance(due, datetime.date):
                problems["due_date"] = ["Give a date (YYYY-MM-DD)."]
            elif due < today:
                problems["due_date"] = ["The due date is in the past."]
            if problems:
                row_errors[index] = problems
            else:
                rows.append({"kind": kind, "brief": brief, "due_date": due})
        if row_errors:
            errors["deliverables"] = row_errors
    fee = as_decimal(fee)
    if fee is None or not (Decimal(0) <= fee <= MAX_FEE):
        errors["fee"] = [f"Give an amount from 0 to {MAX_FEE}."]
    elif fee != fee.quantize(Decimal("0.01")):
        errors["fee"] = ["At most 2 decimal places."]
    rate = as_decimal(commission_rate)
    if rate is None or not (Decimal(0) <= rate <= Decimal(100)):
        errors["commission_rate"] = ["Give a percentage from 0 to 100."]
    elif rate != rate.quantize(Decimal("0.01")):
        errors["commission_rate"] = ["At most 2 decimal places."]
    ids = []
    for product in gifted_products or ():
        ids.append(product.pk if isinstance(product, Product) else product)
    if any(not isinstance(pk, int) or isinstance(pk, bool) for pk in ids):
        errors["gifted_products"] = ["Give product ids."]
    else:
        ids = sorted(set(ids))
        found = set(
            Product.objects.filter(pk__in=ids, vendor_id=vendor_id, is_active=True).values_list("pk", flat=True)
        )
        missing = [pk for pk in ids if pk not in found]
        if missing:
            errors["gifted_products"] = [f"Not an active product of yours: {', '.join(str(pk) for pk in missing)}."]
    for field, value, limit in (
        ("usage_rights", usage_rights, USAGE_RIGHTS_MAX),
        ("disclosure", disclosure, DISCLOSURE_MAX),
    ):
        if value is not None and not isinstance(value, str):
            errors[field] = ["Give a text."]
        elif problems := text_problems((value or "").strip(), limit):
            errors[field] = problems
    if errors:
        raise CollaborationError("The terms have errors.", errors=errors)
    disclosure = (disclosure or "").strip() or DEFAULT_DISCLOSURE
    return rows, fee, rate, ids, (usage_rights or "").strip(), disclosure


def notify(collaboration, actor, text, *, subject):
    """A line in the pair's chat about the campaign, from the acting user, and an email to the
    other side, queued on commit. A closed account on either side gets neither."""
    from accounts.tasks import send_email
    from chat.services import chat_open, message_send

    vendor, influencer = collaboration.vendor, collaboration.influencer
    if not (vendor.is_active and influencer.is_active):
        return
    other = influencer if actor.pk == vendor.pk else vendor
    chat, _ = chat_open(actor=vendor, other=influencer, campaign=collaboration.campaign, free=True)
    message_send(chat=chat, sender=actor, text=text[:4000])
    if other.email:
        enqueue_on_commit(
            send_email,
            subject=subject[:200],
            body=f"{actor.public_name}: {text}\n\nSee the collaboration on Anwariya.",
            to=[other.email],
        )

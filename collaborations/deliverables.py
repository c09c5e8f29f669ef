"""Deliverables and their approval: every write from the accepted terms to a completed collaboration.

A collaboration's ``Deliverable`` rows are made from its accepted terms (``deliverables_from_terms``,
run inside ``services.terms_accept``). The influencer submits each one (a ``Submission`` round: the
post's URL and/or a draft file, and the caption); the vendor approves it or asks for changes, at
most ``COLLAB_MAX_REVISIONS`` times per deliverable (then they can only approve it, or cancel the
collaboration). A deliverable goes pending → submitted → changes requested → submitted … →
approved.

The collaboration's stage follows its deliverables while the work is on (``active`` or
``content_submitted``): ``content_submitted`` while at least one waits for review, ``approved``
once every one is approved — and then the accepted terms' fixed fee, if any, becomes payable
(one ``fee`` row in the ledger, in the same transaction) —, else ``active``. The vendor then marks
it ``completed`` (``collaboration_complete``); attributed sales keep earning commission after that.

Each service locks the collaboration's row first (``ledger.collaboration_lock``) and reads the
deliverable again under it, so two reviews or a review racing a submission take turns. Each step
is told in the pair's chat and by email (``services.notify``).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from anwariya.errors import Conflict
from collaborations import ledger, uploads
from collaborations.models import Collaboration, Deliverable, LedgerEntry, Submission, TermsVersion
from collaborations.services import CollaborationError, NotAllowed, notify, set_stage

Stage = Collaboration.Stage
Status = Deliverable.Status

URL_MAX = 500
CAPTION_MAX = 5000
COMMENT_MAX = 2000
# The stages in which content is made and reviewed.
WORKING = (Stage.ACTIVE, Stage.CONTENT_SUBMITTED)


# --- Disclosure -----------------------------------------------------------------------------


def disclosure_labels(terms: TermsVersion | None) -> list[str]:
    """The labels a caption may carry: ``COLLAB_DISCLOSURE_LABELS`` and the terms' own one."""
    labels, seen = [], set()
    for label in [*settings.COLLAB_DISCLOSURE_LABELS, terms.disclosure if terms else ""]:
        label = " ".join(label.split())
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            labels.append(label)
    return labels


def _label_pattern(label: str) -> str:
    # A whole tag or phrase: "#ad" is not in "#adventure" nor in "#bad"; spaces match any spaces.
    body = r"\s+".join(re.escape(word) for word in label.split())
    before = r"(?<![\w#])" if label.startswith("#") else r"(?<!\w)"
    return rf"{before}{body}(?!\w)"


def caption_has_disclosure(caption: str, labels: list[str]) -> bool:
    """Whether the caption carries one of the labels, in any case, as a whole tag or phrase.
    (``static/js/deliverables.js`` applies the same rule while the influencer types.)"""
    return any(re.search(_label_pattern(label), caption or "", re.IGNORECASE) for label in labels)


def disclosure_warning(terms: TermsVersion | None) -> str:
    label = terms.disclosure if terms else "#ad"
    return (
        f"The caption has no disclosure label such as {label}: ASCI asks for a clear label on every paid or "
        "gifted post."
    )


def revisions_left(deliverable: Deliverable) -> int:
    """How many more times the vendor may ask for changes to ``deliverable``."""
    return max(0, settings.COLLAB_MAX_REVISIONS - deliverable.revisions)


# --- From the terms -----------------------------------------------------------------------


def deliverables_check_terms(collaboration: Collaboration, rows) -> None:
    """Refuse new terms that would drop work already done: a deliverable with content (submitted,
    changes requested or approved) must stay at its position with its kind. ``rows``: the new
    version's ``[{"kind", ...}]`` in order (positions from 1). Run by ``services.terms_send``."""
    positions = {position: row["kind"] for position, row in enumerate(rows, start=1)}
    if problems := _work_lost(collaboration, positions):
        raise CollaborationError("The terms would drop content already submitted.", errors={"deliverables": problems})


def deliverables_from_terms(locked: Collaboration, terms: TermsVersion, *, actor: User, now) -> None:
    """Make the collaboration's deliverables what the accepted ``terms`` ask for. Runs inside
    ``services.terms_accept``'s transaction, with the collaboration locked.

    The first accepted version makes one deliverable per ``TermsDeliverable`` (same position,
    kind, brief and due date). A later accepted version, position by position:

    * a deliverable with content (submitted, changes requested or approved) is kept with its
      rounds, status and revisions when the new version has the same kind at its position; it
      takes the new brief and due date and points at the new version;
    * a pending one (nothing submitted yet) is replaced by the new version's row at its position
      (kind, brief and due date), or removed when the new version has none there;
    * the new version's extra rows become new pending deliverables.

    A version that would drop a deliverable with content, or change its kind, is refused when
    sent (``deliverables_check_terms``), so it never reaches this point; should one, the accept
    is refused (409) rather than content lost. If every deliverable kept is approved, the
    collaboration is approved at once (and the fee booked, as for the last approval)."""
    rows = list(terms.deliverables.order_by("position"))
    if problems := _work_lost(locked, {row.position: row.kind for row in rows}):
        raise Conflict("These terms would drop content already submitted.", errors={"deliverables": problems})
    existing = {item.position: item for item in Deliverable.objects.filter(collaboration=locked)}
    new = []
    for row in rows:
        current = existing.pop(row.position, None)
        if current is None:
            new.append(
                Deliverable(
                    collaboration=locked,
                    terms=terms,
                    position=row.position,
                    kind=row.kind,
                    brief=row.brief,
                    due_date=row.due_date,
                )
            )
            continue
        current.terms, current.kind, current.brief, current.due_date = terms, row.kind, row.brief, row.due_date
        current.save(update_fields=["terms", "kind", "brief", "due_date"])
    Deliverable.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()  # pending ones only
    Deliverable.objects.bulk_create(new)
    if locked.stage in WORKING and _settle_stage(locked, actor, now) == Stage.APPROVED:
        subject = f"Every deliverable approved: “{locked.campaign.title}”"
        notify(locked, actor, _all_approved_text(locked), subject=subject)


def _work_lost(collaboration, kinds_by_position) -> list[str]:
    problems = []
    with_content = Deliverable.objects.filter(collaboration=collaboration).exclude(status=Status.PENDING)
    for item in with_content.order_by("position"):
        if kinds_by_position.get(item.position) != item.kind:
            problems.append(
                f"{item.get_kind_display()} #{item.position} is {item.get_status_display().lower()}: "
                f"keep a {item.kind} at position {item.position}."
            )
    return problems


# --- Submitting ---------------------------------------------------------------------------


def deliverable_submit(deliverable: Deliverable, actor: User, *, url: str = "", caption: str = "", file=None):
    """The influencer submits a deliverable for review: a new ``Submission`` round with the post's
    ``url`` and/or a draft ``file`` (an image or video upload, see ``collaborations.uploads``),
    and the ``caption``. The deliverable is ``submitted`` and the collaboration
    ``content_submitted``.

    A caption without a disclosure label (``disclosure_labels``) is still taken: the round is
    marked ``missing_disclosure``, and both sides see the warning (the influencer before and after
    submitting, the vendor on review). Refused while the collaboration is not active (terms
    waiting, cancelled, completed …), while the last round waits for review, and once approved."""
    collaboration = deliverable.collaboration
    if actor.pk != collaboration.influencer_id:
        raise NotAllowed("Only the collaboration's influencer submits its deliverables.")
    url, caption, file_name = _clean_submission(url, caption, file)
    now = timezone.now()
    stored = None
    try:
        with transaction.atomic():
            locked = ledger.collaboration_lock(collaboration)
            current = _locked_deliverable(locked, deliverable)
            if locked.stage not in WORKING:
                raise Conflict(
                    f"Content can't be submitted now: the collaboration is {locked.get_stage_display().lower()}.",
                    errors={"stage": [locked.stage]},
                )
            if current.status == Status.SUBMITTED:
                raise Conflict(
                    "Your last round is waiting for the vendor's review; submit again once they answer.",
                    errors={"status": [current.status]},
                )
            if current.status == Status.APPROVED:
                raise Conflict("This deliverable is approved already.", errors={"status": [current.status]})
            number = (current.submissions.aggregate(last=Max("round"))["last"] or 0) + 1
            submission = Submission(
                deliverable=current,
                round=number,
                url=url,
                caption=caption,
                missing_disclosure=not caption_has_disclosure(caption, disclosure_labels(current.terms)),
                submitted_by=actor,
                submitted_at=now,
            )
            if file is not None:
                submission.file.save(file_name, file, save=False)
                stored = submission.file.name
            submission.save()
            current.status, current.submitted_at = Status.SUBMITTED, now
            current.save(update_fields=["status", "submitted_at"])
            _settle_stage(locked, actor, now)
            warning = " The caption has no disclosure label." if submission.missing_disclosure else ""
            notify(
                locked,
                actor,
                f"Submitted {_name(current)} for “{locked.campaign.title}” (round {number}) for your review.{warning}",
                subject=f"Content submitted for “{locked.campaign.title}”",
            )
    except BaseException:
        if stored:
            submission.file.storage.delete(stored)  # nothing half-written: the draft goes with the round
        raise
    _copy(collaboration, locked)
    _copy(deliverable, current, fields=("status", "submitted_at"))
    return submission


def _clean_submission(url, caption, file):
    errors = {}
    url = url.strip() if isinstance(url, str) else ""
    caption = caption.strip() if isinstance(caption, str) else ""
    if len(url) > URL_MAX:
        errors["url"] = [f"Ensure this field has no more than {URL_MAX} characters."]
    elif url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Give the post's web address (https://…)."]
    if len(caption) > CAPTION_MAX:
        errors["caption"] = [f"Ensure this field has no more than {CAPTION_MAX} characters."]
    file_name = None
    if file is not None:
        try:
            file_name = uploads.check_draft(file)
        except CollaborationError as error:
            errors.update(error.errors)
    elif not url and "url" not in errors:
        errors["url"] = ["Give the post's URL or upload a draft file."]
    if errors:
        raise CollaborationError("The submission has errors.", errors=errors)
    return url, caption, file_name


# --- Reviewing ----------------------------------------------------------------------------


def deliverable_approve(deliverable: Deliverable, actor: User) -> Deliverable:
    """The vendor approves the round waiting for review. When it is the last deliverable to be
    approved, the collaboration is ``approved`` and the accepted terms' fee (if above zero)
    becomes payable: one ``fee`` ledger row, in the same transaction."""
    collaboration = deliverable.collaboration
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor approves its deliverables.")
    with transaction.atomic():
        locked, current, submission = _under_review(collaboration, deliverable)
        now = timezone.now()
        submission.decision, submission.decided_by, submission.decided_at = Submission.Decision.APPROVED, actor, now
        submission.save(update_fields=["decision", "decided_by", "decided_at"])
        current.status, current.approved_at = Status.APPROVED, now
        current.save(update_fields=["status", "approved_at"])
        text = f"Approved {_name(current)} for “{locked.campaign.title}” (round {submission.round})."
        if _settle_stage(locked, actor, now) == Stage.APPROVED:
            text = f"{text} {_all_approved_text(locked)}"
        notify(locked, actor, text, subject=f"Content approved for “{locked.campaign.title}”")
    _copy(collaboration, locked)
    _copy(deliverable, current, fields=("status", "approved_at"))
    return deliverable


def deliverable_request_changes(deliverable: Deliverable, actor: User, comment: str) -> Deliverable:
    """The vendor sends the round waiting for review back with a comment on what to change; the
    influencer submits again. At most ``COLLAB_MAX_REVISIONS`` times per deliverable: past that
    the vendor can only approve it (or cancel the collaboration)."""
    collaboration = deliverable.collaboration
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor asks for changes.")
    comment = comment.strip() if isinstance(comment, str) else ""
    if not comment:
        raise CollaborationError(errors={"comment": ["Say what should change."]})
    if len(comment) > COMMENT_MAX:
        raise CollaborationError(errors={"comment": [f"Ensure this field has no more than {COMMENT_MAX} characters."]})
    with transaction.atomic():
        locked, current, submission = _under_review(collaboration, deliverable)
        limit = settings.COLLAB_MAX_REVISIONS
        if current.revisions >= limit:
            raise Conflict(
                f"Changes were asked for {current.revisions} times, the most allowed ({limit}): approve this "
                "round, or cancel the collaboration.",
                errors={"revisions": [f"No changes left to ask for ({current.revisions} of {limit} used)."]},
            )
        now = timezone.now()
        submission.decision = Submission.Decision.CHANGES_REQUESTED
        submission.comment, submission.decided_by, submission.decided_at = comment, actor, now
        submission.save(update_fields=["decision", "comment", "decided_by", "decided_at"])
        current.status, current.revisions = Status.CHANGES_REQUESTED, current.revisions + 1
        current.save(update_fields=["status", "revisions"])
        _settle_stage(locked, actor, now)
        left = revisions_left(current)
        notify(
            locked,
            actor,
            f"Asked for changes to {_name(current)} for “{locked.campaign.title}” (round {submission.round}): "
            f"{comment} ({left} more request{'s' if left != 1 else ''} for changes possible.)",
            subject=f"Changes requested for “{locked.campaign.title}”",
        )
    _copy(collaboration, locked)
    _copy(deliverable, current, fields=("status", "revisions"))
    return deliverable


def collaboration_complete(collaboration: Collaboration, actor: User) -> Collaboration:
    """The vendor marks an approved collaboration (every deliverable approved) ``completed``.
    Sales attributed to it afterwards still earn the influencer commission."""
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor marks it completed.")
    with transaction.atomic():
        locked = ledger.collaboration_lock(collaboration)
        if locked.stage != Stage.APPROVED:
            raise Conflict(
                "Only an approved collaboration (every deliverable approved) can be marked completed; this one is "
                f"{locked.get_stage_display().lower()}.",
                errors={"stage": [locked.stage]},
            )
        set_stage(locked, Stage.COMPLETED, timezone.now())
        notify(
            locked,
            actor,
            f"Marked the collaboration on “{locked.campaign.title}” completed. Sales with the referral code "
            "keep earning commission.",
            subject=f"Collaboration completed: “{locked.campaign.title}”",
        )
    _copy(collaboration, locked)
    return collaboration


# --- Helpers ------------------------------------------------------------------------------


def _locked_deliverable(locked, deliverable) -> Deliverable:
    """The deliverable as it is now, read under the collaboration's lock (it may have gone with
    a new version of the terms: then 404, as for a deliverable that never was)."""
    return get_object_or_404(Deliverable.objects.select_related("terms"), pk=deliverable.pk, collaboration=locked)


def _under_review(collaboration, deliverable):
    locked = ledger.collaboration_lock(collaboration)
    current = _locked_deliverable(locked, deliverable)
    if locked.stage != Stage.CONTENT_SUBMITTED:
        raise Conflict(
            f"Nothing can be reviewed now: the collaboration is {locked.get_stage_display().lower()}.",
            errors={"stage": [locked.stage]},
        )
    if current.status != Status.SUBMITTED:
        raise Conflict(
            f"Only a submitted deliverable is reviewed; this one is {current.get_status_display().lower()}.",
            errors={"status": [current.status]},
        )
    submission = current.submissions.filter(decision=Submission.Decision.WAITING).order_by("-round").first()
    if submission is None:  # a submitted deliverable always has its round waiting; never a 500 if not
        raise Conflict("No round is waiting for review.", errors={"status": [current.status]})
    return locked, current, submission


def _settle_stage(locked, actor, now):
    """Set the stage its deliverables make (``approved``, ``content_submitted`` or ``active``);
    on reaching ``approved``, book the fee. Returns the stage."""
    statuses = list(Deliverable.objects.filter(collaboration=locked).values_list("status", flat=True))
    if statuses and all(status == Status.APPROVED for status in statuses):
        stage = Stage.APPROVED
    elif Status.SUBMITTED in statuses:
        stage = Stage.CONTENT_SUBMITTED
    else:
        stage = Stage.ACTIVE
    if stage != locked.stage:
        set_stage(locked, stage, now)
    if stage == Stage.APPROVED:
        _book_fee(locked, actor, now)
    return stage


def _book_fee(locked, actor, now) -> LedgerEntry | None:
    """The accepted terms' fixed fee becomes payable, once (a collaboration has one fee row: the
    check here, and ``ledger_entry_one_fee_per_collaboration`` behind it)."""
    terms = _accepted_terms(locked)
    if terms is None or terms.fee <= 0:
        return None
    if LedgerEntry.objects.filter(collaboration=locked, kind=LedgerEntry.Kind.FEE).exists():
        return None
    return ledger.ledger_post(
        locked,
        LedgerEntry.Kind.FEE,
        payable=terms.fee,
        currency=terms.currency,
        note=f"Fixed fee of terms v{terms.number}: every deliverable approved.",
        created_by=actor,
        now=now,
    )


def _accepted_terms(collaboration) -> TermsVersion | None:
    return (
        TermsVersion.objects.filter(collaboration=collaboration, status=TermsVersion.Status.ACCEPTED)
        .order_by("-number")
        .first()
    )


def _all_approved_text(locked) -> str:
    terms = _accepted_terms(locked)
    if terms is not None and terms.fee > 0:
        return f"Every deliverable is approved: the fee of {terms.currency} {terms.fee} is now payable."
    return "Every deliverable is approved."


def _name(deliverable) -> str:
    return f"{deliverable.get_kind_display().lower()} #{deliverable.position}"


def _copy(target, source, fields=("stage", "updated_at", "held", "payable", "paid")):
    for field in fields:
        setattr(target, field, getattr(source, field))

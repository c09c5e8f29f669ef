"""Deliverables on the pages: each one on the collaboration's page (``_deliverables.html``) and on
a page of its own (where a form comes back with its errors); submitting, approving, asking for
changes, marking the collaboration completed, and a round's draft file for the two parties only.
Thin: the rules are in ``collaborations.deliverables``."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from anwariya.errors import DomainError
from anwariya.forms import apply_domain_errors
from collaborations import deliverables, selectors, uploads
from collaborations.forms import ChangesForm, SubmissionForm
from collaborations.models import Collaboration, Deliverable

Stage = Collaboration.Stage
Status = Deliverable.Status


def deliverables_context(request, collaboration, *, bound=None) -> dict:
    """What the collaboration page's deliverables partial shows: each deliverable with its rounds
    and the forms the user's side may use. ``bound``: a deliverable whose forms were posted."""
    items = [
        _card(request, collaboration, item, bound) for item in selectors.deliverables_of_collaboration(collaboration)
    ]
    terms = items[0].terms if items else None  # every deliverable follows the accepted version
    return {
        "deliverables": items,
        "accepted_terms": terms,
        "overdue_count": sum(item.is_overdue for item in items),
        "max_revisions": settings.COLLAB_MAX_REVISIONS,
        "can_complete": request.user.pk == collaboration.vendor_id and collaboration.stage == Stage.APPROVED,
        "is_vendor": request.user.pk == collaboration.vendor_id,
        "is_influencer": request.user.pk == collaboration.influencer_id,
    }


def _card(request, collaboration, item, bound):
    user = request.user
    labels = deliverables.disclosure_labels(item.terms)
    item.rounds = list(item.submissions.all())
    for submission in item.rounds:
        submission.draft_is_video = bool(submission.file) and uploads.is_video(submission.file.name)
    item.latest = item.rounds[0] if item.rounds else None
    item.revisions_left = deliverables.revisions_left(item)
    item.can_submit = (
        user.pk == collaboration.influencer_id
        and collaboration.stage in deliverables.WORKING
        and item.status in (Status.PENDING, Status.CHANGES_REQUESTED)
    )
    item.can_review = (
        user.pk == collaboration.vendor_id
        and collaboration.stage == Stage.CONTENT_SUBMITTED
        and item.status == Status.SUBMITTED
    )
    prefix = f"d{item.pk}"
    mine = bound if bound is not None and bound.deliverable_pk == item.pk else None
    item.submit_form = (
        mine.submit_form
        if mine and mine.submit_form
        else SubmissionForm(prefix=prefix, disclosure=item.terms.disclosure)
    )
    item.changes_form = mine.changes_form if mine and mine.changes_form else ChangesForm(prefix=prefix)
    caption = item.submit_form["caption"]
    # The live warning (static/js/deliverables.js) reads the labels from the caption field.
    caption.field.widget.attrs.update(
        {
            "data-disclosure-labels": json.dumps(labels),
            "data-warning": f"{caption.auto_id}-warning",
            "aria-describedby": f"{caption.auto_id}-warning",
        }
    )
    item.caption_has_label = deliverables.caption_has_disclosure(caption.value() or "", labels)
    item.disclosure_warning = deliverables.disclosure_warning(item.terms)
    item.caption_warning = f"{item.disclosure_warning} You can still submit it; the vendor will see this warning."
    return item


class Bound:
    """The posted forms of one deliverable, to show again with their errors."""

    def __init__(self, deliverable_pk, *, submit_form=None, changes_form=None):
        self.deliverable_pk = deliverable_pk
        self.submit_form = submit_form
        self.changes_form = changes_form


def _deliverable_page(request, deliverable, *, bound=None, status=200):
    collaboration = deliverable.collaboration
    context = deliverables_context(request, collaboration, bound=bound)
    item = next((card for card in context["deliverables"] if card.pk == deliverable.pk), None)
    if item is None:  # replaced by a newer version of the terms in the meantime
        return redirect("collaborations:collaboration-detail", pk=collaboration.pk)
    return render(
        request,
        "collaborations/deliverable_detail.html",
        {**context, "collaboration": collaboration, "item": item},
        status=status,
    )


def _back(deliverable):
    detail = reverse("collaborations:collaboration-detail", args=[deliverable.collaboration_id])
    return redirect(f"{detail}#deliverable-{deliverable.pk}")


def _refused(request, error):
    """A refusal without a form to show it on: 403 for the wrong side, else a message."""
    if error.status_code == 403:
        raise PermissionDenied(error.detail)
    messages.error(request, error.detail)


def _form_refused(form, error):
    """A service's refusal on the form: a wrong field on the field, the state in words on top."""
    if error.status_code == 403:
        raise PermissionDenied(error.detail)
    if error.status_code == 409:  # the state's codes are no message: its summary says it in words
        form.add_error(None, error.detail)
    else:
        apply_domain_errors(form, error)


class DeliverableDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return _deliverable_page(request, selectors.deliverable_for_user(request.user, pk))


class DeliverableSubmitView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return redirect("collaborations:deliverable-detail", pk=pk)

    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        form = SubmissionForm(
            request.POST, request.FILES, prefix=f"d{deliverable.pk}", disclosure=deliverable.terms.disclosure
        )
        if form.is_valid():
            try:
                submission = deliverables.deliverable_submit(
                    deliverable,
                    request.user,
                    url=form.cleaned_data["url"],
                    caption=form.cleaned_data["caption"],
                    file=form.cleaned_data["file"],
                )
            except DomainError as error:
                _form_refused(form, error)
            else:
                messages.success(request, f"Round {submission.round} submitted: the vendor reviews it next.")
                if submission.missing_disclosure:
                    warning = deliverables.disclosure_warning(deliverable.terms)
                    messages.warning(request, f"{warning} It was submitted anyway; the vendor sees this warning too.")
                return _back(deliverable)
        bound = Bound(deliverable.pk, submit_form=form)
        return _deliverable_page(request, deliverable, bound=bound, status=400)


class DeliverableApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        try:
            deliverables.deliverable_approve(deliverable, request.user)
        except DomainError as error:
            _refused(request, error)
        else:
            collaboration = deliverable.collaboration
            if collaboration.stage == Stage.APPROVED:
                messages.success(request, "Approved. Every deliverable is approved: you can mark it completed.")
            else:
                messages.success(request, "Approved.")
        return _back(deliverable)


class DeliverableRequestChangesView(LoginRequiredMixin, View):
    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        form = ChangesForm(request.POST, prefix=f"d{deliverable.pk}")
        if form.is_valid():
            try:
                deliverables.deliverable_request_changes(deliverable, request.user, form.cleaned_data["comment"])
            except DomainError as error:
                _form_refused(form, error)
            else:
                left = deliverables.revisions_left(deliverable)
                messages.success(request, f"Sent back with your comment ({left} more request{'s' * (left != 1)} left).")
                return _back(deliverable)
        return _deliverable_page(request, deliverable, bound=Bound(deliverable.pk, changes_form=form), status=400)


class CollaborationCompleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        try:
            deliverables.collaboration_complete(collaboration, request.user)
        except DomainError as error:
            _refused(request, error)
        else:
            messages.success(request, "The collaboration is completed.")
        return redirect("collaborations:collaboration-detail", pk=pk)


class SubmissionFileView(LoginRequiredMixin, View):
    """A round's draft file: the two parties and staff only (404 for anyone else)."""

    def get(self, request, pk):
        submission = selectors.submission_with_file_for_user(request.user, pk)
        return uploads.draft_response(submission, request.headers.get("Range", ""))

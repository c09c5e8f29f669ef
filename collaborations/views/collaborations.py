from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from anwariya.errors import DomainError
from anwariya.mixins import VendorRequiredMixin
from anwariya.page_filters import query_without_page
from chat.selectors import chat_for_user
from collaborations import selectors, services
from collaborations.forms import TermsForm
from collaborations.models import Collaboration
from collaborations.views.deliverables import deliverables_context

PAGE_SIZE = 25
PIPELINE_PER_STAGE = 10


class CollaborationListView(LoginRequiredMixin, View):
    def get(self, request):
        collaborations = selectors.collaborations_for_user(request.user)
        stage = request.GET.get("stage")
        if stage in Collaboration.Stage.values:
            collaborations = collaborations.filter(stage=stage)
        campaign = request.GET.get("campaign", "")
        if campaign.isdigit() and len(campaign) < 19:
            collaborations = collaborations.filter(campaign_id=int(campaign))
        page = Paginator(collaborations, PAGE_SIZE).get_page(request.GET.get("page"))
        counts = selectors.stage_counts(request.user)
        return render(
            request,
            "collaborations/collaboration_list.html",
            {
                "page": page,
                "stage": stage,
                "stages": [(value, label, counts[value]) for value, label in Collaboration.Stage.choices],
                "query": query_without_page(request),
            },
        )


class PipelineView(VendorRequiredMixin, View):
    """The vendor's collaborations grouped by stage, with counts."""

    def get(self, request):
        counts = selectors.stage_counts(request.user)
        everything = selectors.collaborations_for_user(request.user)
        columns = [
            {
                "stage": value,
                "label": label,
                "count": counts[value],
                "items": list(everything.filter(stage=value)[:PIPELINE_PER_STAGE]) if counts[value] else [],
            }
            for value, label in Collaboration.Stage.choices
        ]
        return render(
            request,
            "collaborations/pipeline.html",
            {"columns": columns, "total": sum(counts.values()), "per_stage": PIPELINE_PER_STAGE},
        )


class ForChatView(LoginRequiredMixin, View):
    """From a chat about a campaign to the pair's collaboration on it (the chat page links here)."""

    def get(self, request, chat_pk):
        chat = chat_for_user(request.user, chat_pk)
        collaboration = (
            selectors.collaborations_for_user(request.user)
            .filter(campaign_id=chat.campaign_id, vendor_id=chat.vendor_id, influencer_id=chat.influencer_id)
            .first()
        )
        if collaboration is None:
            messages.info(request, "There is no collaboration yet: it starts when the application is accepted.")
            if chat.campaign_id:
                return redirect("campaigns:campaign-detail", pk=chat.campaign_id)
            return redirect("chat:chat-detail", pk=chat.pk)
        return redirect("collaborations:collaboration-detail", pk=collaboration.pk)


def _detail_context(request, collaboration):
    versions = selectors.terms_with_changes(collaboration)
    waiting = next((v for v in versions if v.status == v.Status.SENT), None)
    user = request.user
    return {
        "collaboration": collaboration,
        "versions": versions,
        "waiting": waiting,
        "is_vendor": user.pk == collaboration.vendor_id,
        "is_influencer": user.pk == collaboration.influencer_id,
        "can_send": user.pk == collaboration.vendor_id and collaboration.stage in services.SENDABLE,
        **deliverables_context(request, collaboration),
    }


class CollaborationDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        return render(request, "collaborations/collaboration_detail.html", _detail_context(request, collaboration))


class TermsSendView(LoginRequiredMixin, View):
    def _collaboration(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        if request.user.pk != collaboration.vendor_id:
            raise PermissionDenied("Only the collaboration's vendor sends terms.")
        return collaboration

    def get(self, request, pk):
        collaboration = self._collaboration(request, pk)
        initial = {}
        latest = selectors.terms_of_collaboration(collaboration).first()
        if latest is not None:
            initial = {
                "fee": latest.fee,
                "commission_rate": latest.commission_rate,
                "gifted_products": list(latest.gifted_products.all()),
                "usage_rights": latest.usage_rights,
                "disclosure": latest.disclosure,
            }
            for i, row in enumerate(latest.deliverables.all()):
                initial.update({f"kind_{i}": row.kind, f"brief_{i}": row.brief, f"due_date_{i}": row.due_date})
        rows = max(5, len(latest.deliverables.all()) + 2) if latest is not None else 5
        form = TermsForm(vendor=request.user, initial=initial, rows=rows)
        return self._render(request, collaboration, form, latest)

    def post(self, request, pk):
        collaboration = self._collaboration(request, pk)
        rows = _rows_posted(request.POST)
        form = TermsForm(request.POST, vendor=request.user, rows=rows)
        if form.is_valid():
            filled = form.deliverables()
            try:
                terms = services.terms_send(
                    collaboration=collaboration,
                    actor=request.user,
                    deliverables=[row for _, row in filled],
                    fee=form.cleaned_data["fee"],
                    commission_rate=form.cleaned_data["commission_rate"],
                    gifted_products=list(form.cleaned_data["gifted_products"]),
                    usage_rights=form.cleaned_data["usage_rights"],
                    disclosure=form.cleaned_data["disclosure"],
                )
            except DomainError as error:
                _form_errors(form, error, filled)
            else:
                messages.success(
                    request, f"Terms v{terms.number} sent. The influencer can now accept them or send them back."
                )
                return redirect("collaborations:collaboration-detail", pk=pk)
        return self._render(request, collaboration, form, None, status=400)

    def _render(self, request, collaboration, form, latest, status=200):
        return render(
            request,
            "collaborations/terms_form.html",
            {"collaboration": collaboration, "form": form, "latest": latest},
            status=status,
        )


def _rows_posted(data):
    """How many deliverable rows the form held (5 to the services' limit)."""
    count = 0
    while f"kind_{count}" in data and count < services.MAX_DELIVERABLES:
        count += 1
    return max(count, 1)


def _form_errors(form, error, filled):
    for field, problems in error.errors.items():
        if field == "deliverables" and isinstance(problems, dict):
            for index, row_problems in problems.items():
                form_index = filled[int(index)][0]
                for name, texts in row_problems.items():
                    for text in texts:
                        form.add_error(f"{name}_{form_index}", text)
        elif field in form.fields:
            for text in problems:
                form.add_error(field, text)
        elif field == "stage":
            form.add_error(None, error.detail)  # the stage's code is no message: the summary says it in words
        else:
            for text in problems:
                form.add_error(None, text)
    if not error.errors:
        form.add_error(None, error.detail)


class CollaborationActionView(LoginRequiredMixin, View):
    """Accept or send back the waiting terms (the influencer), or cancel (either side)."""

    def post(self, request, pk, verb):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        text = request.POST.get("text", "")
        version = request.POST.get("version")
        version = int(version) if version and version.isdigit() and len(version) < 10 else None
        try:
            if verb == "accept":
                terms = services.terms_accept(collaboration=collaboration, actor=request.user, version=version)
                done = f"You accepted terms v{terms.number}. The collaboration is active."
            elif verb == "reject":
                terms = services.terms_reject(
                    collaboration=collaboration, actor=request.user, comment=text, version=version
                )
                done = f"Terms v{terms.number} went back to the vendor with your comment."
            elif verb == "cancel":
                services.collaboration_cancel(collaboration=collaboration, actor=request.user, reason=text)
                done = "The collaboration is cancelled."
            else:
                raise Http404("No such action.")
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.detail) from None
            messages.error(
                request,
                "; ".join(m for ms in error.errors.values() if isinstance(ms, list) for m in ms) or error.detail,
            )
        else:
            messages.success(request, done)
        return redirect("collaborations:collaboration-detail", pk=pk)

"""Deliverables over the API: a collaboration's deliverables with their rounds, submitting one
(JSON or multipart with a draft file), approving it or asking for changes, marking the
collaboration completed, and reading a round's draft file. Thin: the rules are in
``collaborations.deliverables``; ownership in ``collaborations.selectors`` (404 for a stranger)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import renderers, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from anwariya.api.parsers import JSONParser, MultiPartParser
from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from collaborations import deliverables, selectors
from collaborations.api.collaborations import CollaborationSerializer
from collaborations.models import Deliverable, Submission, TermsDeliverable
from collaborations.uploads import CONTENT_TYPES, draft_file_name, draft_response


class SubmissionSerializer(serializers.ModelSerializer):
    decision = serializers.ChoiceField(
        choices=Submission.Decision.choices, read_only=True, help_text="Blank while waiting for review."
    )
    file_name = serializers.SerializerMethodField(help_text="The draft file's name; blank without one.")
    file_url = serializers.SerializerMethodField(help_text="Where the two parties download the draft file.")

    def get_file_name(self, submission) -> str:
        return draft_file_name(submission)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, submission):
        if not submission.file:
            return None
        return reverse("api-submission-file", args=[submission.pk], request=self.context.get("request"))

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "url",
            "caption",
            "file_name",
            "file_url",
            "missing_disclosure",
            "submitted_by",
            "submitted_at",
            "decision",
            "comment",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class CollaborationDeliverableSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=TermsDeliverable.Kind.choices, read_only=True)
    status = serializers.ChoiceField(choices=Deliverable.Status.choices, read_only=True)
    terms_version = serializers.IntegerField(source="terms.number", read_only=True)
    revisions = serializers.IntegerField(read_only=True, help_text="Changes the vendor asked for so far.")
    revisions_left = serializers.SerializerMethodField(help_text="Changes the vendor may still ask for.")
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="Due before today (the vendor's date) and not approved."
    )
    disclosure_labels = serializers.SerializerMethodField(
        help_text="Labels a caption should carry (any one of them, as a whole tag or phrase, any case)."
    )
    disclosure_warning = serializers.SerializerMethodField(
        help_text="Set when the latest round's caption carries no disclosure label."
    )
    latest_submission = serializers.SerializerMethodField()
    submissions = SubmissionSerializer(many=True, read_only=True, help_text="Every round, newest first.")

    def get_revisions_left(self, deliverable) -> int:
        return deliverables.revisions_left(deliverable)

    def get_disclosure_labels(self, deliverable) -> list[str]:
        return deliverables.disclosure_labels(deliverable.terms)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_disclosure_warning(self, deliverable):
        latest = self._latest(deliverable)
        if latest is None or not latest.missing_disclosure:
            return None
        return deliverables.disclosure_warning(deliverable.terms)

    @extend_schema_field(SubmissionSerializer(allow_null=True))
    def get_latest_submission(self, deliverable):
        latest = self._latest(deliverable)
        return SubmissionSerializer(latest, context=self.context).data if latest else None

    def _latest(self, deliverable):
        return next(iter(deliverable.submissions.all()), None)  # prefetched, newest first

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "collaboration",
            "terms_version",
            "position",
            "kind",
            "brief",
            "due_date",
            "status",
            "revisions",
            "revisions_left",
            "is_overdue",
            "submitted_at",
            "approved_at",
            "disclosure_labels",
            "disclosure_warning",
            "latest_submission",
            "submissions",
        ]
        read_only_fields = fields


class SubmitInputSerializer(StrictInputMixin, serializers.Serializer):
    url = serializers.URLField(
        max_length=deliverables.URL_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="The published post. Give it, a draft file (multipart), or both.",
    )
    caption = serializers.CharField(
        max_length=deliverables.CAPTION_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Without a disclosure label (see disclosure_labels) it is taken with a warning.",
    )


class SubmitMultipartInputSerializer(SubmitInputSerializer):
    file = serializers.FileField(
        required=False,
        help_text="A draft image or video: jpg, png, webp, gif, mp4, mov or webm, at most COLLAB_UPLOAD_MAX_MB "
        "(default 50) MB; its content must be what its extension says.",
    )


class RequestChangesInputSerializer(StrictInputMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=deliverables.COMMENT_MAX, help_text="What should change.")


REVIEW_CONFLICT = conflict(
    "The state refuses it: the deliverable is not waiting for review, the collaboration is not at that stage, "
    "or (for changes) no requests for changes are left."
)
SUBMIT_CONFLICT = conflict(
    "The state refuses it: the collaboration is not active, the last round waits for review, or it is approved."
)


class DeliverableResponseMixin:
    def deliverable_response(self, request, deliverable, status_code=status.HTTP_200_OK):
        fresh = selectors.deliverables_of_collaboration(deliverable.collaboration).get(pk=deliverable.pk)
        data = CollaborationDeliverableSerializer(fresh, context={"request": request}).data
        return Response(data, status=status_code)


@extend_schema(tags=["collaborations"])
class CollaborationDeliverablesApi(GenericAPIView):
    serializer_class = CollaborationDeliverableSerializer
    filter_backends = []

    @extend_schema(
        operation_id="collaborations_deliverables_list",
        responses=CollaborationDeliverableSerializer(many=True),
        description="The collaboration's deliverables in order, with their status, revisions, whether they "
        "are overdue, and their rounds. Made when the influencer accepts the terms.",
    )
    def get(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        page = self.paginate_queryset(selectors.deliverables_of_collaboration(collaboration))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["collaborations"])
class DeliverableSubmitApi(DeliverableResponseMixin, APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="deliverables_submit",
        request={
            "application/json": SubmitInputSerializer,
            "multipart/form-data": SubmitMultipartInputSerializer,
        },
        responses={201: CollaborationDeliverableSerializer, 409: SUBMIT_CONFLICT},
        description="The influencer submits the deliverable for review: `url` and/or a draft `file` "
        "(multipart only), and the `caption`. A caption without a disclosure label is taken, with "
        "`missing_disclosure` on the round and `disclosure_warning` set.",
    )
    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        multipart = (request.content_type or "").startswith("multipart/")
        serializer = (SubmitMultipartInputSerializer if multipart else SubmitInputSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        deliverables.deliverable_submit(
            deliverable, request.user, url=data["url"], caption=data["caption"], file=data.get("file")
        )
        return self.deliverable_response(request, deliverable, status.HTTP_201_CREATED)


@extend_schema(tags=["collaborations"])
class DeliverableApproveApi(DeliverableResponseMixin, APIView):
    @extend_schema(
        operation_id="deliverables_approve",
        request=None,
        responses={200: CollaborationDeliverableSerializer, 409: REVIEW_CONFLICT},
        description="The vendor approves the round waiting for review. The last approval makes the "
        "collaboration approved and its fixed fee payable.",
    )
    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        deliverables.deliverable_approve(deliverable, request.user)
        return self.deliverable_response(request, deliverable)


@extend_schema(tags=["collaborations"])
class DeliverableRequestChangesApi(DeliverableResponseMixin, APIView):
    @extend_schema(
        operation_id="deliverables_request_changes",
        request=RequestChangesInputSerializer,
        responses={200: CollaborationDeliverableSerializer, 409: REVIEW_CONFLICT},
        description="The vendor sends the round waiting for review back with a `comment`; at most "
        "COLLAB_MAX_REVISIONS (default 3) times per deliverable, then it can only be approved (409, "
        "`errors.revisions`).",
    )
    def post(self, request, pk):
        deliverable = selectors.deliverable_for_user(request.user, pk)
        serializer = RequestChangesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deliverables.deliverable_request_changes(deliverable, request.user, serializer.validated_data["comment"])
        return self.deliverable_response(request, deliverable)


@extend_schema(tags=["collaborations"])
class CollaborationCompleteApi(APIView):
    @extend_schema(
        operation_id="collaborations_complete",
        request=None,
        responses={200: CollaborationSerializer, 409: conflict("The collaboration is not approved.")},
        description="The vendor marks an approved collaboration (every deliverable approved) completed. "
        "Attributed sales keep earning commission.",
    )
    def post(self, request, pk):
        collaboration = selectors.collaboration_for_user(request.user, pk)
        deliverables.collaboration_complete(collaboration, request.user)
        fresh = selectors.collaboration_for_user(request.user, pk)
        return Response(CollaborationSerializer(fresh, context={"request": request}).data)


class FileOrJSONErrors(BaseContentNegotiation):
    """The draft is returned as it is; anything rendered (an error) is JSON, whatever ``Accept`` says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(tags=["collaborations"])
class SubmissionFileApi(APIView):
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = FileOrJSONErrors

    @extend_schema(
        operation_id="submissions_file",
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The draft file.")
            for content_type in sorted(set(CONTENT_TYPES.values()))
        },
        description="A round's draft image or video, for the two parties (and staff) only; 404 for anyone "
        "else and for a round without a file.",
    )
    def get(self, request, pk):
        return draft_response(selectors.submission_with_file_for_user(request.user, pk))

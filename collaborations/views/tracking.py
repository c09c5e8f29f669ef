"""``GET /r/<code>``: a collaboration's tracking link (the rules are in ``collaborations.tracking``).

Public: no login, no session, no CSRF, no throttle (one shared mobile network address can be many
people). A DRF view only so that the OpenAPI schema documents it; a browser that follows a link
gets its errors as a page, an API client as the JSON error body.
"""

from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from anwariya.client import client_address
from anwariya.errors import DomainError
from collaborations import tracking

# The link's answer is per visit (it is counted), so nothing may keep it; and the page the link
# was on is nobody's business at the landing page.
NO_STORE = "no-store"
REFERRER_POLICY = "no-referrer"


class UnknownTrackingLink(DomainError):
    status_code = 404
    code = "not_found"
    default_detail = "This tracking link does not exist. Check the address: it may have been mistyped."


class NoLandingPage(DomainError):
    status_code = 404
    code = "no_landing_page"
    default_detail = (
        "This link works, but the brand has not said yet where it leads (the campaign has no landing page). "
        "Try again later."
    )


class TrackingPageRenderer(renderers.BaseRenderer):
    """A browser's answer: the error explained on a page of the site (with the visitor's session,
    so the page header is theirs)."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"
    template_name = "collaborations/tracking_link.html"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        request = renderer_context.get("request")
        response = renderer_context.get("response")
        context = {**(data if isinstance(data, dict) else {}), "status_code": getattr(response, "status_code", 404)}
        return render_to_string(self.template_name, context, request=getattr(request, "_request", request))


class TrackingLinkView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    renderer_classes = [renderers.JSONRenderer, TrackingPageRenderer]

    @extend_schema(
        operation_id="tracking_link",
        tags=["tracking"],
        parameters=[
            OpenApiParameter(
                "code",
                {"type": "string", "pattern": f"^[A-Za-z0-9]{{1,{tracking.MAX_CODE_LENGTH}}}$"},
                OpenApiParameter.PATH,
                description="The collaboration's tracking code (`tracking_url` of a collaboration).",
            ),
            OpenApiParameter("format", exclude=True),  # the answer's format follows Accept
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                response=[302],
                description="The campaign's landing URL, and never anything from the request.",
            ),
        ],
        request=None,
        responses={
            302: OpenApiResponse(
                description="Redirects to the campaign's landing URL (`Cache-Control: no-store`). The visit is "
                "counted per day, once more per visitor and day (a salted hash that changes daily; no address "
                "or browser is stored); bots, link previews, HEAD requests and cancelled collaborations' "
                "links are not counted."
            ),
            404: OpenApiResponse(
                description="No collaboration has this code (`not_found`), or its campaign has no landing URL "
                "yet (`no_landing_page`). A browser gets the explanation as a page."
            ),
        },
        description="A collaboration's tracking link, to share in posts: public, no authentication.",
    )
    def get(self, request, code):
        collaboration = tracking.collaboration_for_code(code)
        if collaboration is None:
            raise UnknownTrackingLink()
        target = tracking.landing_url(collaboration)
        if target is None:
            raise NoLandingPage()
        tracking.click_record(
            collaboration=collaboration,
            address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
            method=request.method,
        )
        return HttpResponseRedirect(target)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        response["Referrer-Policy"] = REFERRER_POLICY
        response["X-Robots-Tag"] = "noindex"
        return response

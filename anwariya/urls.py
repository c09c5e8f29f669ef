from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from anwariya.api.exceptions import api_not_found
from anwariya.health import HealthView
from billing.api import BillInvoiceApi, BillViewSet, CreditNotePdfApi, CreditNoteViewSet
from billing.gst_summary_api import GstSummaryApi
from broadcasts.api.broadcasts import BroadcastViewSet
from broadcasts.api.deliveries import DeliveryLogApi
from campaigns.api import ApplicationViewSet, CampaignViewSet
from catalog.api import CategoryViewSet, GstRateListApi, ProductViewSet
from chat.api.chats import ChatViewSet
from chat.api.messages import MessageViewSet
from collaborations.api.collaborations import CollaborationViewSet
from collaborations.views.tracking import TrackingLinkView
from profiles.api import InfluencerViewSet, ProfileApi

router = SimpleRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("bills", BillViewSet, basename="bill")
router.register("credit-notes", CreditNoteViewSet, basename="credit-note")
router.register("influencers", InfluencerViewSet, basename="influencer")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("applications", ApplicationViewSet, basename="application")
router.register("broadcasts", BroadcastViewSet, basename="broadcast")
router.register("chats", ChatViewSet, basename="chat")
router.register("messages", MessageViewSet, basename="message")
router.register("collaborations", CollaborationViewSet, basename="collaboration")

api_v1 = [
    path("", include("accounts.api.urls")),
    path("bills/<int:pk>/invoice.pdf", BillInvoiceApi.as_view(), name="bill-invoice-pdf"),
    path("credit-notes/<int:pk>/credit-note.pdf", CreditNotePdfApi.as_view(), name="credit-note-pdf"),
    path("profile/", ProfileApi.as_view(), name="api-profile"),
    path("gst/rates/", GstRateListApi.as_view(), name="gst-rates"),
    path("gst/summary/", GstSummaryApi.as_view(), name="gst-summary"),
    # Before the router: "deliveries" is not a broadcast id (the router reads only digits as one).
    path("broadcasts/deliveries/", DeliveryLogApi.as_view(), name="delivery-log"),
    path("", include("analytics.api.urls")),
    path("", include("chat.api.urls")),
    path("", include("collaborations.api.urls")),
    *router.urls,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", HealthView.as_view(), name="healthz"),
    # A collaboration's tracking link (public; redirects to its campaign's landing URL only).
    # Any path after r/ reaches it, so a mistyped one is answered as a link (JSON or page), not elsewhere.
    path("r/<path:code>", TrackingLinkView.as_view(), name="tracking-link"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include(api_v1)),
    re_path(r"^api/", api_not_found),
    path("catalog/", include("catalog.urls")),
    path("", include("billing.urls")),
    path("chats/", include("chat.urls")),
    path("analytics/", include("analytics.urls")),
    path("", include("profiles.urls")),
    path("", include("broadcasts.urls")),
    path("collaborations/", include("collaborations.urls")),
    path("", include("campaigns.urls")),
    path("", include("accounts.urls")),
]

handler400 = "anwariya.views.bad_request"
handler403 = "anwariya.views.permission_denied"
handler404 = "anwariya.views.page_not_found"
handler500 = "anwariya.views.server_error"

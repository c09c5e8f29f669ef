from django.urls import path

from collaborations.views import collaborations as views
from collaborations.views import results

app_name = "collaborations"

urlpatterns = [
    path("", views.CollaborationListView.as_view(), name="collaboration-list"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("chat/<int:chat_pk>/", views.ForChatView.as_view(), name="for-chat"),
    path("<int:pk>/", views.CollaborationDetailView.as_view(), name="collaboration-detail"),
    path("<int:pk>/terms/new/", views.TermsSendView.as_view(), name="terms-send"),
    # deliverables
    # shipments
    # money: ledger and payouts
    # results
    path("results/", results.ResultsView.as_view(), name="results"),
    path("<int:pk>/<str:verb>/", views.CollaborationActionView.as_view(), name="collaboration-action"),
]

from django.urls import path

from campaigns import views, views_broadcasts

app_name = "campaigns"

urlpatterns = [
    path("influencers/<int:pk>/", views.InfluencerDetailView.as_view(), name="influencer-detail"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("campaigns/applications/", views.ApplicationListView.as_view(), name="application-list"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign-edit"),
    path("campaigns/<int:pk>/<str:verb>/", views.CampaignActionView.as_view(), name="campaign-action"),
    path("broadcasts/", views_broadcasts.BroadcastListView.as_view(), name="broadcast-list"),
    path("broadcasts/new/", views_broadcasts.BroadcastComposeView.as_view(), name="broadcast-create"),
    path("broadcasts/<int:pk>/", views_broadcasts.BroadcastDetailView.as_view(), name="broadcast-detail"),
    path("broadcasts/<int:pk>/edit/", views_broadcasts.BroadcastComposeView.as_view(), name="broadcast-edit"),
    path(
        "broadcasts/<int:pk>/deliveries/",
        views_broadcasts.BroadcastDeliveriesView.as_view(),
        name="broadcast-deliveries",
    ),
    path("broadcasts/<int:pk>/<str:verb>/", views_broadcasts.BroadcastActionView.as_view(), name="broadcast-action"),
    path("applications/<int:pk>/<str:verb>/", views.ApplicationActionView.as_view(), name="application-action"),
]

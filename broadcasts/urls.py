from django.urls import path

from broadcasts import views

app_name = "broadcasts"

urlpatterns = [
    path("broadcasts/", views.BroadcastListView.as_view(), name="broadcast-list"),
    # Before <int:pk>: the log is not a broadcast.
    path("broadcasts/deliveries/", views.DeliveryLogView.as_view(), name="delivery-log"),
    path("broadcasts/new/", views.BroadcastComposeView.as_view(), name="broadcast-create"),
    path("broadcasts/<int:pk>/", views.BroadcastDetailView.as_view(), name="broadcast-detail"),
    path("broadcasts/<int:pk>/edit/", views.BroadcastComposeView.as_view(), name="broadcast-edit"),
    path("broadcasts/<int:pk>/deliveries/", views.BroadcastDeliveriesView.as_view(), name="broadcast-deliveries"),
    path("broadcasts/<int:pk>/<str:verb>/", views.BroadcastActionView.as_view(), name="broadcast-action"),
]

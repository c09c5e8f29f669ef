from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("influencers/", views.DirectoryView.as_view(), name="directory"),
]

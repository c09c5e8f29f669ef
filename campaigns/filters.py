"""Filters over the influencer directory, shared by its API and by broadcast audiences."""

import django_filters

from accounts.models import User
from anwariya.api.filters import FilterSet
from campaigns.models import Availability, FollowerBand


class InfluencerFilter(FilterSet):
    niche = django_filters.CharFilter(field_name="influencer_profile__niches__slug", distinct=True)
    follower_band = django_filters.MultipleChoiceFilter(
        field_name="influencer_profile__follower_band", choices=FollowerBand.choices
    )
    min_engagement = django_filters.NumberFilter(
        field_name="influencer_profile__engagement_rate", lookup_expr="gte", min_value=0, max_value=100
    )
    content_type = django_filters.CharFilter(field_name="influencer_profile__content_formats__slug", distinct=True)
    country = django_filters.CharFilter(field_name="influencer_profile__country", lookup_expr="iexact")
    availability = django_filters.ChoiceFilter(
        field_name="influencer_profile__availability", choices=Availability.choices
    )

    class Meta:
        model = User
        fields = ["niche", "follower_band", "min_engagement", "content_type", "country", "availability"]

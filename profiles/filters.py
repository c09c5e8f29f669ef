"""How the influencer directory filters: one FilterSet for its page, its API and broadcast audiences."""

import operator
from functools import reduce

import django_filters
from django import forms
from django.db.models import Q
from django.utils.choices import CallableChoiceIterator
from rest_framework.filters import search_smart_split

from accounts.models import User
from anwariya.api.filters import FilterSet
from profiles.models import Availability, ContentFormat, FollowerBand, Niche

# What a search looks in; each word must appear in one of them (DRF's SearchFilter's rule).
SEARCH_FIELDS = ("display_name", "influencer_profile__bio", "influencer_profile__city")


def _managed_list_select(model, empty_label):
    """A drop-down of a managed list's slugs, read when the page renders (the API never does)."""
    return forms.Select(
        choices=CallableChoiceIterator(lambda: [("", empty_label), *model.objects.values_list("slug", "name")])
    )


class InfluencerFilter(FilterSet):
    # Labels belong to the page's form only (get_form_class): on a filter they would become the
    # API parameters' descriptions.
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="A search term.",
        widget=forms.TextInput(attrs={"placeholder": "Name, bio, city", "type": "search"}),
    )
    niche = django_filters.CharFilter(
        field_name="influencer_profile__niches__slug",
        distinct=True,
        widget=_managed_list_select(Niche, "Any niche"),
    )
    follower_band = django_filters.MultipleChoiceFilter(
        field_name="influencer_profile__follower_band",
        choices=FollowerBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    min_engagement = django_filters.NumberFilter(
        field_name="influencer_profile__engagement_rate",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"placeholder": "Min. engagement %", "step": "0.01"}),
    )
    content_type = django_filters.CharFilter(
        field_name="influencer_profile__content_formats__slug",
        distinct=True,
        widget=_managed_list_select(ContentFormat, "Any content"),
    )
    country = django_filters.CharFilter(
        field_name="influencer_profile__country",
        lookup_expr="iexact",
        widget=forms.TextInput(attrs={"placeholder": "Country"}),
    )
    availability = django_filters.ChoiceFilter(
        field_name="influencer_profile__availability", choices=Availability.choices, empty_label="Any availability"
    )

    FORM_LABELS = {
        "search": "Search",
        "niche": "Niche",
        "follower_band": "Followers",
        "min_engagement": "Minimum engagement (%)",
        "content_type": "Content type",
        "country": "Country",
        "availability": "Availability",
    }

    class Meta:
        model = User
        fields = ["search", "niche", "follower_band", "min_engagement", "content_type", "country", "availability"]

    def get_form_class(self):
        form_class = super().get_form_class()
        for name, label in self.FORM_LABELS.items():
            field = form_class.base_fields[name]  # this FilterSet's own copy
            field.label, field.help_text = label, ""
        return form_class

    def filter_search(self, queryset, name, value):
        terms = search_smart_split(value)
        if not terms:
            return queryset
        matches = (
            reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in SEARCH_FIELDS)) for term in terms
        )
        return queryset.filter(reduce(operator.and_, matches))

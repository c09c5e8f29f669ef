"""Filtering a page's list exactly as its API filters it: the same FilterSet, and DRF's search."""

from django.http import QueryDict
from rest_framework.filters import SearchFilter
from rest_framework.request import Request


class _SearchedView:
    """What DRF's ``SearchFilter`` reads from a view: the fields it searches."""

    def __init__(self, search_fields):
        self.search_fields = search_fields


def filter_page_list(request, queryset, filterset_class):
    """Filter ``queryset`` by the page's query as the list API does: the API's ``filterset_class``
    and, for ``?search=``, DRF's search over the FilterSet's ``search_fields``.

    A form sends every field, the unchosen ones empty: those are left out (the API refuses an
    empty filter). The FilterSet's ``page_defaults`` stand in for a filter the query does not name
    at all (a select left as it was still names its filter). A bad value is shown on the form and
    skipped; the valid ones still apply. Returns the bound FilterSet (for its ``form``), the
    filtered list and the search term.
    """
    data = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if chosen := [value for value in values if value != ""]:
            data.setlist(name, chosen)
    for name, value in getattr(filterset_class, "page_defaults", {}).items():
        if name not in request.GET:
            data[name] = value
    filterset = filterset_class(data, queryset=queryset, request=request)
    filterset.is_valid()
    filtered = filterset.qs
    search = request.GET.get(SearchFilter.search_param, "").strip()
    if search and getattr(filterset_class, "search_fields", None):
        view = _SearchedView(filterset_class.search_fields)
        filtered = SearchFilter().filter_queryset(Request(request), filtered, view)
    return filterset, filtered, search

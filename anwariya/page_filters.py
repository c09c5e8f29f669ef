"""A page's list: filtered exactly as its API filters it (the same FilterSet, and DRF's search), and paged."""

from types import SimpleNamespace

from django.http import QueryDict
from rest_framework.filters import SearchFilter


def filter_page_list(request, queryset, filterset_class):
    """Filter ``queryset`` by the page's query as the list API does: the API's ``filterset_class``
    and, for ``?search=``, DRF's search over the FilterSet's ``search_fields``.

    A form sends every field, the unchosen ones empty: those are left out (the API refuses an
    empty filter). The FilterSet's ``page_defaults`` stand in for a filter the query does not name
    at all (a select left as it was still names its filter). Links made before the pages shared
    the API's names still work: ``?q=`` is read as ``?search=``, and the FilterSet's
    ``page_query(query)``, if it has one, reads its own old names. A bad value is shown on the
    form and skipped; the valid ones still apply. Returns the bound FilterSet (for its ``form``),
    the filtered list and the search term.
    """
    query = request.GET.copy()
    if "q" in query and "search" not in query:
        query["search"] = query.pop("q")[-1]  # every page's search box was ``?q=`` before
    if hasattr(filterset_class, "page_query"):
        query = filterset_class.page_query(query)
    data = QueryDict(mutable=True)
    for name, values in query.lists():
        if chosen := [value for value in values if value != ""]:
            data.setlist(name, chosen)
    for name, value in getattr(filterset_class, "page_defaults", {}).items():
        if name not in query:
            data[name] = value
    filterset = filterset_class(data, queryset=queryset, request=request)
    filterset.is_valid()
    filtered = filterset.qs
    search = data.get(SearchFilter.search_param, "").strip()
    if search and getattr(filterset_class, "search_fields", None):
        searched = SimpleNamespace(query_params=data)  # what SearchFilter reads of the request
        view = SimpleNamespace(search_fields=filterset_class.search_fields)  # and of the view
        filtered = SearchFilter().filter_queryset(searched, filtered, view)
    return filterset, filtered, search


def query_without_page(request) -> str:
    """The list's query string without its page number: what the pagination links carry along."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

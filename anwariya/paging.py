"""Paged lists on the pages."""


def query_without_page(request) -> str:
    """The list's query string without its page number: what the pagination links carry along."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

import re

from rest_framework import pagination, serializers

WHOLE_NUMBER = re.compile(r"[0-9]+")
HUGE = 10**18  # any longer number means "past the end" or "as many as allowed"


def positive_int_param(request, name):
    """The query parameter ``name`` as a whole number of at least 1, ``None`` when absent, else a 400
    naming it: ``?page_size=false`` or ``?page=0`` is refused rather than silently replaced."""
    value = request.query_params.get(name)
    if value is None:
        return None
    digits = value.lstrip("0")
    if not WHOLE_NUMBER.fullmatch(value) or not digits:
        raise serializers.ValidationError({name: ["Give a whole number of at least 1."]})
    return HUGE if len(digits) > 18 else int(digits)


class StrictPageSizeMixin:
    """``?page_size=M``: a whole number from 1; above ``max_page_size`` it is capped, so no list
    answer is unbounded."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        size = positive_int_param(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Number of results per page (default {self.page_size}; at most {self.max_page_size}, "
                    "a larger size gives that many)."
                )
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """``?page=N&page_size=M``; a page past the last is 404."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return positive_int_param(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """``?cursor=...`` from ``next``/``previous``; ``?page_size=M`` as on every list."""

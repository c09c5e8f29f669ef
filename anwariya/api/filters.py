import django_filters
from django import forms
from django.core import validators
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# The largest id a 64-bit primary key can hold; larger numbers cannot name a row.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related row: a whole number in the range of a primary key (else 400).
    An id that names no row matches nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """A django-filter FilterSet that reads the query as the schema types it.

    django-filter's forms ignore a filter given empty (``?start=``) and a boolean they cannot read
    (``?is_active=null``), answering the unfiltered list; here both are a 400 naming the filter.
    An empty text filter (``?customer=``) is a valid text and filters nothing out.
    """

    def is_valid(self):
        valid = super().is_valid()
        if not getattr(self, "_strict_checked", False):
            self._strict_checked = True
            for name, problem in self._strict_problems():
                self.form.add_error(name, problem)
        return valid and not self.form.errors

    def _strict_problems(self):
        for name, filter_ in self.filters.items():
            if name not in self.data:
                continue
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
            if any(value == "" for value in values) and type(filter_) is not django_filters.CharFilter:
                yield name, "Give a value, or leave this filter out."  # an empty text is a text
            elif isinstance(filter_, django_filters.BooleanFilter) and any(
                str(value).lower() not in ("true", "false") for value in values
            ):
                yield name, "Must be true or false."


class BoundedFilterExtension(DjangoFilterExtension):
    """django-filter's schema, plus the bounds each filter's form field enforces (``min_value``,
    ``max_value``, django-filter's own cap on numbers, ``max_length``), so what the schema allows
    is what the filter accepts."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        bounds = _bounds(filter_field.field)
        for parameter in parameters:
            schema = parameter["schema"]
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            for key, value in bounds.items():
                if key in ("minLength", "maxLength") and target.get("type") != "string":
                    continue
                target.setdefault(key, value)
        return parameters


def _bounds(field):
    bounds = {}
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            bounds["minimum"] = max(validator.limit_value, bounds.get("minimum", validator.limit_value))
        elif isinstance(validator, validators.MaxValueValidator):
            bounds["maximum"] = min(validator.limit_value, bounds.get("maximum", validator.limit_value))
        elif isinstance(validator, validators.MaxLengthValidator):
            bounds["maxLength"] = validator.limit_value
    return {key: _number(value) for key, value in bounds.items()}


def _number(value):
    """A JSON number: exact for whole numbers in the range of an id, else a float (1e50)."""
    return int(value) if abs(value) <= MAX_ID and value == int(value) else float(value)

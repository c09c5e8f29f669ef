"""Input serializers read exactly what the schema documents.

DRF is lenient where the schema is not: a text field takes ``5`` and stores ``"5"``, an integer
field takes ``"5"``, a decimal takes ``1e2``, and in a form or query string an optional field
sent empty counts as not sent (so ``display_name=`` in a multipart PATCH was ignored, 200, where
``{"display_name": ""}`` is refused, 400). ``StrictInputMixin`` refuses all of that with the field
named, so what the API accepts is what its schema allows, for JSON, forms and query strings alike.

``BuiltFieldsMixin`` is for output: a model serializer read on every sale builds its fields once.
"""

import copy
import re
from decimal import Decimal

from rest_framework import relations, serializers
from rest_framework.utils import html

# JSON types by field class, most specific first.
_EXPECTED_TYPES = [
    ((serializers.ListField, serializers.DictField, serializers.JSONField, serializers.HiddenField), None),
    # DRF takes any iterable for these, an object's keys included: in JSON they are arrays.
    ((relations.ManyRelatedField, serializers.MultipleChoiceField), (list,)),
    (serializers.BaseSerializer, None),
    (serializers.BooleanField, (bool,)),
    (serializers.ChoiceField, (str,)),
    ((serializers.IntegerField, relations.PrimaryKeyRelatedField), (int,)),
    (serializers.FloatField, (int, float)),
    (serializers.DecimalField, (str,)),  # amounts are decimal strings ("199.50"), as the API answers them
    (
        (
            serializers.CharField,
            serializers.DateField,
            serializers.DateTimeField,
            serializers.TimeField,
            serializers.DurationField,
            relations.SlugRelatedField,
        ),
        (str,),
    ),
]
_TYPE_NAMES = {bool: "a boolean", str: "a string", int: "an integer", float: "a number", list: "an array"}


def _not_space_class():
    """A character class of what ``str.strip()`` keeps, spelled out: ``\\S`` means other things in
    other regex dialects (ECMA's ``\\s`` lacks U+001C..U+001F and U+0085, and has U+FEFF)."""
    spaces = [code for code in range(0x3001) if chr(code).isspace()]
    ranges, start = [], spaces[0]
    for previous, code in zip(spaces, [*spaces[1:], None], strict=True):
        if code != previous + 1:
            ranges.append(f"\\u{start:04x}" + (f"-\\u{previous:04x}" if previous != start else ""))
            start = code
    return f"[^{''.join(ranges)}]"


# A text that is not blank once the server has stripped it holds one of these.
NOT_BLANK_PATTERN = _not_space_class()


def decimal_pattern(field):
    """The decimal strings ``field`` accepts, as a regular expression: no sign when it may not be
    negative, at most its whole and decimal digits, and below a power of ten when that is its cap."""
    places = field.decimal_places or 0
    whole = (field.max_digits - places) if field.max_digits is not None else None
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    fraction = rf"(?:\.[0-9]{{0,{places}}})?" if places else ""
    digits = rf"[0-9]{{1,{whole}}}" if whole else "[0-9]+"
    number = rf"0*{digits}{fraction}"
    if places:
        number += rf"|\.[0-9]{{1,{places}}}"
    cap = field.max_value
    if cap is not None and whole and cap < 10**whole:
        power = len(str(int(cap))) - 1
        if Decimal(cap) == 10**power:  # e.g. a percentage: 0 to 100
            zeros = rf"(?:\.0{{0,{places}}})?" if places else ""
            number = rf"0*[0-9]{{1,{power}}}{fraction}|0*1{'0' * power}{zeros}" + (
                rf"|\.[0-9]{{1,{places}}}" if places else ""
            )
    return rf"^{sign}(?:{number})$"


class StrictInputMixin:
    # For JSON: each value has its field's JSON type (strings for text, dates and amounts, integers
    # for ids and counts, booleans for flags). For forms and query strings: an empty value is
    # validated like any other, and a boolean is ``true`` or ``false``. (A comment, not a docstring:
    # the schema would show a docstring as the description of every serializer using the mixin.)

    def to_internal_value(self, data):
        errors, blanks = self._type_errors(data)
        validated = None
        try:
            validated = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors = {**exc.detail, **errors}
        for field in blanks:
            try:
                value = field.run_validation("")
            except serializers.ValidationError as exc:
                errors.setdefault(field.field_name, exc.detail)
            else:
                if validated is not None:
                    self.set_value(validated, field.source_attrs, value)
        if errors:
            raise serializers.ValidationError(errors)
        return validated

    def _type_errors(self, data):
        """Errors for values of the wrong type, and the fields given empty in a form (see above)."""
        errors, blanks = {}, []
        if not hasattr(data, "get"):
            return errors, blanks  # not an object: the serializer says so itself
        form = html.is_html_input(data)
        for field in self._writable_fields:
            if field.field_name not in data:
                continue
            value = data.get(field.field_name)
            if form:
                if (
                    value == ""
                    # Scalar fields only: list and nested fields read forms their own way.
                    and type(field).get_value is serializers.Field.get_value
                    and not field.required
                    and not field.allow_null
                    and not getattr(field, "allow_blank", False)
                ):
                    blanks.append(field)
                elif isinstance(field, serializers.BooleanField) and str(value).lower() not in ("true", "false"):
                    errors[field.field_name] = ["Must be true or false."]
                elif isinstance(field, serializers.DecimalField) and value and not _is_decimal(field, value):
                    errors[field.field_name] = [_decimal_message(field)]
                elif message := _length_problem(field, value):
                    errors[field.field_name] = [message]
                continue
            message = _json_type_problem(field, value) or _length_problem(field, value)
            if message:
                errors[field.field_name] = [message]
        return errors, blanks


def _json_type_problem(field, value):
    if value is None:
        return None  # allowed or refused by the field itself (allow_null)
    types = next((types for classes, types in _EXPECTED_TYPES if isinstance(field, classes)), None)
    if types is None:
        return None
    if isinstance(value, bool) and bool not in types:
        return f"Incorrect type: expected {_TYPE_NAMES[types[0]]}, got a boolean."
    if not isinstance(value, types):
        return f"Incorrect type: expected {_TYPE_NAMES[types[0]]}."
    if isinstance(field, serializers.DecimalField) and not _is_decimal(field, value):
        return _decimal_message(field)
    return None


def _length_problem(field, value):
    """DRF strips a text before checking its length; the schema's maxLength counts what was sent."""
    limit = getattr(field, "max_length", None)
    if isinstance(field, serializers.CharField) and isinstance(value, str) and limit is not None and len(value) > limit:
        return f"Ensure this field has no more than {limit} characters."
    return None


def _is_decimal(field, value):
    return bool(re.fullmatch(decimal_pattern(field), str(value)))


def _decimal_message(field):
    places = field.decimal_places or 0
    example = "199" + ("." + "5" * places if places else "")
    return f"Give a number written like {example}, with at most {places} decimal places, in range."


class BuiltFieldsMixin:
    # For a ModelSerializer that is read often (a sale's response, list pages): DRF builds its
    # fields from the model's for every instance, which costs more than turning the row into
    # JSON. They are built once per class here and copied for each instance, the way DRF copies
    # declared fields. Only for serializers whose fields do not depend on the instance or the
    # context. (A comment, not a docstring: the schema would show it as every user's description.)

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return copy.deepcopy(built)

"""The API's body parsers (the DRF defaults): DRF's, plus the checks of ``anwariya.inputs``.

JSON nested too deep is a 400 ``parse_error``; a string holding NUL or a lone surrogate, in
JSON, form or multipart bodies alike, is a 400 ``invalid`` naming its field
(``{"niches": {"0": ["Null characters are not allowed."]}}``).
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from anwariya import inputs


class JSONParser(parsers.JSONParser):
    refuse_unstorable_text = True

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"JSON parse error - the body is not {encoding}: {error}") from None
        try:
            return inputs.json_loads(text, check_text=self.refuse_unstorable_text)
        except inputs.MalformedJSON as error:
            # A ParseError, as DRF's own parser raises, so views that catch it keep working.
            raise ParseError(f"JSON parse error - {error.detail}") from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        inputs.check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        inputs.check_form(parsed.data)
        return parsed


class JSONDepthOnlyParser(JSONParser):
    """JSON with the depth limit only, for a sender that must get a 2xx for whatever it sends (a
    webhook retries every refusal); its view checks the text itself with ``inputs.check_data``."""

    refuse_unstorable_text = False

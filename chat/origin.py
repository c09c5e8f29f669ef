from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    """Refuse sockets opened by pages of other sites; allow clients that send no Origin.

    Browsers always send ``Origin``, so a foreign page riding on our session cookie is refused.
    Native mobile clients often send none; they authenticate with a JWT, not a cookie.
    """

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or super().valid_origin(parsed_origin)


def BrowserOriginValidatorFromSettings(application):
    hosts = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return BrowserOriginValidator(application, hosts)

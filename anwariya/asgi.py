"""ASGI entry point: HTTP through Django, websockets through Channels (served by daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anwariya.settings")

# Django must be set up before anything imports models (the websocket routes do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from anwariya.http_server import leave_body_parsing_to_django  # noqa: E402
from anwariya.routing import websocket_urlpatterns  # noqa: E402
from chat.auth import ChatAuthMiddlewareStack  # noqa: E402
from chat.origin import BrowserOriginValidatorFromSettings  # noqa: E402

# Under daphne, bodies Twisted could not parse as forms were answered with a bare 400 (anwariya/http_server.py).
leave_body_parsing_to_django()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": BrowserOriginValidatorFromSettings(ChatAuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

"""daphne serves HTTP through Twisted, whose request parses a POSTed form body itself before daphne
hands the raw body to Django. Twisted's multipart parser refuses bodies Django reads or answers
well (no boundary, no parts, an empty body), and Twisted then answers a bare 400 with no body and
no log line: the request never reached the app. daphne never reads what Twisted parsed, so the
parsing is turned off and Django alone reads the body.
"""

from daphne import http_protocol


class WebRequest(http_protocol.WebRequest):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read by Twisted's Request.requestReceived: whether to parse form bodies into request.args.
        self._parsePOSTFormSubmission = False


def leave_body_parsing_to_django():
    """Make daphne build its requests from ``WebRequest`` (it looks the class up per connection)."""
    http_protocol.WebRequest = WebRequest

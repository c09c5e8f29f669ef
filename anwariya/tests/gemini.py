"""A fake Gemini REST endpoint for the tests of ``anwariya.gemini``'s callers (analytics' insights,
chat's reply suggestions): google-genai's real client, request and parsing, with an
``httpx2.MockTransport`` in place of the socket."""

import json

import httpx2

MODEL = "gemini-2.5-flash"


def gemini_reply(payload, *, status=200):
    """A ``generateContent`` answer whose text part is ``payload`` (JSON-encoded unless a string)."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return httpx2.Response(
        status,
        json={
            "candidates": [
                {"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}
            ],
            "usageMetadata": {"promptTokenCount": 412, "candidatesTokenCount": 230, "totalTokenCount": 642},
            "modelVersion": MODEL,
            "responseId": "fake-response-1",
        },
    )


class FakeGeminiEndpoint:
    """Answers every request with ``respond(request)`` and records the requests."""

    def __init__(self, answer):
        self.requests = []
        self.respond = lambda request: gemini_reply(answer)

    def __call__(self, request):
        self.requests.append(request)
        return self.respond(request)

    def transport(self):
        return httpx2.MockTransport(self)

    def prompt(self, index=-1):
        return json.loads(self.requests[index].content)["contents"][0]["parts"][0]["text"]

"""Helpers for API tests."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def api_client(user=None):
    """An API client, logged in with a JWT for ``user`` when given."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def assert_error(response, status, field=None):
    """The response is the house error body with this status (and names ``field``)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], dict)
    if field is not None:
        assert field in body["errors"], body
        assert body["errors"][field]
    return body

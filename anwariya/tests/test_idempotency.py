import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import VendorFactory
from anwariya.models import IdempotencyKey
from anwariya.tests import idempotency_urls
from anwariya.tests.api import api_client, assert_error

pytestmark = pytest.mark.urls("anwariya.tests.idempotency_urls")


@pytest.fixture(autouse=True)
def _reset_effects():
    idempotency_urls.effects.clear()


@pytest.mark.django_db
def test_same_key_same_body_replays_first_response():
    client = api_client(VendorFactory())
    first = client.post("/orders/", {"item": "tea", "quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/orders/", {"quantity": 2, "item": "tea"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert len(idempotency_urls.effects) == 1


@pytest.mark.django_db
def test_same_key_different_body_is_422():
    client = api_client(VendorFactory())
    client.post("/orders/", {"item": "tea", "quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1")
    response = client.post("/orders/", {"item": "tea", "quantity": 3}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert_error(response, 422, "Idempotency-Key")
    assert len(idempotency_urls.effects) == 1


@pytest.mark.django_db
def test_same_key_on_another_endpoint_is_422():
    client = api_client(VendorFactory())
    client.post("/orders/", {"item": "tea", "quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert_error(client.post("/other/", {"item": "tea", "quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1"), 422)


@pytest.mark.django_db
def test_keys_are_per_user():
    first = api_client(VendorFactory()).post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="k")
    second = api_client(VendorFactory()).post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="k")
    assert first.json()["order"] != second.json()["order"]
    assert len(idempotency_urls.effects) == 2


@pytest.mark.django_db
def test_without_key_every_request_acts():
    client = api_client(VendorFactory())
    client.post("/orders/", {"item": "tea", "quantity": 1})
    client.post("/orders/", {"item": "tea", "quantity": 1})
    assert len(idempotency_urls.effects) == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_key_longer_than_255_is_400():
    client = api_client(VendorFactory())
    response = client.post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert_error(response, 400, "Idempotency-Key")
    assert idempotency_urls.effects == []
    ok = client.post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="x" * 255)
    assert ok.status_code == 201


@pytest.mark.django_db
def test_validation_errors_are_replayed_too():
    client = api_client(VendorFactory())
    first = client.post("/orders/", {"item": "tea", "quantity": 0}, HTTP_IDEMPOTENCY_KEY="bad")
    second = client.post("/orders/", {"item": "tea", "quantity": 0}, HTTP_IDEMPOTENCY_KEY="bad")
    assert_error(first, 400, "quantity")
    assert second.json() == first.json()


@pytest.mark.django_db
def test_server_error_releases_the_key():
    client = api_client(VendorFactory())
    client.raise_request_exception = False
    assert client.post("/crash/", {}, HTTP_IDEMPOTENCY_KEY="c").status_code == 500
    assert client.post("/crash/", {}, HTTP_IDEMPOTENCY_KEY="c").status_code == 500
    assert idempotency_urls.effects == ["crash", "crash"]
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_expired_key_acts_again_and_prune_removes_old_keys(settings):
    client = api_client(VendorFactory())
    client.post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    client.post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="old")
    assert len(idempotency_urls.effects) == 2

    client.post("/orders/", {"item": "tea", "quantity": 1}, HTTP_IDEMPOTENCY_KEY="stale")
    IdempotencyKey.objects.filter(key="stale").update(created_at=timezone.now() - timedelta(hours=25))
    call_command("prune_idempotency_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["old"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_key_act_once_and_answer_alike():
    user = VendorFactory()
    responses = []
    barrier = threading.Barrier(10)

    def send():
        client = api_client(user)
        barrier.wait()
        response = client.post("/orders/", {"item": "tea", "quantity": 1, "slow": True}, HTTP_IDEMPOTENCY_KEY="p")
        responses.append((response.status_code, response.json()))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(idempotency_urls.effects) == 1
    assert len(responses) == 10
    assert {status for status, _ in responses} == {201}
    assert all(body == responses[0][1] for _, body in responses)

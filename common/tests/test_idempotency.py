"""Idempotency-Key on the unsafe requests that must not happen twice."""

import pytest

from common.testing import API, assert_error
from customers.models import Address
from customers.tests.factories import address_data
from orders.models import Refund
from orders.tests.factories import place

pytestmark = pytest.mark.django_db


def test_same_key_and_body_answers_the_first_answer_and_does_nothing_again(client_for, shopper):
    client = client_for(shopper)
    order = place(shopper)
    url = f"{API}/orders/{order.number}/cancel"
    body = {"cancellation_reason": "Twice by mistake", "refund_mode": "original-payment-mode"}
    first = client.post(url, body, format="json", headers={"Idempotency-Key": "cancel-1"})
    again = client.post(url, body, format="json", headers={"Idempotency-Key": "cancel-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Refund.objects.filter(order=order).count() == 1
    # Without the key, the repeat is an honest conflict.
    assert_error(client.post(url, body, format="json"), 409, "not_cancellable")


def test_same_key_with_another_body_is_a_conflict(client_for, shopper):
    client = client_for(shopper)
    url = f"{API}/customers/{shopper.id}/addresses"
    assert client.post(url, address_data(), format="json", headers={"Idempotency-Key": "a1"}).status_code == 200
    other = client.post(
        url, address_data(city="Mysuru", pincode="570001"), format="json", headers={"Idempotency-Key": "a1"}
    )
    assert_error(other, 409, "idempotency_key_reused")
    assert Address.objects.filter(customer=shopper).count() == 1


def test_a_failed_request_can_be_retried_with_the_same_key(client_for, shopper):
    client = client_for(shopper)
    url = f"{API}/customers/{shopper.id}/addresses"
    bad = address_data(state="Narnia")
    assert_error(client.post(url, bad, format="json", headers={"Idempotency-Key": "a2"}), 400, "validation_error")
    assert (
        client.post(url, bad | {"state": "Karnataka"}, format="json", headers={"Idempotency-Key": "a3"}).status_code
        == 200
    )
    assert_error(client.post(url, bad, format="json", headers={"Idempotency-Key": "a2"}), 400, "validation_error")


def test_keys_are_per_shopper(client_for, shopper, other_shopper):
    url_a = f"{API}/customers/{shopper.id}/addresses"
    url_b = f"{API}/customers/{other_shopper.id}/addresses"
    assert (
        client_for(shopper).post(url_a, address_data(), format="json", headers={"Idempotency-Key": "k"}).status_code
        == 200
    )
    assert (
        client_for(other_shopper)
        .post(url_b, address_data(), format="json", headers={"Idempotency-Key": "k"})
        .status_code
        == 200
    )
    assert Address.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_with_one_key_run_once(client_for, shopper):
    from common.testing import run_together

    order = place(shopper)
    url = f"{API}/orders/{order.number}/cancel"
    body = {"cancellation_reason": "Double tap", "refund_mode": "original-payment-mode"}
    statuses = []

    def cancel():
        client = client_for(shopper)
        response = client.post(url, body, format="json", headers={"Idempotency-Key": "tap"})
        statuses.append((response.status_code, response.json().get("code")))

    errors = run_together(*[cancel for _ in range(8)])
    assert errors == []
    assert all(s in ((200, None), (409, "request_in_progress")) for s in statuses), statuses
    assert (200, None) in statuses and (409, "not_cancellable") not in statuses
    assert Refund.objects.filter(order=order).count() == 1


def test_multipart_uploads_replay_and_conflict_by_their_fields_and_files(client_for, shopper):
    from common.tests.imagefiles import jpeg_with_gps, upload
    from orders.tests.factories import delivered
    from reviews.models import Review

    order = delivered(shopper, quantities=(1,))
    url = f"{API}/catalog/products/{order.items.get().product_id}/reviews"
    client = client_for(shopper)

    def post(image: bytes, text="Lovely"):
        body = {"rating": "5", "review_text": text, "images": [upload(image)]}
        return client.post(url, body, format="multipart", headers={"Idempotency-Key": "review-1"})

    first = post(jpeg_with_gps())
    assert first.status_code == 200, first.json()
    again = post(jpeg_with_gps())
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert_error(post(jpeg_with_gps(color=(0, 0, 255))), 409, "idempotency_key_reused")  # another file
    assert_error(post(jpeg_with_gps(), text="Changed"), 409, "idempotency_key_reused")  # another field
    assert Review.objects.filter(customer=shopper).count() == 1


def test_a_cache_failure_after_the_write_answers_the_write(client_for, shopper, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def cache_gone(*args, **kwargs):
        raise RedisConnectionError("Redis went away")

    monkeypatch.setattr(cache, "set", cache_gone)  # get/add still answer: Redis died mid-request
    client = client_for(shopper)
    response = client.post(
        f"{API}/customers/{shopper.id}/addresses", address_data(), format="json", headers={"Idempotency-Key": "a-late"}
    )
    assert response.status_code == 200, response.json()
    assert Address.objects.filter(customer=shopper).count() == 1

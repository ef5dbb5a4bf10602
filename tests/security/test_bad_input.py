"""Issue 16, item 6: hostile input is a 4xx in the error envelope, never a 500.

Found against the production profile on PostgreSQL: a page number beyond 64 bits, a NUL byte
(PostgreSQL refuses it in text), a 100,000-deep JSON body (RecursionError) and a JSON body
between Django's 2.5 MB form limit and our 26 MB cap each answered 500.
"""

import json

import pytest
from django.test import Client

from accounts.models import AuthSession
from common.testing import API, PASSWORD, assert_error
from customers.models import Address
from customers.tests.factories import address_data, make_address
from orders.models import Order
from orders.tests.factories import place, products
from reviews.models import Review

HUGE = "10000000000000000000000"  # more than a PostgreSQL bigint can hold


@pytest.fixture
def product(db):
    return products(1)[0]


@pytest.fixture
def shopper_api(shopper, client_for):
    make_address(shopper)
    place(shopper)
    return client_for(shopper)


def _lists(user, product):
    return [
        f"{API}/orders?user_id={user.id}",
        f"{API}/orders/returns?",
        f"{API}/customers/{user.id}/addresses?",
        f"{API}/customers/{user.id}/bank-accounts?",
        f"{API}/customers/{user.id}/loyalty-points-activity?",
        f"{API}/catalog/products/{product.id}/reviews?",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_an_absurd_page_number_is_a_validation_error_on_every_list(shopper, shopper_api, product, index):
    url = _lists(shopper, product)[index]
    body = assert_error(shopper_api.get(f"{url}&page={HUGE}"), 400, "validation_error")
    assert "page" in body["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_a_page_past_the_end_is_an_empty_last_page(shopper, shopper_api, product, index):
    url = _lists(shopper, product)[index]
    response = shopper_api.get(f"{url}&page=1000000&limit=100")
    assert response.status_code == 200, response.json()
    content = response.json()["content"]
    pagination = content["pagination"]
    assert pagination["current_page"] == 1000000 and pagination["next_page"] is None
    assert pagination["previous_page"] == 999999
    listed = [value for key, value in content.items() if isinstance(value, list)]
    assert listed and all(items == [] for items in listed)


@pytest.mark.django_db
def test_a_deeply_nested_sort_by_is_a_bad_request(shopper, shopper_api):
    sort_by = "[" * 5000 + "]" * 5000
    assert_error(shopper_api.get(f"{API}/orders", {"user_id": shopper.id, "sort_by": sort_by}), 400, "bad_request")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/orders/%00", "/orders/%00/shipments", "/catalog/products/%00/reviews", "/orders/ORD%00X"],
)
def test_a_nul_byte_in_an_api_path_is_a_bad_request(shopper_api, path):
    assert_error(shopper_api.get(f"{API}{path}"), 400, "bad_request")


@pytest.mark.django_db
def test_a_nul_byte_in_a_public_path_is_a_bad_request_without_a_token():
    assert_error(Client().get(f"{API}/catalog/products/%00/reviews"), 400, "bad_request")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00", "sort_by=%00", "status=%00", "user_id=%00", "page=1%00"])
def test_a_nul_byte_in_a_query_parameter_is_a_bad_request(shopper, shopper_api, query):
    assert_error(shopper_api.get(f"{API}/orders?{query}"), 400, "bad_request")


@pytest.mark.django_db
def test_a_nul_byte_in_a_query_parameter_name_is_a_bad_request(shopper, shopper_api):
    assert_error(shopper_api.get(f"{API}/orders?user_id={shopper.id}&st%00atus=x"), 400, "bad_request")


@pytest.mark.django_db
def test_a_nul_byte_in_a_json_string_is_a_bad_request_and_nothing_is_written(shopper, shopper_api):
    before = Address.objects.count()
    data = address_data(nickname="Ho\u0000me")
    response = shopper_api.post(f"{API}/customers/{shopper.id}/addresses", data, format="json")
    assert_error(response, 400, "bad_request")
    # Also inside nested objects and in keys, where no serializer field would look.
    nested = {"notification_preferences": {"transactional": {"email\u0000": True}}}
    response = shopper_api.put(f"{API}/auth/user/{shopper.id}/notification-preferences", nested, format="json")
    assert_error(response, 400, "bad_request")
    order = Order.objects.filter(customer=shopper).first()
    response = shopper_api.post(
        f"{API}/orders/{order.number}/retry-payment",
        {"payment_method": {"method": "card", "x": ["\u0000"]}},
        format="json",
    )
    assert_error(response, 400, "bad_request")
    assert Address.objects.count() == before


@pytest.mark.django_db
def test_a_nul_byte_in_a_multipart_field_is_a_bad_request(shopper, shopper_api, product):
    response = shopper_api.post(
        f"{API}/catalog/products/{product.id}/reviews",
        {"rating": "5", "review_text": "Lovely\x00", "tags": ["ok\x00"]},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("bad_request", "validation_error")
    assert not Review.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/orders/%00/", "/account/addresses/%00/", "/account/orders/?page=%00"])
def test_a_nul_byte_in_a_website_url_is_a_plain_400(shopper, path):
    client = Client(raise_request_exception=False)
    client.force_login(shopper)
    response = client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_in_a_website_form_field_is_a_400_and_nothing_is_written(shopper):
    client = Client(raise_request_exception=False)
    client.force_login(shopper)
    before = Address.objects.count()
    response = client.post("/account/addresses/new/", address_data(nickname="Ho\x00me", pincode="56\x000001"))
    assert response.status_code == 400
    assert Address.objects.count() == before


@pytest.mark.django_db
def test_a_deeply_nested_json_body_is_a_bad_request(api):
    body = "[" * 100_000 + "]" * 100_000
    response = api.post(f"{API}/auth/login/password", body, content_type="application/json")
    assert_error(response, 400, "bad_request")
    body = '{"a":' * 100_000 + "1" + "}" * 100_000
    response = api.post(f"{API}/auth/login/password", body, content_type="application/json")
    assert_error(response, 400, "bad_request")


@pytest.mark.django_db
def test_a_json_body_over_the_form_limit_is_request_too_large(shopper, api):
    # Between Django's 2.5 MB DATA_UPLOAD_MAX_MEMORY_SIZE and our 26 MB cap.
    padding = "x" * (3 * 1024 * 1024)
    body = json.dumps({"email": shopper.email, "password": PASSWORD, "padding": padding})
    response = api.post(f"{API}/auth/login/password", body, content_type="application/json")
    assert_error(response, 413, "request_too_large")
    assert not AuthSession.objects.filter(user=shopper).exists()


@pytest.mark.django_db
def test_a_large_json_body_with_an_idempotency_key_is_request_too_large(shopper, shopper_api):
    order = place(shopper)
    body = json.dumps({"payment_method": "card", "padding": "x" * (3 * 1024 * 1024)})
    response = shopper_api.post(
        f"{API}/orders/{order.number}/retry-payment",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="retry-1",
    )
    assert_error(response, 413, "request_too_large")


@pytest.mark.django_db
def test_a_large_website_form_is_request_too_large(shopper):
    client = Client(raise_request_exception=False)
    client.force_login(shopper)
    response = client.post(
        "/account/profile/name/",
        "first_name=" + "x" * (3 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_a_small_json_body_still_works(shopper, api):
    response = api.post(f"{API}/auth/login/password", {"email": shopper.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()


def _noise_png(side: int) -> bytes:
    """A PNG that does not compress: side x side x 3 bytes of noise (1000 -> about 3 MB)."""
    import io
    import os as _os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), _os.urandom(side * side * 3)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("idempotency_key", [None, "review-1"])
def test_a_multipart_upload_over_the_form_limit_still_works(shopper, client_for, idempotency_key):
    from common.tests.imagefiles import upload
    from orders.tests.factories import delivered

    order = delivered(shopper, quantities=(1,))
    product_id = order.items.get().product_id
    photos = [upload(_noise_png(700), name=f"p{n}.png", content_type="image/png") for n in range(2)]
    assert sum(photo.size for photo in photos) > 2.5 * 1024 * 1024
    headers = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key else {}
    response = client_for(shopper).post(
        f"{API}/catalog/products/{product_id}/reviews",
        {"rating": "5", "review_text": "Lovely", "images": photos},
        format="multipart",
        **headers,
    )
    assert response.status_code == 200, response.json()
    assert len(response.json()["content"]["review"]["images"]) == 2


@pytest.mark.django_db
def test_a_profile_picture_over_the_form_limit_still_uploads(shopper, client_for):
    from common.tests.imagefiles import upload

    photo = upload(_noise_png(1000), name="me.png", content_type="image/png")
    assert photo.size > 2.5 * 1024 * 1024
    response = client_for(shopper).post(
        f"{API}/auth/user/{shopper.id}/profile-image", {"image": photo}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["content"]["profile_image_url"]

    client = Client()
    client.force_login(shopper)
    photo = upload(_noise_png(1000), name="me2.png", content_type="image/png")
    response = client.post("/account/profile/picture/", {"image": photo})
    assert response.status_code == 302

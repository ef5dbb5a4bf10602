"""Photos with a return (issue #26 item 5): 1-3 clean copies per return, only on the shopper's
own open return, erased with the account."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.exceptions import DomainError
from common.testing import API, PASSWORD, assert_error
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders import services
from orders.models import ReturnAttachment

from .factories import delivered

pytestmark = pytest.mark.django_db


def requested_return(customer, *, comment="Damaged"):
    order = delivered(customer, quantities=(2,))
    item = order.items.get()
    line = services.ReturnRequestLine(order_item=item, quantity=1, reason=comment, resolution="refund")
    return services.return_create(order=order, lines=[line])


def url(order_return, suffix="/attachments"):
    return f"{API}/orders/{order_return.order.number}/returns/{order_return.request_number}{suffix}"


def photos(count):
    return [upload(jpeg_with_gps(size=(800, 600)), f"p{i}.jpg") for i in range(count)]


# --- service ------------------------------------------------------------------------------


def test_photos_are_stored_as_clean_copies(shopper, settings):
    order_return = requested_return(shopper)
    stored = services.return_photos_add(order_return=order_return, uploads=photos(2))
    assert len(stored) == 2
    for attachment in ReturnAttachment.objects.filter(order_return=order_return):
        path = settings.MEDIA_ROOT / attachment.image.name
        assert path.is_file() and attachment.image.name.startswith("return-photos/")
        from PIL import Image

        with Image.open(path) as image:
            assert not image.getexif()  # the GPS of the original is gone
            assert max(image.size) <= 1600


def test_a_fourth_photo_is_refused_and_nothing_is_stored(shopper, settings):
    order_return = requested_return(shopper)
    services.return_photos_add(order_return=order_return, uploads=photos(2))
    before = sorted(p.name for p in (settings.MEDIA_ROOT / "return-photos").iterdir())
    with pytest.raises(DomainError) as refused:
        services.return_photos_add(order_return=order_return, uploads=photos(2))
    assert refused.value.code == "too_many_attachments"
    assert ReturnAttachment.objects.filter(order_return=order_return).count() == 2
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "return-photos").iterdir()) == before


def test_a_closed_return_takes_no_photos(shopper):
    order_return = requested_return(shopper)
    services.return_cancel(order_return=order_return, reason="Kept it")
    with pytest.raises(DomainError) as refused:
        services.return_photos_add(order_return=order_return, uploads=photos(1))
    assert refused.value.code == "return_closed"
    assert not ReturnAttachment.objects.exists()


def test_an_approved_return_still_takes_photos(shopper):
    order_return = services.return_approve(order_return=requested_return(shopper))
    assert len(services.return_photos_add(order_return=order_return, uploads=photos(1))) == 1


# --- API ----------------------------------------------------------------------------------


def test_upload_and_read_back(client_for, shopper):
    order_return = requested_return(shopper)
    client = client_for(shopper)
    response = client.post(url(order_return), {"images": photos(2)}, format="multipart")
    assert response.status_code == 200, response.content
    images = response.json()["content"]["order_return"]["attachments"]["images"]
    assert len(images) == 2 and all("return-photos/" in image for image in images)
    detail = client.get(url(order_return, "")).json()["content"]["order_return"]
    assert detail["attachments"] == {"images": images, "videos": []}
    listed = client.get(f"{API}/orders/{order_return.order.number}/returns").json()["content"]
    assert listed["returns"][0]["attachments"]["images"] == images


def test_another_shoppers_return_is_404(client_for, shopper, other_shopper):
    order_return = requested_return(shopper)
    response = client_for(other_shopper).post(url(order_return), {"images": photos(1)}, format="multipart")
    assert_error(response, 404, "not_found")
    assert not ReturnAttachment.objects.exists()


def test_a_fourth_photo_is_a_409_with_a_clear_code(client_for, shopper):
    order_return = requested_return(shopper)
    client = client_for(shopper)
    assert client.post(url(order_return), {"images": photos(3)}, format="multipart").status_code == 200
    response = client.post(url(order_return), {"images": photos(1)}, format="multipart")
    assert_error(response, 409, "too_many_attachments")
    response = client.post(url(requested_return(shopper)), {"images": photos(4)}, format="multipart")
    assert_error(response, 409, "too_many_attachments")


def test_a_non_image_is_refused(client_for, shopper):
    order_return = requested_return(shopper)
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image\x00", content_type="image/jpeg")
    response = client_for(shopper).post(url(order_return), {"images": [fake]}, format="multipart")
    assert_error(response, 400, "invalid_image")
    assert not ReturnAttachment.objects.exists()


def test_no_photo_is_a_400(client_for, shopper):
    response = client_for(shopper).post(url(requested_return(shopper)), {}, format="multipart")
    assert response.status_code == 400 and response.json()["success"] is False


def test_a_closed_return_is_refused(client_for, shopper):
    order_return = requested_return(shopper)
    services.return_cancel(order_return=order_return, reason="Kept it")
    response = client_for(shopper).post(url(order_return), {"images": photos(1)}, format="multipart")
    assert_error(response, 409, "return_closed")


def test_a_nul_in_the_comment_is_a_400_not_a_500(client_for, shopper):
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    body = {
        "return_items": [
            {"product_id": item.product_ref, "quantity": 1, "resolution": "refund", "return_reason": "Torn\x00"}
        ]
    }
    response = client_for(shopper).post(f"{API}/orders/{order.number}/returns", body, format="json")
    assert response.status_code == 400 and response.json()["success"] is False


def test_the_api_takes_a_comment_apart_from_the_reasons_and_refuses_a_long_one(client_for, shopper):
    from orders.lifecycle import MAX_RETURN_COMMENT

    order = delivered(shopper, quantities=(2,))
    item = order.items.get()
    line = {"product_id": item.product_ref, "quantity": 1, "resolution": "refund", "return_reason": "Arrived damaged"}
    api = client_for(shopper)
    too_long = {"return_items": [line], "comment": "x" * (MAX_RETURN_COMMENT + 1)}
    assert_error(api.post(f"{API}/orders/{order.number}/returns", too_long, format="json"), 400, "validation_error")
    assert not order.returns.exists()

    body = {"return_items": [line], "comment": "  The cap was cracked  "}
    created = api.post(f"{API}/orders/{order.number}/returns", body, format="json").json()["content"]["order_return"]
    assert created["comment"] == "The cap was cracked"
    assert created["items"][0]["return_reason"] == "Arrived damaged"
    number = created["request_number"]
    assert api.get(f"{API}/orders/{order.number}/returns/{number}").json()["content"]["order_return"]["comment"] == (
        "The cap was cracked"
    )


def test_erasure_removes_the_return_photos(
    client_for, shopper, other_shopper, settings, django_capture_on_commit_callbacks
):
    mine, theirs = requested_return(shopper), requested_return(other_shopper)
    services.return_photos_add(order_return=mine, uploads=[upload(png(), "p.png", "image/png")])
    services.return_photos_add(order_return=theirs, uploads=photos(1))
    my_file = ReturnAttachment.objects.get(order_return=mine).image.name
    their_file = ReturnAttachment.objects.get(order_return=theirs).image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(shopper).delete(f"{API}/auth/user/{shopper.id}", {"password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert not (settings.MEDIA_ROOT / my_file).exists()
    assert not ReturnAttachment.objects.filter(order_return=mine).exists()
    assert (settings.MEDIA_ROOT / their_file).is_file()


# --- admin --------------------------------------------------------------------------------


def test_staff_see_the_photos_pickup_address_and_expected_refund(staff_client, shopper):
    """A return that kept the order's shipping address once showed "Pickup address: -" (the
    stored field is null then); the page now shows where the pickup goes, as the shopper's does."""
    from common.money import money_text
    from orders.lifecycle import return_refund

    order_return = requested_return(shopper)
    services.return_photos_add(order_return=order_return, uploads=photos(2))
    page = staff_client("Support").get(f"/admin/orders/orderreturn/{order_return.pk}/change/").content.decode()
    shipping = order_return.order.shipping_address
    assert shipping["address_line1"] in page and shipping["pincode"] in page
    for attachment in ReturnAttachment.objects.filter(order_return=order_return):
        assert f'<a href="{attachment.image.url}"' in page and f'<img src="{attachment.image.url}"' in page
    expected = return_refund(order_return.order, list(order_return.items.select_related("order_item")))
    assert expected.amount > 0 and money_text(expected.amount) in page


# --- website ------------------------------------------------------------------------------


def _form_data(item, address, **extra):
    return {
        f"qty_{item.pk}": "1",
        "return_reason": "Arrived damaged",
        "comment": "Seam torn at the sleeve",
        "resolution": "refund",
        "pickup_address": address.pk,
        **extra,
    }


def test_the_return_page_shows_the_refund_and_lands_on_the_return(
    signed_in, shopper, settings, django_assert_max_num_queries
):
    from common.money import money_text
    from customers.tests.factories import make_address
    from orders.lifecycle import return_refund

    make_address(shopper, is_default_shipping=True)
    office = make_address(shopper, address_line1="7 Residency Road", pincode="560025")
    order = delivered(shopper, quantities=(2,))
    item = order.items.get()
    page_url = f"/account/orders/{order.number}/return/"
    with django_assert_max_num_queries(20):
        page = signed_in.get(page_url).content.decode()
    everything = return_refund(order, [type("L", (), {"order_item": item, "quantity": 2, "resolution": "refund"})])
    assert money_text(everything.amount) in page and 'enctype="multipart/form-data"' in page
    assert 'name="photos"' in page and "Check refund" in page

    checked = signed_in.post(page_url, {**_form_data(item, office), "check": "1"}).content.decode()
    one = return_refund(order, [type("L", (), {"order_item": item, "quantity": 1, "resolution": "refund"})])
    assert money_text(one.amount) in checked and not order.returns.exists()

    response = signed_in.post(page_url, {**_form_data(item, office), "photos": photos(2)})
    order_return = order.returns.get()
    assert response.status_code == 302
    assert response["Location"] == f"/account/orders/{order.number}/returns/{order_return.request_number}/"
    assert order_return.pickup_address["address_line1"] == "7 Residency Road"
    # The comment is the return's own field; the reason stays the one chosen from the list.
    assert order_return.items.get().reason == "Arrived damaged"
    assert order_return.comment == "Seam torn at the sleeve"
    with django_assert_max_num_queries(20):
        landed = signed_in.get(response["Location"]).content.decode()
    assert f"Return {order_return.request_number}: requested" in landed
    assert "7 Residency Road" in landed and money_text(one.amount) in landed
    assert "You added: “Seam torn at the sleeve”" in landed
    for attachment in order_return.attachments.all():
        assert attachment.image.url in landed


def test_the_return_page_refuses_a_fourth_photo_a_nul_and_another_shoppers_order(
    signed_in, shopper, other_shopper, client
):
    from customers.tests.factories import make_address

    address = make_address(shopper, is_default_shipping=True)
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    page_url = f"/account/orders/{order.number}/return/"
    response = signed_in.post(page_url, {**_form_data(item, address), "photos": photos(4)})
    assert response.status_code == 400 and b"at most 3 photos" in response.content
    response = signed_in.post(page_url, {**_form_data(item, address), "comment": "bad\x00"})
    assert response.status_code == 400 and not order.returns.exists()
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = signed_in.post(page_url, {**_form_data(item, address), "photos": [fake]})
    assert response.status_code == 400 and not order.returns.exists() and not ReturnAttachment.objects.exists()
    theirs = delivered(other_shopper, quantities=(1,))
    assert signed_in.get(f"/account/orders/{theirs.number}/return/").status_code == 404
    their_return = requested_return(other_shopper)
    url_ = f"/account/orders/{their_return.order.number}/returns/{their_return.request_number}/"
    assert signed_in.get(url_).status_code == 404


def test_the_order_page_folds_earlier_returns(signed_in, shopper):
    order = delivered(shopper, quantities=(3,))
    item = order.items.get()
    made = []
    for _ in range(3):
        line = services.ReturnRequestLine(order_item=item, quantity=1, reason="Damaged", resolution="refund")
        made.append(services.return_create(order=order, lines=[line]))
    services.return_cancel(order_return=made[0], reason="Kept it")
    services.return_cancel(order_return=made[1], reason="Kept it")
    page = signed_in.get(f"/account/orders/{order.number}/").content.decode()
    assert "2 earlier returns" in page
    folded = page.index("2 earlier returns")
    assert page.index(made[2].request_number) < folded < page.index(made[0].request_number)
    assert 'id="return"' not in page  # the form lives on its own page now


def test_photo_urls_in_answers_are_absolute_as_the_schema_says(settings):
    from common.api import absolute_url

    settings.SITE_URL = "https://account.example.com"
    assert absolute_url("/media/return-photos/a.png") == "https://account.example.com/media/return-photos/a.png"
    assert absolute_url("https://bucket.s3.amazonaws.com/a.png?sig=1") == "https://bucket.s3.amazonaws.com/a.png?sig=1"


def test_a_closed_or_full_return_is_refused_before_any_photo_is_decoded(client_for, shopper, monkeypatch):
    from orders.services import returns as return_services

    decoded = []
    monkeypatch.setattr(return_services, "image_normalise", lambda upload, **kw: decoded.append(upload))
    full = requested_return(shopper)
    ReturnAttachment.objects.bulk_create(
        [ReturnAttachment(order_return=full, customer=shopper, image=f"return-photos/{n}.png") for n in range(3)]
    )
    assert_error(
        client_for(shopper).post(url(full), {"images": photos(1)}, format="multipart"), 409, "too_many_attachments"
    )
    closed = requested_return(shopper)
    services.return_cancel(order_return=closed, reason="Kept it")
    assert_error(client_for(shopper).post(url(closed), {"images": photos(2)}, format="multipart"), 409, "return_closed")
    assert decoded == []


def test_photo_uploads_are_rate_limited_per_shopper(client_for, shopper, settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "uploads": "2/min"})
    order_return = requested_return(shopper)
    api = client_for(shopper)
    statuses = [api.post(url(order_return), {"images": photos(1)}, format="multipart").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert order_return.attachments.count() == 2


def test_the_refund_check_takes_any_typed_quantity_without_a_500(signed_in, shopper):
    """A review found "¹" (a digit to str.isdigit, not to int) made the refund check a 500."""
    from customers.tests.factories import make_address

    address = make_address(shopper, is_default_shipping=True)
    order = delivered(shopper, quantities=(2,))
    item = order.items.get()
    page_url = f"/account/orders/{order.number}/return/"
    for typed in ("¹", "٣", "9" * 40, "-1", "x"):
        response = signed_in.post(page_url, {**_form_data(item, address), f"qty_{item.pk}": typed, "check": "1"})
        assert response.status_code in (200, 400), typed
    assert not order.returns.exists()

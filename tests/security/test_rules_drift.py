"""Issue 16, item 10: rules that drifted apart.

- Review eligibility: "ready for review" left out a product returned in full, yet the submit
  accepted a review of it. Both now read one rule, `reviews.selectors.products_received`.
- Erasure left review photos in storage. It now deletes every file tied to the shopper, found by a
  scan of the models (`accounts.erasure.user_file_fields`), through the storage API after commit.
"""

import pytest
from django.apps import apps
from django.db import models

from accounts.models import User
from common.exceptions import Forbidden
from common.testing import API, PASSWORD, assert_error
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders import services as orders
from orders.tests.factories import delivered, place
from reviews.models import Review, ReviewImage
from reviews.selectors import ready_for_review
from reviews.services import review_submit

pytestmark = pytest.mark.django_db


def _return(order, item, quantity):
    line = orders.ReturnRequestLine(order_item=item, quantity=quantity, reason="Did not like it", resolution="refund")
    return orders.return_create(order=order, lines=[line])


def _ready(customer) -> set[str]:
    return {item.product_id for item in ready_for_review(customer=customer)}


# --- one eligibility rule for the list and the submit ---------------------------------------


def test_a_product_returned_in_full_cannot_be_reviewed(client_for, shopper):
    order = delivered(shopper, quantities=(2,))
    item = order.items.get()
    _return(order, item, 2)
    assert item.product_id not in _ready(shopper)
    with pytest.raises(Forbidden) as exc:
        review_submit(customer=shopper, product=item.product, rating=5, review_text="Sent it back")
    assert exc.value.code == "not_purchased"
    response = client_for(shopper).post(
        f"{API}/catalog/products/{item.product_id}/reviews",
        {"rating": 5, "review_text": "Sent it back", "order_number": order.number},
        format="json",
    )
    assert_error(response, 403, "not_purchased")
    assert not Review.objects.filter(customer=shopper).exists()


def test_the_website_form_refuses_a_product_returned_in_full(client, shopper):
    order = delivered(shopper, quantities=(1,))
    item = order.items.get()
    _return(order, item, 1)
    client.force_login(shopper)
    response = client.post(
        f"/account/reviews/{item.product_id}/",
        {"rating": "5", "review_text": "Sent it back", "order_number": order.number},
    )
    assert response.status_code == 400
    assert not Review.objects.filter(customer=shopper).exists()


def test_the_list_and_the_submit_agree_product_by_product(shopper):
    """For every situation the list knows, a product is listed exactly when a review is accepted."""
    place(shopper, quantities=(1, 1, 1, 1))  # ordered, never received
    kept = delivered(shopper, quantities=(1, 2, 2, 1))
    first, half, full, released = kept.items.order_by("pk")
    _return(kept, half, 1)  # half returned: kept one, still reviewable
    _return(kept, full, 2)  # returned in full
    orders.return_cancel(order_return=_return(kept, released, 1), reason="Changed my mind")  # kept after all
    listed = _ready(shopper)
    for item in (first, half, full, released):
        try:
            review_submit(customer=shopper, product=item.product, rating=4, review_text="Fine")
            accepted = True
        except Forbidden:
            accepted = False
        assert accepted == (item.product_id in listed), item.product.sku
    assert listed == {first.product_id, half.product_id, released.product_id}


def test_a_product_bought_again_after_a_full_return_can_be_reviewed(shopper):
    returned = delivered(shopper, quantities=(1,))
    _return(returned, returned.items.get(), 1)
    again = delivered(shopper, quantities=(1,))  # the same product, bought again and kept
    product = again.items.get().product
    assert product.pk in _ready(shopper)
    review = review_submit(customer=shopper, product=product, rating=5, review_text="Better this time")
    assert review.order_id == again.pk
    # Citing the order whose item went back is refused: the shopper did not keep it from there.
    Review.objects.all().delete()
    with pytest.raises(Forbidden):
        review_submit(customer=shopper, product=product, rating=5, review_text="x", order_number=returned.number)


# --- erasure removes every file the shopper uploaded -------------------------------------------


def _reviewed_with_photos(customer, *, quantities=(1,)):
    order = delivered(customer, quantities=quantities)
    product = order.items.first().product
    images = [upload(jpeg_with_gps()), upload(png(), "p.png", "image/png")]
    return review_submit(customer=customer, product=product, rating=5, review_text="Photos", images=images)


def _stored_names(review) -> list[str]:
    return [
        name
        for image in ReviewImage.objects.filter(review=review)
        for name in (image.standard.name, image.thumbnail.name)
    ]


def test_erasure_deletes_the_review_photos_and_picture_from_storage(
    client_for, shopper, other_shopper, settings, django_capture_on_commit_callbacks
):
    from accounts.services import profile_image_set

    profile_image_set(user=shopper, upload=upload(jpeg_with_gps()))
    picture = User.objects.get(pk=shopper.pk).profile_image.name
    mine = _stored_names(_reviewed_with_photos(shopper))
    theirs = _stored_names(_reviewed_with_photos(other_shopper))
    media = settings.MEDIA_ROOT
    assert len(mine) == 4 and all((media / name).is_file() for name in [picture, *mine, *theirs])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(shopper).delete(f"{API}/auth/user/{shopper.id}", {"password": PASSWORD}, format="json")
    assert response.status_code == 200

    assert not (media / picture).exists()
    assert [name for name in mine if (media / name).exists()] == []
    assert all((media / name).is_file() for name in theirs)  # another shopper's photos stay


def test_erasure_goes_through_the_storage_api(shopper, settings, django_capture_on_commit_callbacks):
    """Whatever the storage (S3 in production): files are deleted with `storage.delete`, and only
    once the erasure has committed."""
    from accounts.erasure import account_erase

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    names = _stored_names(_reviewed_with_photos(shopper))
    storage = ReviewImage._meta.get_field("standard").storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account_erase(user=shopper, password=PASSWORD)
    assert all(storage.exists(name) for name in names)  # nothing deleted before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)


# Files that belong to the shop, not to a shopper: erasure leaves them alone.
SHOP_FILE_FIELDS = {("catalog.product", "image")}


def test_every_file_field_is_either_a_shoppers_or_listed_as_the_shops():
    """A new FileField/ImageField is erased with its shopper if its row hangs off the user through
    cascading foreign keys; one that does not must be listed above on purpose, or this fails."""
    from accounts.erasure import user_file_fields

    found = {(model._meta.label_lower, field) for model, field, _paths in user_file_fields()}
    assert {
        ("accounts.user", "profile_image"),
        ("reviews.reviewimage", "standard"),
        ("reviews.reviewimage", "thumbnail"),
    } <= found
    every = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    assert every - found == SHOP_FILE_FIELDS, "decide whether each new file field is the shopper's"
    assert not found & SHOP_FILE_FIELDS

"""Erasure deletes every file tied to the shopper (review photos once stayed in storage): found
by a scan of the models (`accounts.erasure.user_file_fields`), through the storage API after
commit."""

import pytest
from django.apps import apps
from django.db import models

from accounts.models import User
from common.testing import API, PASSWORD
from common.tests.imagefiles import jpeg_with_gps, png, upload
from orders.tests.factories import delivered
from reviews.models import ReviewImage
from reviews.services import review_submit

pytestmark = pytest.mark.django_db


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

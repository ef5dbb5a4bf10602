"""The profile picture: stored as a clean copy (re-encoded, no metadata), one file at a time."""

from django.db import transaction

from common.images import image_normalise

from ..models import User


def profile_image_set(*, user: User, upload) -> User:
    """Store a clean copy of an uploaded picture and drop the previous one.

    The upload is checked before anything changes, so a bad file leaves the old picture in
    place; the old file is deleted only once the new one is committed.
    """
    image = image_normalise(upload, max_side=1024)
    field = User._meta.get_field("profile_image")
    storage = field.storage
    new_name = storage.save(field.generate_filename(user, image.content.name), image.content)
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            old_name = locked.profile_image.name if locked.profile_image else None
            locked.profile_image.name = new_name
            locked.save(update_fields=["profile_image", "modified_at"])
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        storage.delete(new_name)
        raise
    return locked


@transaction.atomic
def profile_image_remove(*, user: User) -> User:
    """Remove the picture and its file."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.profile_image:
        old_name, storage = locked.profile_image.name, locked.profile_image.storage
        locked.profile_image = None
        locked.save(update_fields=["profile_image", "modified_at"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return locked

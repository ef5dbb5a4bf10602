"""Keeping the shared cache of API sessions (accounts.tokens) true to the database."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from . import tokens
from .models import AuthSession, User


@receiver(post_save, sender=User, dispatch_uid="accounts.user_changed")
def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    # A new user has no sessions yet; signing in touches only last_login, which no request
    # reads from the session's user.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    tokens.user_changed(user=instance)


@receiver(pre_delete, sender=AuthSession, dispatch_uid="accounts.session_deleted")
def _session_deleted(sender, instance, **kwargs):
    # A deleted user takes their sessions with them (CASCADE); their cached rows must go too.
    tokens.session_forget(session=instance)

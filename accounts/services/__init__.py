"""Account writes. Every entry point (API, website, admin, commands) calls these; the rules
live only here, one module per concern:

- `registration`: creating an account (directly, or by a sign-up confirmed with its code)
- `deactivation`: closing an account without erasing it (by the shopper or by staff), reopening it
- `passwords`: the credentials check, changing a password, resetting a forgotten one
- `profile`: names and notification preferences
- `contact`: one account per email/phone, changing or verifying one with a code
- `pictures`: the profile picture
- `passkeys`: WebAuthn passkeys: registering, proving one (sign-in, re-authentication), the list
- `locks`: holding a shopper's row while another app writes one of their things

Sign-in itself (lockouts around the credentials check) is `accounts.signin`; erasure and export
are `accounts.erasure`.
"""

from .contact import contact_code_confirm, contact_code_send
from .deactivation import account_deactivate, account_reactivate, user_deactivate
from .locks import customer_lock
from .passwords import (
    password_change,
    password_reset_complete,
    password_reset_start,
    password_set,
    password_verify,
    user_authenticate,
)
from .pictures import profile_image_remove, profile_image_set
from .profile import notification_preferences_update, user_update
from .reauth import reauth_code_send, reauth_confirm
from .registration import (
    registration_account_create,
    registration_code_resend,
    registration_complete,
    registration_start,
    user_create,
)

__all__ = [
    "account_deactivate",
    "account_reactivate",
    "contact_code_confirm",
    "contact_code_send",
    "customer_lock",
    "notification_preferences_update",
    "password_change",
    "password_reset_complete",
    "password_reset_start",
    "password_set",
    "password_verify",
    "profile_image_remove",
    "profile_image_set",
    "reauth_code_send",
    "reauth_confirm",
    "registration_account_create",
    "registration_code_resend",
    "registration_complete",
    "registration_start",
    "user_authenticate",
    "user_create",
    "user_deactivate",
    "user_update",
]

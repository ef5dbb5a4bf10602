"""Passkeys (WebAuthn, with py_webauthn): registering one, proving one (to sign in, or to confirm
it is really the shopper), naming and removing them. The API and the website call these.

A ceremony has two steps. Its first (`*_options`) makes a random challenge and keeps it in the
shared cache under a random `challenge_key`, with what it is for (registering, signing in,
confirming) and for whom; the second takes it out again before anything else, so a challenge
answers once: an assertion replayed, or a second try after a failure, needs new options.

The relying party (the site a passkey belongs to) is the setting WEBAUTHN_RP_ID, else the host
the request came to; the browser's origin must be that request's own scheme and host, or one of
WEBAUTHN_ORIGINS. User verification (the device's PIN, fingerprint or face) is required: a
passkey alone signs in.
"""

import json
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound
from common.ids import is_ulid
from common.shoptime import date_time
from common.text import one_line

from ..language import in_language_of
from ..models import AuthSession, Passkey, User
from ..notices import notice_send
from .recent_auth import reauth_require

CHALLENGE_SECONDS = 300
MAX_PASSKEYS = 20  # per account
MAX_NAME_LENGTH = 64
MAX_CREDENTIAL_CHARS = 32 * 1024  # a credential's JSON; real ones are a few hundred characters

REGISTER, LOGIN, REAUTHENTICATE = "register", "login", "reauthenticate"

PASSKEY_REFUSED = "This passkey could not be verified. Try again."
CHALLENGE_GONE = "This passkey request has expired or was used already. Try again."

_CHALLENGE_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_TRANSPORTS = {t.value for t in AuthenticatorTransport}
# Errors py_webauthn or its parsers raise on a malformed credential (bad base64, CBOR, JSON
# shapes): each is the shopper's (or an attacker's) bad input, never a 500.
_BAD_CREDENTIAL_ERRORS = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, AttributeError)


def refused(message: str = PASSKEY_REFUSED) -> InvalidInput:
    return InvalidInput(message, code=ErrorCode.INVALID_PASSKEY, errors={"credential": [message]})


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]


def relying_party(*, host: str, secure: bool) -> RelyingParty:
    """The relying party of a request that came to `host` (Django's validated `get_host()`, with
    its port) over https (`secure`) or http."""
    hostname, _port = split_domain_port(host)
    origin = f"{'https' if secure else 'http'}://{host.lower()}"
    origins = (origin, *(o for o in settings.WEBAUTHN_ORIGINS if o != origin))
    return RelyingParty(id=settings.WEBAUTHN_RP_ID or hostname, name=settings.SHOP_NAME, origins=origins)


# --- challenges ----------------------------------------------------------------------------


def _cache_key(challenge_key: str) -> str:
    return f"passkey-challenge:{challenge_key}"


def _challenge_keep(*, purpose: str, user: User | None, challenge: bytes) -> str:
    challenge_key = secrets.token_urlsafe(32)
    record = {"purpose": purpose, "user": user.pk if user else None, "challenge": bytes_to_base64url(challenge)}
    cache.set(_cache_key(challenge_key), record, timeout=CHALLENGE_SECONDS)
    return challenge_key


def _challenge_take(*, challenge_key, purpose: str, user: User | None) -> bytes:
    """The challenge kept under `challenge_key` for this purpose and user, taken out: a second
    call with the same key fails, whatever the first one's outcome."""
    if not isinstance(challenge_key, str) or not _CHALLENGE_KEY.match(challenge_key):
        raise refused(CHALLENGE_GONE)
    key = _cache_key(challenge_key)
    record = cache.get(key)
    # Two requests with the same key may both read it; only one deletes it.
    if record is None or not cache.delete(key):
        raise refused(CHALLENGE_GONE)
    if record["purpose"] != purpose or record["user"] != (user.pk if user else None):
        raise refused(CHALLENGE_GONE)
    return base64url_to_bytes(record["challenge"])


def _options(options) -> dict:
    return json.loads(options_to_json(options))


def _credential(credential) -> dict:
    """The browser's credential as JSON (`PublicKeyCredential.toJSON()`), within bounds."""
    if not isinstance(credential, dict) or not isinstance(credential.get("id"), str):
        raise refused()
    if len(json.dumps(credential)) > MAX_CREDENTIAL_CHARS:
        raise refused()
    return credential


def _credential_id(credential: dict) -> str:
    """The credential's id as stored: base64url without padding."""
    try:
        return bytes_to_base64url(base64url_to_bytes(credential["id"]))
    except _BAD_CREDENTIAL_ERRORS:
        raise refused() from None


def _descriptors(passkeys) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(p.credential_id),
            transports=[AuthenticatorTransport(t) for t in p.transports if t in _TRANSPORTS],
        )
        for p in passkeys
    ]


def passkey_name_clean(name) -> str:
    """A passkey's name as kept: one line (`common.text`), at most 64 characters."""
    return one_line(name, field="name", max_length=MAX_NAME_LENGTH)


# --- registering ---------------------------------------------------------------------------


def passkey_register_options(*, user: User, rp: RelyingParty) -> tuple[dict, str]:
    """Options for `navigator.credentials.create()` and the key of their challenge."""
    if user.passkeys.count() >= MAX_PASSKEYS:
        raise DomainError(
            gettext("An account has at most %(max_passkeys)s passkeys: remove one first.")
            % {"max_passkeys": MAX_PASSKEYS},
            code=ErrorCode.LIMIT_EXCEEDED,
        )
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=user.pk.encode(),
        user_name=user.email or f"{user.country_code}{user.phone}",
        user_display_name=user.get_full_name() or user.email or f"{user.country_code} {user.phone}",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,  # a passkey: signs in without a username
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(user.passkeys.all()),  # the same device twice is refused
    )
    return _options(options), _challenge_keep(purpose=REGISTER, user=user, challenge=options.challenge)


def passkey_register(*, user: User, challenge_key, credential, rp: RelyingParty, name="") -> Passkey:
    """Keep the passkey the browser made for `passkey_register_options`' challenge."""
    name = passkey_name_clean(name)
    credential = _credential(credential)
    challenge = _challenge_take(challenge_key=challenge_key, purpose=REGISTER, user=user)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            require_user_verification=True,
        )
    except _BAD_CREDENTIAL_ERRORS:
        raise refused() from None
    transports = (credential.get("response") or {}).get("transports") or []
    transports = (
        [t for t in transports if isinstance(t, str) and t in _TRANSPORTS] if isinstance(transports, list) else []
    )
    credential_id = bytes_to_base64url(verified.credential_id)
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)  # one count at a time
            count = user.passkeys.count()
            if count >= MAX_PASSKEYS:
                raise DomainError(
                    gettext("An account has at most %(max_passkeys)s passkeys: remove one first.")
                    % {"max_passkeys": MAX_PASSKEYS},
                    code=ErrorCode.LIMIT_EXCEEDED,
                )
            passkey = Passkey.objects.create(
                user=user,
                credential_id=credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=transports,
                name=name or f"Passkey {count + 1}",
            )
            _notify(user, gettext_noop("A passkey, “%(name)s”, was added to your account"), passkey.name)
            return passkey
    except IntegrityError:
        raise DomainError(_("This passkey is registered already."), code=ErrorCode.CONFLICT) from None


# --- proving one ---------------------------------------------------------------------------


def passkey_assertion_options(*, rp: RelyingParty, user: User | None = None) -> tuple[dict, str]:
    """Options for `navigator.credentials.get()` and the key of their challenge.

    Without `user`, to sign in: any passkey of this site may answer (the browser offers the
    ones it has). With `user` (signed in), to confirm it is them: only their passkeys."""
    allow = None
    if user is not None:
        allow = _descriptors(user.passkeys.all())
        if not allow:
            raise DomainError(_("This account has no passkey."), code=ErrorCode.CONFLICT)
    options = generate_authentication_options(
        rp_id=rp.id, allow_credentials=allow, user_verification=UserVerificationRequirement.REQUIRED
    )
    purpose = REAUTHENTICATE if user is not None else LOGIN
    return _options(options), _challenge_keep(purpose=purpose, user=user, challenge=options.challenge)


def passkey_find(credential) -> Passkey | None:
    """The passkey a credential names (with its user), if we have it."""
    credential_id = _credential_id(_credential(credential))
    return Passkey.objects.select_related("user").filter(credential_id=credential_id).first()


def passkey_assertion_verify(
    *, credential, challenge_key, rp: RelyingParty, user: User | None = None, passkey: Passkey | None = None
) -> User:
    """The user whose passkey signed the challenge kept under `challenge_key`; else 400
    `invalid_passkey`. With `user`, the challenge must be one made for them
    (`passkey_assertion_options(user=...)`) and the passkey theirs: that is how
    re-authentication calls it. Without, the challenge must be a sign-in's.

    The challenge is used up first, whatever follows. The passkey's counter must move forward
    (unless the authenticator keeps none): a copy of an authenticator is refused. Whether the
    account may sign in is the caller's question (`accounts.signin.sign_in_with_passkey`)."""
    credential = _credential(credential)
    challenge = _challenge_take(
        challenge_key=challenge_key, purpose=REAUTHENTICATE if user is not None else LOGIN, user=user
    )
    if passkey is None:
        passkey = passkey_find(credential)
    if passkey is None or (user is not None and passkey.user_id != user.pk):
        raise refused()
    handle = (credential.get("response") or {}).get("userHandle")
    try:
        if handle and base64url_to_bytes(handle) != passkey.user_id.encode():
            raise refused()
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except _BAD_CREDENTIAL_ERRORS:
        raise refused() from None
    new_count = verified.new_sign_count
    # One conditional UPDATE: of two uses racing with the same counter, one passes.
    rows = Passkey.objects.filter(pk=passkey.pk)
    rows = rows.filter(sign_count=0) if new_count == 0 else rows.filter(sign_count__lt=new_count)
    if not rows.update(sign_count=new_count, last_used_at=timezone.now()):
        raise refused()
    return passkey.user


# --- the shopper's list --------------------------------------------------------------------


def passkey_get(*, user: User, passkey_id) -> Passkey:
    """One of the shopper's passkeys; another's, or no such id, is 404."""
    passkey = Passkey.objects.filter(user=user, pk=passkey_id).first() if is_ulid(passkey_id) else None
    if passkey is None:
        raise NotFound(_("No such passkey."))
    return passkey


def passkey_rename(*, user: User, passkey_id, name) -> Passkey:
    passkey = passkey_get(user=user, passkey_id=passkey_id)
    name = passkey_name_clean(name)
    if not name:
        raise InvalidInput.for_field("name", _("Give the passkey a name."))
    passkey.name = name
    passkey.save(update_fields=["name", "modified_at"])
    return passkey


def _notify(user: User, what: str, name: str) -> None:
    """Tell the shopper their ways of signing in changed (ASVS 5.0 6.3.7), at their verified
    addresses, in their language: whoever did it, the real owner learns of it."""
    with in_language_of(user):
        subject = gettext("Your passkeys changed")
        body = gettext("%(what)s on %(when)s. If this was not you, reset your password and remove it.") % {
            "what": gettext(what) % {"name": name},
            "when": date_time(timezone.now()),
        }
    if user.email and user.is_email_verified:
        notice_send(channel="email", to=user.email, subject=subject, body=body)
    elif user.phone and user.is_phone_verified:
        notice_send(channel="sms", to=f"{user.country_code}{user.phone}", subject=subject, body=body)


def passkey_remove(*, user: User, passkey_id, session: AuthSession | None) -> None:
    """Forget one of the shopper's passkeys; it signs in no more. Removing a way to sign in is
    a serious step: `session` must have authenticated recently (`recent_auth`)."""
    passkey = passkey_get(user=user, passkey_id=passkey_id)
    reauth_require(session=session)
    passkey.delete()
    _notify(user, gettext_noop("The passkey “%(name)s” was removed from your account"), passkey.name)


def relying_party_for_request(request) -> RelyingParty:
    """The relying party of an API or website request: its validated host, its scheme."""
    return relying_party(host=request.get_host(), secure=request.is_secure())

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from common.ids import new_ulid
from common.models import BaseModel

DEFAULT_COUNTRY_CODE = "+91"
NOTIFICATION_KINDS = ("transactional", "promotional", "newsletter")
NOTIFICATION_CHANNELS = ("email", "sms", "whatsapp")
ERASED_EMAIL_DOMAIN = "erased.invalid"  # an erased account's email: erased-<id>@erased.invalid


def default_notification_preferences() -> dict:
    return {
        kind: {channel: kind == "transactional" for channel in NOTIFICATION_CHANNELS} for kind in NOTIFICATION_KINDS
    }


def normalize_email(email: str | None) -> str | None:
    """Emails are stored lower-cased so uniqueness and sign-in ignore case."""
    email = (email or "").strip().lower()
    return email or None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        fields.setdefault("is_email_verified", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A shopper (or a staff member). One customer per user: the customer id is the user id."""

    email = models.EmailField(unique=True, null=True, blank=True)
    is_email_verified = models.BooleanField(default=False)
    country_code = models.CharField(max_length=5, default=DEFAULT_COUNTRY_CODE)
    phone = models.CharField(max_length=15, null=True, blank=True)  # noqa: DJ001 - NULL, not "", for no phone: unique
    is_phone_verified = models.BooleanField(default=False)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    notification_preferences = models.JSONField(default=default_notification_preferences)
    profile_image = models.ImageField(upload_to="profile-images/", null=True, blank=True)
    # The language the shopper chose for pages and messages ("hi", "en"); "" when they chose none
    # (their browser's Accept-Language, else the shop's LANGUAGE_CODE): accounts.language.
    language = models.CharField(max_length=8, blank=True)
    # `is_active` False: the account cannot be used at all (sign-in, tokens, website sessions,
    # messages other than security notices), whoever closed it. `deactivated_at` says the
    # shopper closed it themselves, which is what lets a code to their own verified address open
    # it again; an account staff disabled or an erased one has none and stays closed.
    is_active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # When it was last opened again: part of the website's session hash, so a browser signed in
    # before the deactivation stays signed out after the reactivation.
    reactivated_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        permissions = [("deactivate_customers", "Can deactivate customer accounts")]
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "phone"],
                condition=Q(phone__isnull=False),
                name="accounts_user_unique_phone",
            ),
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="accounts_user_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.email or f"{self.country_code} {self.phone}"

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)
        self.phone = (self.phone or "").strip() or None

    @property
    def customer_id(self) -> str:
        return self.id

    @property
    def is_deactivated_by_shopper(self) -> bool:
        """Closed by the shopper (reversible with a code), not by staff nor by an erasure."""
        return not self.is_active and self.deactivated_at is not None

    @property
    def is_erased(self) -> bool:
        return bool(self.email) and self.email.endswith("@" + ERASED_EMAIL_DOMAIN)

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's (an HMAC of the password), plus the last reactivation: see `reactivated_at`."""
        if self.reactivated_at is None:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}|{self.reactivated_at.isoformat()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def profile_image_url(self) -> str | None:
        return self.profile_image.url if self.profile_image else None

    @property
    def login_methods(self) -> list[str]:
        methods = []
        if self.email:
            methods.append("email")
        if self.phone:
            methods.extend(["phone", "whatsapp"])
        if self.has_usable_password():
            methods.append("password")
        return methods


class SessionKind(models.TextChoices):
    APP = "app", "App"
    WEB = "web", "Website"


class AuthSession(BaseModel):
    """One signed-in (or guest) session: of the API, the life of a chain of rotated tokens; of
    the website, the life of a sign-in (`accounts.websessions`), so one list shows both and ending
    either works the same way.

    Every token's `jti` starts with this row's id, so a request finds its session and user in
    one query, and ending the session ends every token of it at once. Only the newest refresh
    token (`refresh_jti`) may be used: rotation swaps it with a single conditional UPDATE.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="auth_sessions",
    )
    anonymous_id = models.CharField(max_length=26, default=new_ulid)
    # "app": a token pair (API); "web": a signed-in website session (Django's session holds its id).
    kind = models.CharField(max_length=8, choices=SessionKind.choices, default=SessionKind.APP)
    refresh_jti = models.CharField(max_length=64)
    modified_at = None  # its changes have their own times: refreshed_at, ended_at
    refreshed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=32, blank=True)
    # What the shopper's list of sessions shows: the client as it named itself when the session
    # started, where from, and when it was last used (moved at most every few minutes).
    user_agent = models.CharField(max_length=400, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Which browser or device this is, to tell a new one from a known one (`accounts.signin_notices`):
    # a website browser's own cookie ("web:..."), else a digest of the app's User-Agent ("ua:...").
    device_key = models.CharField(max_length=48, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # When the shopper last proved who they are in this session (signing in, re-authenticating):
    # serious steps need it to be recent (accounts.services.reauth). None for a guest.
    authenticated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["expires_at"]),
            models.Index(fields=["user", "device_key"]),
        ]

    def __str__(self) -> str:
        return f"session {self.id} of {self.user_id or 'guest ' + self.anonymous_id}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class OtpAction(models.TextChoices):
    REGISTER = "register", "Register"
    LOGIN = "login", "Log in"
    RESET_PASSWORD = "reset-password", "Reset password"
    VERIFY_EMAIL = "verify-email", "Verify email"
    VERIFY_PHONE = "verify-phone", "Verify phone"
    UPDATE_EMAIL = "update-email", "Update email"
    UPDATE_PHONE = "update-phone", "Update phone"
    REAUTHENTICATE = "reauthenticate", "Confirm it is you"


class OtpChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"


class OtpToken(BaseModel):
    """A one-time code sent to an address. Neither the code nor the client's token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64)
    action = models.CharField(max_length=20, choices=OtpAction.choices)
    channel = models.CharField(max_length=10, choices=OtpChannel.choices)
    target = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the action needs once the code is confirmed (e.g. a pending registration).
    payload = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)  # given: the same instant as expires_at
    modified_at = None  # used once: consumed_at
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["action", "target", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} code for {self.target}"


class Passkey(BaseModel):
    """A WebAuthn credential (a passkey) the shopper registered: it signs them in, or confirms it is
    them, with a fresh signature over our challenge (`accounts.services.passkeys`).

    Only the public key is kept. `sign_count` is the authenticator's counter at its last use: a
    counter that does not move forward (a cloned authenticator) is refused. Synced passkeys
    (most phones' and password managers') always report 0, which stays allowed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    # The credential's id, base64url without padding (the form browsers and the JSON API use).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()  # COSE_Key, as the authenticator gave it
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    name = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"passkey {self.name!r} of {self.user_id}"

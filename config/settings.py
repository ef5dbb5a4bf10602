"""Settings for the customer-account service.

Everything that differs between a laptop and production comes from environment variables read
here, and only here. With DEBUG=1 and nothing else you get a development site on a SQLite file with
console email, which is what `make run` serves; without DEBUG, production settings apply.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value in (None, "") else float(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a server started with no settings is a production server. `make run`
# and `make test` turn it on themselves.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "dev-insecure-key-only-for-local-runs-never-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "common",
    "accounts",
    "catalog",
    "customers",
    "orders",
    "loyalty",
    "reviews",
    "notifications",
    "portal",
]

MIDDLEWARE = [
    "common.logging.RequestIdMiddleware",
    "common.middleware.RequestGuardMiddleware",
    "common.middleware.ApiUtcMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the cookie, else Accept-Language, else LANGUAGE_CODE (a signed-in shopper's
    # saved choice wins, accounts.language.UserLanguageMiddleware below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A website sign-in ended elsewhere (another device, a password change, staff) signs out here.
    "accounts.websessions.WebSessionMiddleware",
    "accounts.language.UserLanguageMiddleware",
    # Staff's changes in the admin are logged (who, what, before and after, from where); nothing
    # else is (accounts/audit.py).
    "accounts.audit.StaffAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form widgets through Jinja2 where Django ships a Jinja2 template for them (common.forms).
FORM_RENDERER = "common.forms.WidgetRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loyalty.context_processors.loyalty",
            ],
            "builtins": ["common.templatetags.ui"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# An optional read replica, used only by the list endpoints (common.db.list_db): a list a few
# milliseconds behind is fine, while reads that follow a write stay on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # Django's own cursors bind on the client and never prepare; the hottest reads use
        # common.sqlrows.prepared_cursor, whose statements psycopg prepares after this many
        # runs on a connection. DB_PREPARE_THRESHOLD=0 turns that off (a pooler in
        # transaction mode that cannot keep prepared statements).
        _threshold = env_int("DB_PREPARE_THRESHOLD", 5)
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = _threshold or None
        _database["OPTIONS"]["server_side_binding"] = env_bool("DB_SERVER_SIDE_BINDING", True)
        # `.iterator()` reads through a named cursor declared WITH HOLD, which lives on the server
        # connection across transactions; behind a pooler in transaction mode the next FETCH may
        # reach another connection ("cursor does not exist"). DB_DISABLE_SERVER_SIDE_CURSORS=1
        # reads the rows with a plain cursor instead (deploy/README.md, "Behind PgBouncer").
        _database["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait for each other, instead of
    # failing with "database is locked" when two requests write at once.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # A file, not shared-cache memory, so tests with threads lock like the real thing.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrPhoneBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.breached.ContextWordsValidator"},
    # Last: it asks a remote service, only for a password the offline checks let through.
    {"NAME": "accounts.breached.BreachedPasswordValidator"},
]
# Have I Been Pwned's Pwned Passwords range API (accounts/breached.py); empty: not asked. If it
# does not answer within the timeout, the password is accepted and a warning logged.
PWNED_PASSWORDS_API_URL = os.environ.get("PWNED_PASSWORDS_API_URL", "https://api.pwnedpasswords.com")
PWNED_PASSWORDS_TIMEOUT = float(os.environ.get("PWNED_PASSWORDS_TIMEOUT", "2"))
# Words of this shop a password may not be mostly made of, besides its name and the site's own
# (accounts.breached.ContextWordsValidator; the list is in SECURITY.md).
PASSWORD_CONTEXT_WORDS = env_list("PASSWORD_CONTEXT_WORDS", "")
LOGIN_URL = "/account/sign-in/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/account/sign-in/"
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour

# --- Internationalisation -------------------------------------------------------------------
# The shop's language (issue 30): English or Hindi; a shopper's own choice wins
# (accounts/language.py). Translations are in locale/<code>/LC_MESSAGES/django.po; `make run` and
# `make test` compile them (.mo files are built, never committed).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("hi", "हिंदी")]
LANGUAGES_NAMES = [name for _, name in LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 400 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The shop's clock: every page, email, SMS, invoice and the admin show this zone; storage stays UTC.
SHOP_TIME_ZONE = os.environ.get("SHOP_TIME_ZONE", "Asia/Kolkata")
TIME_ZONE = SHOP_TIME_ZONE
USE_I18N = True
USE_TZ = True
# "4 Dec 2026" and "4 Dec 2026, 7:18 p.m." wherever Django writes a date (the admin first).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# whitenoise serves collected files in production, and the apps' files straight from their
# folders in development and tests (no collectstatic needed there).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
# Without a bucket, uploads are files under MEDIA_ROOT that this service does not serve with DEBUG
# off: say 1 when the web server in front maps MEDIA_URL to MEDIA_ROOT (check --deploy: common.W001).
MEDIA_SERVED_BY_WEB_SERVER = env_bool("MEDIA_SERVED_BY_WEB_SERVER", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, cache-busting static files when collected for production; plain in development.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    # Uploaded images go to S3 (or any S3-compatible store) when a bucket is configured.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            # e.g. public-read when images are served straight from the bucket (unsigned URLs).
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
        },
    }

# --- Email and messaging --------------------------------------------------------------------
# The development mailbox (portal.dev_mailbox): with DEBUG, emails, SMS and WhatsApp messages are
# kept, not sent, and listed with their codes at /dev/mailbox/; never with DEBUG off.
DEV_MAILBOX = DEBUG and env_bool("DEV_MAILBOX", True)
DEV_MAILBOX_PATH = Path(os.environ.get("DEV_MAILBOX_PATH", BASE_DIR / ".dev-mailbox.jsonl"))
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "portal.dev_mailbox.MailboxEmailBackend" if DEV_MAILBOX else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a send waits on the mail server before giving up (and the outbox retries); kept below
# NOTIFICATIONS_STUCK_SECONDS, so a slow send is not taken for a lost one (notifications.W001).
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 30.0)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "My Account <no-reply@localhost>")
# Text messages (SMS and WhatsApp) go through this class; the default only logs them.
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND", "portal.dev_mailbox.MailboxSmsBackend" if DEV_MAILBOX else "accounts.messaging.LoggingSmsBackend"
)
# notifications.twilio.TwilioSmsBackend: Twilio's Messages API (SMS and WhatsApp).
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_SMS_FROM = os.environ.get("TWILIO_SMS_FROM", "")  # +15005550006
TWILIO_WHATSAPP_FROM = os.environ.get("TWILIO_WHATSAPP_FROM", "")  # +14155238886
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
TWILIO_TIMEOUT = env_float("TWILIO_TIMEOUT", 10.0)

# --- Security (production values unless DEBUG) ----------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_DAYS", 14) * 24 * 3600  # a website sign-in's absolute lifetime
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Website sign-in: this many failures per account (or per address) lock sign-in for a while.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
# Passkeys (accounts.services.passkeys): the relying party id, the site a passkey belongs to (a
# registrable domain such as "shop.example"; empty: the host each request came to), and origins
# accepted besides the request's own scheme and host (e.g. "https://www.shop.example").
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "").strip().lower()
WEBAUTHN_ORIGINS = env_list("WEBAUTHN_ORIGINS", "")
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# The staff audit log (django-auditlog, accounts/audit.py): every model's changes made through
# the admin, with who, before and after, and the client address. Secrets are never recorded;
# account and document numbers are masked. Outside the admin (shoppers, tasks, commands) nothing
# is logged.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin",
    "auditlog",
    "contenttypes",
    "sessions",
    "accounts.otptoken",  # codes exist at rest only as HMACs
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = (
    "password",
    "code_hash",
    "token_hash",
    "refresh_jti",
    "public_key",
    "credential_id",
    "modified_at",
)
AUDITLOG_MASK_TRACKING_FIELDS = ("account_number", "document_number")
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True
# Serious steps (a new email or phone, a new password, removing a passkey, ending other sessions)
# need the session's last authentication (sign-in, or POST /auth/reauthenticate) to be at most
# this old (accounts.services.reauth; ASVS 5.0 7.5.1).
REAUTH_MAX_AGE_SECONDS = env_int("REAUTH_MAX_AGE_SECONDS", 900)
# A session unused this long ends (ASVS 5.0 7.3.1): a website sign-in on its next page, an app's
# at its next token refresh. Absolute lifetimes: SESSION_COOKIE_AGE (website, 14 days) and
# REFRESH_TOKEN_DAYS (apps, 30). SECURITY.md says why these values.
SESSION_IDLE_DAYS = env_int("SESSION_IDLE_DAYS", 7)
# A session's "last seen" moves at most this often (a write), however many requests it makes.
SESSION_SEEN_EVERY_SECONDS = env_int("SESSION_SEEN_EVERY_SECONDS", 300)
# The shopper's list of sessions names the place an address is in from a GeoIP2/GeoLite2 City
# database (MaxMind's .mmdb, refreshed by the operator); empty: no places, the address alone.
GEOIP_DATABASE = os.environ.get("GEOIP_DATABASE", "")
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# Client addresses (rate limits, lockouts, idempotency, logs: common.clientip.client_ip) come
# from X-Forwarded-For only when it is set by our own proxies: this many in front of the app.
# 0 ignores the header (a client can write anything there).
NUM_PROXIES = max(0, env_int("NUM_PROXIES", 0))
# The health probe is answered over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Request size -------------------------------------------------------------------------
# Five review photos of 5 MB and their form fields; anything larger is refused unread (413).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 26 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- Cache ----------------------------------------------------------------------------------
# Rate limits, sign-in lockouts and idempotency keys live here: with several app servers it
# must be shared (Redis). locmem only serves a single process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ca",
            # A cache that stops answering fails the request fast (503), not after redis-py's
            # default of waiting forever.
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 1.0),
                "socket_timeout": env_float("REDIS_TIMEOUT", 2.0),
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Website sessions: read from the shared cache (Redis), written through to the database, which
# stays the durable copy (a Redis restart signs nobody out) and the only one without REDIS_URL.
# The cache saves a database read on every page (issue 28: the session was read from
# django_session on each request).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Background work (Celery, config/celery.py) ----------------------------------------------
# Redis is the broker (CELERY_BROKER_URL, default REDIS_URL). Without either there is no worker:
# messages are sent in-process right after the transaction commits (NOTIFICATIONS_QUEUED off),
# so `make run` stays one command.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "memory://"
NOTIFICATIONS_QUEUED = CELERY_BROKER_URL != "memory://"
CELERY_TASK_ALWAYS_EAGER = not NOTIFICATIONS_QUEUED
# A task is acknowledged once it has run, so a worker that dies mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", "/tmp/celerybeat-schedule")
from celery.schedules import crontab  # noqa: E402 - kept next to the only block that uses it

CELERY_BEAT_SCHEDULE = {
    "notifications-requeue-stuck": {"task": "notifications.tasks.messages_requeue_stuck", "schedule": 60.0},
    # Abandoned attempts fail soon after they run out of time, so "Retry payment" shows at once.
    "orders-payments-expire": {"task": "orders.tasks.payments_expire_task", "schedule": 60.0},
    # Daily, at quiet hours (UTC): the expiry first, then the reminder of what goes next week.
    "loyalty-points-expire": {"task": "loyalty.tasks.points_expire_task", "schedule": crontab(hour=0, minute=30)},
    "loyalty-points-expiring-remind": {
        "task": "notifications.tasks.points_expiring_remind_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "reviews-review-reminders": {
        "task": "notifications.tasks.review_reminders_task",
        "schedule": crontab(hour=4, minute=30),
    },
}
# An outbox message in flight (claimed) this long is taken to be lost with its worker and re-queued.
NOTIFICATIONS_STUCK_SECONDS = env_int("NOTIFICATIONS_STUCK_SECONDS", 300)
# Sends tried (with growing waits) before a message is marked failed.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
# Shoppers one chunk of a wishlist alert's fan-out writes to: one INSERT, one transaction
# (notifications.wishlist_alerts, in the worker).
WISHLIST_ALERT_CHUNK = env_int("WISHLIST_ALERT_CHUNK", 500)
# Where links in messages point (the website's address as shoppers see it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days after delivery before a shopper is asked to review what they received.
NOTIFICATIONS_REVIEW_REMINDER_DAYS = env_int("NOTIFICATIONS_REVIEW_REMINDER_DAYS", 3)

# --- API ------------------------------------------------------------------------------------
API_ROOT = "api/v1/storefront"
# bench/: an authenticated endpoint answering a fixed small JSON, the benchmark's floor.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)
STOREFRONT_API_KEY = os.environ.get("STOREFRONT_API_KEY", "")
STORE_ID = os.environ.get("STORE_ID", "01JHS28V83KDWTRBXXJQRTEKA0")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.IsCustomer"],
    "DEFAULT_RENDERER_CLASSES": ["common.renderers.EnvelopeJSONRenderer"],
    # DRF's JSON parser refusing NUL characters and nesting too deep for Python's json (400).
    "DEFAULT_PARSER_CLASSES": ["common.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "common.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "common.schema.EnvelopeAutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": False,
    # Our throttles identify clients with common.clientip; DRF's own get_ident, should a plain
    # DRF throttle ever be used, then at least never trusts the whole header (None would).
    "NUM_PROXIES": NUM_PROXIES,
    # Sign-in, registration, codes and password endpoints, per client address. Guest tokens
    # (`/auth/anonymous`) are asked for by every new visitor, so that scope is wider.
    "DEFAULT_THROTTLE_RATES": {
        "auth": os.environ.get("AUTH_THROTTLE_RATE", "30/min"),
        "anonymous": os.environ.get("ANONYMOUS_THROTTLE_RATE", "120/min"),
        # Photo uploads (return photos), per shopper: each costs a decode and a re-encode.
        "uploads": os.environ.get("UPLOAD_THROTTLE_RATE", "20/min"),
    },
}

# How long an API session's row stays in the shared cache (accounts.tokens): ending a session
# or changing its user takes effect at once whatever this is; it bounds the memory it takes.
# Without a shared cache (no REDIS_URL) rows are not cached: each process would keep its own.
AUTH_SESSION_CACHE_SECONDS = env_int("AUTH_SESSION_CACHE_SECONDS", 300) if REDIS_URL else 0

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("ACCESS_TOKEN_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("REFRESH_TOKEN_DAYS", 30)),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "ulid",
    "USER_ID_FIELD": "id",
    "TOKEN_TYPE_CLAIM": "token_type",
    "JTI_CLAIM": "jti",
    "UPDATE_LAST_LOGIN": False,
}

# --- Loyalty --------------------------------------------------------------------------------
LOYALTY_ENABLED = env_bool("LOYALTY_ENABLED", True)
# Points per unit of currency spent (0.1: one point per 10 rupees), times the tier's multiplier.
LOYALTY_POINTS_PER_CURRENCY_UNIT = os.environ.get("LOYALTY_POINTS_PER_CURRENCY_UNIT", "0.1")
LOYALTY_POINTS_EXPIRY_MONTHS = env_int("LOYALTY_POINTS_EXPIRY_MONTHS", 12)
LOYALTY_SIGNUP_POINTS = env_int("LOYALTY_SIGNUP_POINTS", 0)

# --- Orders ---------------------------------------------------------------------------------
RETURN_WINDOW_DAYS = env_int("RETURN_WINDOW_DAYS", 14)
PAYMENT_RETRY_HOURS = env_int("PAYMENT_RETRY_HOURS", 48)
PAYMENT_ATTEMPT_MINUTES = env_int("PAYMENT_ATTEMPT_MINUTES", 30)
LOYALTY_POINT_VALUE = os.environ.get("LOYALTY_POINT_VALUE", "1.00")  # currency value of one point
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "test")
# "Buy again" links to the product on the storefront: a URL with {slug} (empty: no link).
STOREFRONT_PRODUCT_URL = os.environ.get("STOREFRONT_PRODUCT_URL", "https://shop.example.com/products/{slug}")
# The seller on tax invoices: name, address, GSTIN and the state it is registered in (a sale
# shipped to that state is charged CGST + SGST, elsewhere IGST).
SHOP_NAME = os.environ.get("SHOP_NAME", "Example Shop Pvt. Ltd.")
# The shop's country (ISO 3166-1 alpha-2): a new address's default country, and the region a
# phone number typed without a country code is read in and shown for (customers.geography).
SHOP_COUNTRY = os.environ.get("SHOP_COUNTRY", "IN").strip().upper()
# Where the accessibility statement (/accessibility) asks people to write.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "accessibility@example.com")
SHOP_URL = os.environ.get("SHOP_URL", "/")  # the shop's storefront: every page of the website links back to it
SHOP_ADDRESS = os.environ.get("SHOP_ADDRESS", "12 MG Road, Bengaluru, Karnataka 560001, India")
SHOP_GSTIN = os.environ.get("SHOP_GSTIN", "29ABCDE1234F1Z5")
SHOP_STATE = os.environ.get("SHOP_STATE", "Karnataka")
# The built-in test gateway pays or fails any attempt for whoever opens its page: its page and
# callback are routed only when this is on and PAYMENT_GATEWAY is "test" (otherwise 404).
TEST_GATEWAY_ENABLED = env_bool("TEST_GATEWAY_ENABLED", DEBUG)
# Razorpay (PAYMENT_GATEWAY=razorpay): the account's API keys, the webhook's secret, and where its
# API lives (tests point it at a local fake). Each call waits at most RAZORPAY_TIMEOUT seconds.
RAZORPAY_KEY_ID = os.environ.get("RAZORPAY_KEY_ID", "")
RAZORPAY_KEY_SECRET = os.environ.get("RAZORPAY_KEY_SECRET", "")
RAZORPAY_WEBHOOK_SECRET = os.environ.get("RAZORPAY_WEBHOOK_SECRET", "")
RAZORPAY_API_URL = os.environ.get("RAZORPAY_API_URL", "https://api.razorpay.com").rstrip("/")
RAZORPAY_TIMEOUT = env_float("RAZORPAY_TIMEOUT", 10.0)

# --- Reviews --------------------------------------------------------------------------------
REVIEWS_AUTO_APPROVE = env_bool("REVIEWS_AUTO_APPROVE", False)

# Rotating the JWT key: put the new key in JWT_SIGNING_KEY and the old one here (comma
# separated) until the longest-lived token signed with it has expired (30 days).
JWT_PREVIOUS_SIGNING_KEYS = env_list("JWT_PREVIOUS_SIGNING_KEYS")

OTP_LENGTH = 6
OTP_TTL = timedelta(minutes=env_int("OTP_TTL_MINUTES", 10))
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_SECONDS = 30

SPECTACULAR_SETTINGS = {
    "TITLE": "Customer account API",
    "DESCRIPTION": (
        "Storefront API for shoppers' accounts. Every answer is wrapped in the envelope "
        "`{message, success, content}`; errors are `{message, success: false, code, errors?}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets are served by us, not fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "SCHEMA_PATH_PREFIX": r"/api/v1/storefront",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["common.schema.drop_trailing_slash_duplicates"],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "PaymentStatusEnum": "orders.models.PaymentStatus",
        "ShipmentStatusEnum": "orders.models.ShipmentStatus",
        "PaymentAttemptStatusEnum": "orders.models.AttemptStatus",
        "RefundStatusEnum": "orders.models.RefundStatus",
        "ReturnStatusEnum": "orders.models.ReturnStatus",
        "ReturnResolutionEnum": "orders.models.Resolution",
        "SubscriptionStatusEnum": "customers.models.SubscriptionStatus",
        "DocumentActorEnum": "customers.models.DocumentActor",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.add_error_component",
        "common.schema.add_operation_examples",
    ],
}

# --- Logging --------------------------------------------------------------------------------
# One line per record; JSON (with the request id) unless LOG_FORMAT=plain.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "common.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # fpdf2 subsets the invoice's fonts with fontTools, which logs every table it prunes.
        "fontTools": {"level": "WARNING"},
    },
}

"""Every error `code` the API can answer, in one catalogue.

A client branches on `code`, so a code is part of the contract: it is listed here, published as
the `enum` of the error envelope's `code` in the OpenAPI schema (`common.schema`), and
`DomainError` and `error_body` refuse any other. The source names a code one way, as a member
(`code=ErrorCode.CONFLICT`): `common/tests/test_errors.py` reads the source and fails on a code
written as a string, and on a listed code nothing uses.

The label says when the code is answered; it is the code's description in the schema.
"""

from django.db import models


class ErrorCode(models.TextChoices):
    # The envelope's own (CONTRACT.md section 2), whatever the endpoint.
    VALIDATION_ERROR = "validation_error", "The body or the query failed validation; `errors` names each field."
    BAD_REQUEST = "bad_request", "Malformed JSON or multipart, a bad `sort_by`, a NUL character."
    UNAUTHORIZED = "unauthorized", "Missing, malformed, expired or revoked token; wrong credentials."
    FORBIDDEN = "forbidden", "The path's user is not the token's, or a guest token on an account endpoint."
    NOT_FOUND = "not_found", "Unknown id, or an object of another shopper."
    METHOD_NOT_ALLOWED = "method_not_allowed", "The path does not answer this method."
    NOT_ACCEPTABLE = "not_acceptable", "No answer in a media type the Accept header allows."
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", "The body's content type is not accepted here."
    CONFLICT = "conflict", "The request is valid but the current state forbids it."
    REQUEST_TOO_LARGE = "request_too_large", "The body is over the size limit."
    THROTTLED = "throttled", "Rate limited; see the Retry-After header."
    SERVICE_UNAVAILABLE = (
        "service_unavailable",
        "A shared part (the cache, the task broker) is down; nothing was written.",
    )
    SERVER_ERROR = "server_error", "Never expected."

    # Plumbing shared by the apps (common/).
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused", "This Idempotency-Key was used with another body."
    REQUEST_IN_PROGRESS = "request_in_progress", "The first request with this Idempotency-Key is still running."
    INVALID_IMAGE = "invalid_image", "The upload is not an image we accept."

    # Accounts: registration, codes, passwords.
    ACCOUNT_EXISTS = "account_exists", "An account with these details already exists."
    ALREADY_VERIFIED = "already_verified", "The address is verified already."
    INVALID_PASSWORD = "invalid_password", "The password given to confirm the change is not correct."
    INVALID_OTP = "invalid_otp", "The one-time code or its token is not correct."
    OTP_EXPIRED = "otp_expired", "The one-time code has expired."
    OTP_ATTEMPTS_EXCEEDED = "otp_attempts_exceeded", "Too many wrong codes; the code is dead."
    INVALID_PASSKEY = (
        "invalid_passkey",
        "The passkey's answer does not verify: unknown passkey, wrong site or signature, "
        "or a challenge that expired or was used already.",
    )
    REAUTHENTICATION_REQUIRED = (
        "reauthentication_required",
        "A serious step (a new email or phone, a password, removing a passkey, ending other sessions) "
        "needs a sign-in younger than REAUTH_MAX_AGE_SECONDS: POST /auth/reauthenticate, then retry.",
    )
    ACCOUNT_DEACTIVATED = (
        "account_deactivated",
        "Right credentials, but the shopper deactivated the account: sign in with a code to reactivate it.",
    )

    # Customers: address book and bank accounts.
    LIMIT_EXCEEDED = (
        "limit_exceeded",
        "The shopper has as many addresses, bank accounts, wishlist products or passkeys as allowed.",
    )
    ADDRESS_IN_USE = "address_in_use", "A live subscription uses this address."
    ACCOUNT_IN_USE = "account_in_use", "A refund is on its way to this bank account."
    DOCUMENT_EXISTS = "document_exists", "The shopper has a document of this type already; edit that one."
    GSTIN_PAN_MISMATCH = (
        "gstin_pan_mismatch",
        "The PAN inside the GSTIN is not the shopper's PAN document (a GSTIN contains its holder's PAN).",
    )
    DEFAULT_ADDRESS_REQUIRED = (
        "default_address_required",
        "The only address stays the default billing and shipping address; add another first.",
    )

    # Orders: the lifecycle, payments, returns.
    INVALID_TRANSITION = (
        "invalid_transition",
        "The order, shipment, return or refund is not in a status that allows it.",
    )
    NOT_CANCELLABLE = "not_cancellable", "The order or return can no longer be cancelled."
    NOT_RETURNABLE = "not_returnable", "Only delivered items can be returned."
    RETURN_WINDOW_CLOSED = "return_window_closed", "The order's return window has closed."
    TOO_MANY_ATTACHMENTS = "too_many_attachments", "A return takes at most 3 photos."
    RETURN_CLOSED = "return_closed", "The return is closed: it no longer takes photos."
    QUANTITY_EXCEEDED = "quantity_exceeded", "More of an item than was delivered and not yet returned."
    NOT_RECEIVED = "not_received", "The returned items have not been received yet."
    NOT_PAID = "not_paid", "The order is not paid yet."
    ALREADY_PAID = "already_paid", "The order is paid already."
    NOTHING_TO_SHIP = "nothing_to_ship", "Everything in the order has shipped already."
    RETRY_NOT_AVAILABLE = "retry_not_available", "The order's payment cannot be retried."
    PAYMENT_ALREADY_SETTLED = "payment_already_settled", "The payment attempt is settled already."
    NO_OPEN_PAYMENT = "no_open_payment", "The order has no payment attempt in progress to cancel."
    INVALID_SIGNATURE = "invalid_signature", "A payment gateway's callback is not signed by that gateway."
    PAYMENT_GATEWAY_ERROR = (
        "payment_gateway_error",
        "The payment gateway did not answer or refused; nothing was written, try again.",
    )

    # Loyalty.
    LOYALTY_DISABLED = "loyalty_disabled", "The loyalty program is off."
    INSUFFICIENT_POINTS = "insufficient_points", "The balance, or what of it is redeemable, does not cover the points."

    # Reviews.
    NOT_PURCHASED = "not_purchased", "Only a product the shopper received and kept can be reviewed."
    ALREADY_REVIEWED = "already_reviewed", "The shopper has reviewed this product already."

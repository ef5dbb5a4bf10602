"""Shapes of the auth endpoints: what comes in, what goes out. No rules here."""

from rest_framework import serializers

from common.api import absolute_url
from common.digits import DigitsRegexField

from ..models import DEFAULT_COUNTRY_CODE, User

PHONE_FIELD = dict(regex=r"^[0-9]{10}$", error_messages={"invalid": "Enter a 10 digit phone number."})
COUNTRY_CODE_FIELD = dict(
    regex=r"^\+[0-9]{1,4}$",
    error_messages={"invalid": "Enter a country code such as +91."},
    default=DEFAULT_COUNTRY_CODE,
)


class PhoneOrEmailInput(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)
    phone = DigitsRegexField(required=False, allow_null=True, allow_blank=True, **PHONE_FIELD)
    country_code = DigitsRegexField(required=False, allow_null=True, **COUNTRY_CODE_FIELD)

    def validate(self, attrs):
        attrs["email"] = attrs.get("email") or None
        attrs["phone"] = attrs.get("phone") or None
        attrs["country_code"] = attrs.get("country_code") or DEFAULT_COUNTRY_CODE
        if not attrs["email"] and not attrs["phone"]:
            raise serializers.ValidationError({"email": ["Give an email address or a phone number."]})
        return attrs


class LoginInput(PhoneOrEmailInput):
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class RegisterInput(PhoneOrEmailInput):
    password = serializers.CharField(trim_whitespace=False, max_length=128)
    confirm_password = serializers.CharField(trim_whitespace=False, max_length=128)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["password"] != attrs["confirm_password"]:
            raise serializers.ValidationError({"confirm_password": ["The passwords do not match."]})
        return attrs


class LoginWithEmailInput(serializers.Serializer):
    """`POST /auth/login/email` as the SDK sends it (LoginWithEmailBody)."""

    email = serializers.EmailField(max_length=254)
    register_if_not_exists = serializers.BooleanField(
        required=False,
        default=False,
        help_text="`true`: an address with no account gets a code too, and the account is made when "
        "`verify-otp` confirms it. The answer is the same either way.",
    )


class LoginWithPhoneInput(serializers.Serializer):
    """`POST /auth/login/phone` and `/auth/login/whatsapp` (LoginWithPhoneBody, LoginWithWhatsappBody)."""

    phone = DigitsRegexField(**PHONE_FIELD)
    country_code = DigitsRegexField(required=False, allow_null=True, **COUNTRY_CODE_FIELD)
    register_if_not_exists = serializers.BooleanField(
        required=False,
        default=False,
        help_text="`true`: a number with no account gets a code too, and the account is made when "
        "`verify-otp` confirms it. The answer is the same either way.",
    )

    def validate(self, attrs):
        attrs["country_code"] = attrs.get("country_code") or DEFAULT_COUNTRY_CODE
        return attrs


class RegisterWithEmailInput(serializers.Serializer):
    """`POST /auth/register/email` (RegisterWithEmailBody): no password, the code proves the email."""

    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=150)
    phone = DigitsRegexField(required=False, allow_null=True, allow_blank=True, **PHONE_FIELD)
    country_code = DigitsRegexField(required=False, allow_null=True, **COUNTRY_CODE_FIELD)

    def validate(self, attrs):
        attrs["last_name"] = attrs.get("last_name") or ""
        attrs["phone"] = attrs.get("phone") or None
        attrs["country_code"] = attrs.get("country_code") or DEFAULT_COUNTRY_CODE
        return attrs


class RegisterWithPhoneInput(serializers.Serializer):
    """`POST /auth/register/phone` and `/auth/register/whatsapp` (RegisterWithPhoneBody,
    RegisterWithWhatsappBody): no password, the code proves the phone."""

    phone = DigitsRegexField(**PHONE_FIELD)
    country_code = DigitsRegexField(required=False, allow_null=True, **COUNTRY_CODE_FIELD)
    first_name = serializers.CharField(allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=150)
    email = serializers.EmailField(required=False, allow_null=True, allow_blank=True, max_length=254)

    def validate(self, attrs):
        attrs["last_name"] = attrs.get("last_name") or ""
        attrs["email"] = attrs.get("email") or None
        attrs["country_code"] = attrs.get("country_code") or DEFAULT_COUNTRY_CODE
        return attrs


OTP_CODE_FIELD = dict(regex=r"^\s*[0-9]{4,8}\s*$", error_messages={"invalid": "Enter the code you received."})
CONTACT_ACTIONS = ["update-email", "verify-email", "update-phone", "verify-phone"]


class VerifyOtpInput(serializers.Serializer):
    otp = DigitsRegexField(**OTP_CODE_FIELD)
    otp_token = serializers.CharField(max_length=200)
    otp_action = serializers.ChoiceField(choices=["login", "register", *CONTACT_ACTIONS])


class GenerateOtpInput(serializers.Serializer):
    channel = serializers.ChoiceField(choices=["email", "sms", "whatsapp"])
    email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)
    phone = DigitsRegexField(required=False, allow_null=True, allow_blank=True, **PHONE_FIELD)
    country_code = DigitsRegexField(required=False, allow_null=True, **COUNTRY_CODE_FIELD)
    otp_action = serializers.ChoiceField(choices=["reset-password", "reauthenticate", *CONTACT_ACTIONS])

    def validate(self, attrs):
        attrs["country_code"] = attrs.get("country_code") or DEFAULT_COUNTRY_CODE
        if attrs["channel"] == "email" and not attrs.get("email"):
            raise serializers.ValidationError({"email": ["Give the email address to send the code to."]})
        if attrs["channel"] != "email" and not attrs.get("phone"):
            raise serializers.ValidationError({"phone": ["Give the phone number to send the code to."]})
        return attrs


class ForgotPasswordInput(PhoneOrEmailInput):
    pass


class NewPasswordInput(serializers.Serializer):
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)
    confirm_password = serializers.CharField(trim_whitespace=False, max_length=128)

    def validate(self, attrs):
        if attrs["new_password"] != attrs["confirm_password"]:
            raise serializers.ValidationError({"confirm_password": ["The passwords do not match."]})
        return attrs


class ResetPasswordInput(NewPasswordInput):
    otp = DigitsRegexField(**OTP_CODE_FIELD)
    otp_token = serializers.CharField(max_length=200)


class ChangePasswordInput(NewPasswordInput):
    old_password = serializers.CharField(trim_whitespace=False, max_length=128)


class RefreshInput(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4000)


class OtpOutput(serializers.Serializer):
    otp_token = serializers.CharField()
    otp_action = serializers.CharField()
    otp = serializers.CharField(
        required=False, help_text="Only with `x-debug-mode: true` while the server runs in DEBUG."
    )


class NotificationChannelsSerializer(serializers.Serializer):
    email = serializers.BooleanField()
    sms = serializers.BooleanField()
    whatsapp = serializers.BooleanField()


class NotificationPreferencesSerializer(serializers.Serializer):
    transactional = NotificationChannelsSerializer()
    promotional = NotificationChannelsSerializer()
    newsletter = NotificationChannelsSerializer()


class NotificationChannelsInput(serializers.Serializer):
    email = serializers.BooleanField(required=False)
    sms = serializers.BooleanField(required=False)
    whatsapp = serializers.BooleanField(required=False)


class NotificationPreferencesInput(serializers.Serializer):
    """Partial: only the kinds and channels sent are changed."""

    transactional = NotificationChannelsInput(required=False)
    promotional = NotificationChannelsInput(required=False)
    newsletter = NotificationChannelsInput(required=False)


class UserUpdateInput(serializers.Serializer):
    """The writable part of User; read-only and unknown fields sent along are ignored."""

    # The SDK's User has `first_name: string | null` (and last_name): null is "no name", kept as "".
    first_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=150)
    email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)
    phone = DigitsRegexField(required=False, allow_null=True, allow_blank=True, **PHONE_FIELD)
    country_code = DigitsRegexField(
        required=False,
        allow_null=True,
        regex=COUNTRY_CODE_FIELD["regex"],
        error_messages=COUNTRY_CODE_FIELD["error_messages"],
    )
    notification_preferences = NotificationPreferencesInput(required=False)


class UserOutput(serializers.ModelSerializer):
    """The contract's User object."""

    profile_image_url = serializers.SerializerMethodField()
    is_anonymous = serializers.SerializerMethodField()
    is_logged_in = serializers.SerializerMethodField()
    login_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=["email", "phone", "whatsapp", "password"]),
        read_only=True,
    )
    notification_preferences = NotificationPreferencesSerializer(read_only=True)
    customer_id = serializers.CharField(read_only=True)
    customer_group_id = serializers.SerializerMethodField()
    customer_group = serializers.SerializerMethodField()
    business = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "is_email_verified",
            "phone",
            "country_code",
            "is_phone_verified",
            "profile_image_url",
            "is_anonymous",
            "is_logged_in",
            "login_methods",
            "notification_preferences",
            "customer_id",
            "customer_group_id",
            "customer_group",
            "business",
            "created_at",
            "modified_at",
        ]
        read_only_fields = fields

    def get_profile_image_url(self, user) -> str | None:
        return absolute_url(user.profile_image_url)

    def get_is_anonymous(self, user) -> bool:
        return False

    def get_is_logged_in(self, user) -> bool:
        return True

    # Customer groups and B2B business profiles are not part of this service.
    def get_customer_group_id(self, user) -> str | None:
        return None

    def get_customer_group(self, user) -> dict | None:
        return None

    def get_business(self, user) -> dict | None:
        return None


class AnonymousUserOutput(serializers.Serializer):
    """The contract's AnonymousUser: a guest session's principal."""

    id = serializers.CharField(source="anonymous_id")
    is_anonymous = serializers.SerializerMethodField()
    is_logged_in = serializers.SerializerMethodField()
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    is_email_verified = serializers.SerializerMethodField()
    is_phone_verified = serializers.SerializerMethodField()
    profile_image_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    modified_at = serializers.DateTimeField(source="created_at")

    def get_is_anonymous(self, session) -> bool:
        return True

    def get_is_logged_in(self, session) -> bool:
        return False

    def _none(self, session) -> str | None:
        return None

    get_first_name = get_last_name = get_phone = get_email = get_profile_image_url = _none

    def get_is_email_verified(self, session) -> bool:
        return False

    get_is_phone_verified = get_is_email_verified


class TokenPairOutput(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class SignedInOutput(TokenPairOutput):
    user = UserOutput()


class GuestOutput(TokenPairOutput):
    user = AnonymousUserOutput()


class UserContentOutput(serializers.Serializer):
    user = UserOutput()


class UserUpdateOutput(UserContentOutput):
    otp_token = serializers.CharField(
        required=False, help_text="Present when a new email or phone waits for its code (verify-otp)."
    )
    otp_action = serializers.ChoiceField(choices=["update-email", "update-phone"], required=False)
    otp = serializers.CharField(
        required=False, help_text="Only with `x-debug-mode: true` while the server runs in DEBUG."
    )


class NotificationPreferencesContent(serializers.Serializer):
    notification_preferences = NotificationPreferencesSerializer()


class ProfileImageInput(serializers.Serializer):
    image = serializers.FileField()


class ProfileImageContent(serializers.Serializer):
    profile_image_url = serializers.CharField(allow_null=True)


class PasswordConfirmInput(serializers.Serializer):
    """The password; or, for an account without one, a code from `POST /auth/generate-otp` with
    `otp_action` `reauthenticate`."""

    password = serializers.CharField(trim_whitespace=False, max_length=128, required=False)
    otp_token = serializers.CharField(max_length=200, required=False)
    otp = DigitsRegexField(required=False, **OTP_CODE_FIELD)

    def validate(self, attrs):
        if not attrs.get("password") and not (attrs.get("otp_token") and attrs.get("otp")):
            raise serializers.ValidationError({"password": ["Give your password, or a code with its otp_token."]})
        return attrs


class UserExportContent(serializers.Serializer):
    export = serializers.DictField(
        help_text="user, passkeys (names and dates), addresses, bank_accounts (masked), orders, loyalty, loyalty_points_activity, reviews, messages"
    )


MAX_ADDRESSES_CHECKED = 10


class VerificationStatusInput(serializers.Serializer):
    """`POST /auth/verified-email-phone`: the SDK's arrays of addresses, as typed."""

    email = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=MAX_ADDRESSES_CHECKED, default=list
    )
    phone = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=MAX_ADDRESSES_CHECKED, default=list
    )


class VerificationStatusContent(serializers.Serializer):
    verified_phone = serializers.ListField(
        child=serializers.CharField(), help_text="The phones asked about that are your account's verified phone."
    )
    verified_email = serializers.ListField(
        child=serializers.CharField(), help_text="The emails asked about that are your account's verified email."
    )


class PasskeyOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    transports = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class PasskeyContent(serializers.Serializer):
    passkey = PasskeyOutput()


class PasskeyListContent(serializers.Serializer):
    passkeys = PasskeyOutput(many=True)


class PasskeyOptionsContent(serializers.Serializer):
    options = serializers.DictField(
        help_text="The `publicKey` options for `navigator.credentials.create()` / `.get()`, as JSON "
        "(binary values base64url; `PublicKeyCredential.parseCreationOptionsFromJSON` reads them)."
    )
    challenge_key = serializers.CharField(
        help_text="Send it back with the browser's answer; it answers once, 5 minutes."
    )


class PasskeyCredentialInput(serializers.Serializer):
    challenge_key = serializers.CharField(max_length=64, trim_whitespace=False)
    credential = serializers.JSONField(
        help_text="The browser's answer as JSON (`PublicKeyCredential.toJSON()`): `id`, `rawId`, `type`, `response`."
    )


class PasskeyRegisterInput(PasskeyCredentialInput):
    name = serializers.CharField(max_length=64, required=False, allow_blank=True, trim_whitespace=False)


class PasskeyRenameInput(serializers.Serializer):
    name = serializers.CharField(max_length=64, trim_whitespace=False)


class ReauthenticateInput(serializers.Serializer):
    """One proof: the password; a code from `POST /auth/generate-otp` with `otp_action`
    `reauthenticate` and its `otp_token`; or a passkey's answer to
    `POST /auth/passkeys/reauthenticate/options`."""

    password = serializers.CharField(trim_whitespace=False, max_length=128, required=False)
    otp_token = serializers.CharField(max_length=200, required=False)
    otp = DigitsRegexField(required=False, **OTP_CODE_FIELD)
    challenge_key = serializers.CharField(max_length=64, trim_whitespace=False, required=False)
    credential = serializers.JSONField(required=False)

    def validate(self, attrs):
        given = [
            bool(attrs.get("password")),
            bool(attrs.get("otp_token") and attrs.get("otp")),
            bool(attrs.get("credential") is not None and attrs.get("challenge_key")),
        ]
        if sum(given) != 1:
            raise serializers.ValidationError(
                {"password": ["Give one proof: your password, a code with its otp_token, or a passkey's answer."]}
            )
        return attrs


class ReauthenticatedContent(serializers.Serializer):
    authenticated_at = serializers.DateTimeField()
    reauthentication_expires_at = serializers.DateTimeField(
        help_text="Serious steps need no new proof until then (REAUTH_MAX_AGE_SECONDS after the proof)."
    )
    access_token = serializers.CharField(
        help_text="New tokens of the same session; the earlier refresh token is spent."
    )
    refresh_token = serializers.CharField()


class SessionDeviceContent(serializers.Serializer):
    label = serializers.CharField(help_text='"Chrome on Android"; "An unknown device" when the client named none.')
    browser = serializers.CharField(allow_blank=True)
    os = serializers.CharField(allow_blank=True)
    device = serializers.CharField(allow_blank=True, help_text='The hardware, as "iPhone"; "" for a computer.')


class SessionContent(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["app", "web"], help_text="An app's tokens, or a website sign-in.")
    device = SessionDeviceContent()
    ip = serializers.CharField(allow_null=True)
    place = serializers.CharField(allow_blank=True, help_text='Approximate, from the address ("" when unknown).')
    signed_in_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    is_current = serializers.BooleanField(help_text="The session this request came with.")


class SessionListContent(serializers.Serializer):
    sessions = SessionContent(many=True)


class SessionEndedContent(serializers.Serializer):
    ended = serializers.IntegerField(help_text="How many sessions ended.")

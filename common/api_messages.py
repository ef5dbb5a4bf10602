"""The API's most common `message`s, marked for translation (gettext_noop: they stay English
here; `common.exceptions.error_body` and the renderer translate them on the way out, in the
client's Accept-Language). A message not in the catalogue goes out in English; its `code` is the
contract's in every language."""

from django.utils.translation import gettext_noop

API_MESSAGES = [
    gettext_noop("OK"),
    gettext_noop("Signed in."),
    gettext_noop("Profile updated."),
    gettext_noop("Address added."),
    gettext_noop("Some fields are not valid."),
    gettext_noop("The request could not be understood."),
    gettext_noop("Authentication is required."),
    gettext_noop("You may not access this resource."),
    gettext_noop("Not found."),
    gettext_noop("Too many requests. Try again later."),
    gettext_noop("The request conflicts with the current state."),
    gettext_noop("The email/phone or password is not correct."),
    gettext_noop("This field is required."),
    gettext_noop("The access token is invalid or expired."),
    gettext_noop("This session has ended. Please sign in again."),
    gettext_noop("For your security, confirm it's you (your password, a code or a passkey), then try again."),
    gettext_noop("Give the first 3 to 12 characters of the code."),
    # Django REST framework's own field messages: it ships no Hindi, so ours translates them
    # (Django reads one catalogue for every app; DRF formats {placeholders} after translating).
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be blank."),
    gettext_noop("This field may not be null."),
    gettext_noop("This list may not be empty."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("The submitted data was not a file. Check the encoding type on the form."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Invalid value."),
]

"""Refusals of accounts that a client branches on by their own code."""

from common.errors import ErrorCode
from common.exceptions import Forbidden

DEACTIVATED_MESSAGE = "This account is deactivated. Reactivate it with a code sent to your email or phone."


class AccountDeactivated(Forbidden):
    """403 `account_deactivated`: raised only once the credential (password, refresh token) is
    proven right, so it tells nothing to whoever does not hold it."""

    code = ErrorCode.ACCOUNT_DEACTIVATED
    message = DEACTIVATED_MESSAGE

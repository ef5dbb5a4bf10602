"""System checks of the outbox's settings (`manage.py check`, and every start)."""

from django.conf import settings
from django.core.checks import Warning


def email_timeout_check(app_configs=None, **kwargs) -> list[Warning]:
    """A send still waiting on the mail server after NOTIFICATIONS_STUCK_SECONDS is taken for
    lost with its worker and handed over again while it runs: that message may go twice. So a
    send must give up (EMAIL_TIMEOUT) well before."""
    timeout, stuck = settings.EMAIL_TIMEOUT, settings.NOTIFICATIONS_STUCK_SECONDS
    if timeout is not None and 0 < timeout < stuck:
        return []
    return [
        Warning(
            f"EMAIL_TIMEOUT ({timeout}) is not between 0 and NOTIFICATIONS_STUCK_SECONDS ({stuck}): a slow mail "
            "server can hold a send until the outbox takes it for lost and sends the message again.",
            hint="Set EMAIL_TIMEOUT to a few tens of seconds, well below NOTIFICATIONS_STUCK_SECONDS.",
            id="notifications.W001",
        )
    ]

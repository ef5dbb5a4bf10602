"""The outbox: one row per message to a shopper, written in the same transaction as the event
that causes it, and sent afterwards by a task (`notifications.tasks`)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import pgettext_lazy

from common.models import BaseModel


class Kind(models.TextChoices):
    TRANSACTIONAL = "transactional"
    PROMOTIONAL = "promotional"
    NEWSLETTER = "newsletter"
    # Codes' companions: address, password and account notices. They ignore preferences.
    SECURITY = "security"


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("message channel", "Email")
    SMS = "sms", pgettext_lazy("message channel", "SMS")
    WHATSAPP = "whatsapp", pgettext_lazy("message channel", "WhatsApp")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("message status", "Queued")
    SENDING = "sending", pgettext_lazy("message status", "Sending")  # claimed by one worker
    SENT = "sent", pgettext_lazy("message status", "Sent")
    FAILED = "failed", pgettext_lazy("message status", "Failed")  # every attempt failed; staff may send it again
    SKIPPED = "skipped", pgettext_lazy("message status", "Skipped")  # the shopper turned this kind off for this channel


class Message(BaseModel):
    # Null for a notice to an address with no account behind it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    to = models.CharField(max_length=254)  # the address at the time of the event
    kind = models.CharField(max_length=16, choices=Kind.choices)
    event = models.CharField(max_length=40)  # names the templates: templates/notifications/<event>/
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=200, blank=True)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Scheduled messages (reminders) name what they are about, so a beat job that runs twice,
    # or every day over the same order, writes one row per shopper, event and channel.
    once_key = models.CharField(max_length=80, blank=True)

    class Meta:
        permissions = [("resend_messages", "Can send a message again")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="message_user_recent"),
            # The beat job's scan for messages stuck in flight.
            models.Index(fields=["status", "modified_at"], name="message_status_age"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel", "once_key"],
                condition=~models.Q(once_key=""),
                name="message_once_per_key",
            ),
        ]

    def __str__(self):
        return f"{self.event} by {self.channel} to {self.to} ({self.status})"

    @property
    def template(self) -> str:
        return f"notifications/{self.event}/"

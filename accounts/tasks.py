"""The Celery task of accounts: sending a one-time code, defined beside `otp_issue` (which hands
codes to it) so that the worker, which loads every app's `tasks` module, knows it."""

from .otp import otp_messages_send_task

__all__ = ["otp_messages_send_task"]

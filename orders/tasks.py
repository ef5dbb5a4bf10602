"""Background work of orders: a refund sent back through the payment gateway after the commit,
and the beat job that fails payment attempts past their expiry.

With a worker (Celery on Redis, `config/celery.py`) the send is queued and retried with growing
waits while the gateway does not answer; its idempotency key makes each retry safe. Without one
(no REDIS_URL: `make run`, tests) it is sent in this process, once. Either way a refund the
gateway never answered ends failed, in the admin, where staff can try it again.
"""

from celery import shared_task
from django.conf import settings

from . import services
from .razorpay import GatewayUnavailable
from .services.payments import payments_expire

REFUND_SEND_RETRIES = 6


@shared_task(bind=True, acks_late=True, max_retries=REFUND_SEND_RETRIES)
def refund_send_task(self, refund_id: str) -> None:
    try:
        services.refund_send(refund_id=refund_id)
    except GatewayUnavailable as exc:
        if self.request.retries >= self.max_retries:
            services.refund_send_gave_up(refund_id=refund_id, detail=exc.detail)
            return
        raise self.retry(exc=exc, countdown=min(600, 15 * 2**self.request.retries)) from exc


def refund_send_later(refund_id: str) -> None:
    """Called after the commit that made the refund (or asked for it again)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        try:
            services.refund_send(refund_id=refund_id)
        except GatewayUnavailable as exc:
            services.refund_send_gave_up(refund_id=refund_id, detail=exc.detail)
    else:
        refund_send_task.delay(refund_id)


@shared_task(acks_late=True)
def payments_expire_task() -> int:
    """Beat: attempts past their expiry fail, so "Retry payment" is offered at once."""
    return payments_expire()

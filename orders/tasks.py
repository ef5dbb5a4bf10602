"""Background work of orders: a refund sent back through the payment gateway after the commit
(the task is defined beside the service that queues it, `orders.services.refunds`, so that the
services never import this module), and the beat job that fails payment attempts past their expiry.

With a worker (Celery on Redis, `config/celery.py`) the send is queued and retried with growing
waits while the gateway does not answer; its idempotency key makes each retry safe. Without one
(no REDIS_URL: `make run`, tests) it is sent in this process, once. Either way a refund the
gateway never answered ends failed, in the admin, where staff can try it again.
"""

from celery import shared_task

from .services.payments import payments_expire
from .services.refunds import REFUND_SEND_RETRIES, refund_send_later, refund_send_task

__all__ = ["REFUND_SEND_RETRIES", "payments_expire_task", "refund_send_later", "refund_send_task"]


@shared_task(acks_late=True)
def payments_expire_task() -> int:
    """Beat: attempts past their expiry fail, so "Retry payment" is offered at once."""
    return payments_expire()

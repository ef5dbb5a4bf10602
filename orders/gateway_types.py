"""What every payment gateway speaks (`orders.gateways` keeps the registry; `orders.razorpay`
and the test gateway implement it): a module of its own so that a gateway can import the
types without importing the registry that imports it."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class PaymentStart:
    gateway: str
    payment_url: str
    expires_at: datetime
    gateway_order_id: str = ""  # the gateway's own id of the attempt, which its events name
    client: dict = field(default_factory=dict)  # what else a client needs to open the gateway's page


@dataclass(frozen=True)
class GatewayOutcome:
    """What a gateway says about one of its orders (a webhook, a checkout's signed answer). With
    `amount` and `currency`, the attempt is settled only when they match it."""

    gateway_order_id: str
    succeeded: bool
    reference: str = ""
    reason: str = ""
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class CallbackOutcome:
    request_number: str
    succeeded: bool
    reference: str

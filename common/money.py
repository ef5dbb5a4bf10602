"""Money: how an amount is rounded and how it is written, for every app.

Amounts are `Decimal`, to the cent, rounded half up (1.005 -> 1.01) wherever they are computed:
prices, tax and its split, refunds, points' value. They are written with the currency symbol
and thousands separators ("₹1,048.00") on pages, in emails and texts, and without the symbol
where the symbol cannot be printed (the invoice PDF).
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RUPEE = "₹"


def money_round(value) -> Decimal:
    """`value` to the cent, half up. A float is taken as it is written (0.1, not its binary
    neighbour)."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value, symbol: str = RUPEE) -> str:
    """₹1,234.50 (empty for no amount)."""
    if value is None:
        return ""
    return f"{symbol}{money_round(value):,.2f}"

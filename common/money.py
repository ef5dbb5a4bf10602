"""Money: how an amount is rounded and how it is written, for every app.

Amounts are `Decimal`, to the cent, rounded half up (1.005 -> 1.01) wherever they are computed:
prices, tax and its split, refunds, points' value. They are written with the currency symbol
and Indian digit grouping ("₹1,00,000.00": thousands, then lakhs and crores in pairs) on pages,
in emails and texts and in the back office, and without the symbol where the symbol cannot be
printed (the invoice PDF).
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RUPEE = "₹"


def money_round(value) -> Decimal:
    """`value` to the cent, half up. A float is taken as it is written (0.1, not its binary
    neighbour)."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _indian_grouping(digits: str) -> str:
    """'10000000' -> '1,00,00,000': the last three digits, then groups of two."""
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        head, pair = head[:-2], head[-2:]
        pairs.insert(0, pair)
    return ",".join([head, *pairs, tail])


def money_text(value, symbol: str = RUPEE) -> str:
    """₹1,00,000.50 (empty for no amount); a negative amount is -₹50.00."""
    if value is None:
        return ""
    amount = money_round(value)
    rupees, paise = f"{abs(amount):.2f}".split(".")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{_indian_grouping(rupees)}.{paise}"

"""Money: how an amount is rounded and how it is written, for every app.

Amounts are `Decimal`, to the cent, rounded half up (1.005 -> 1.01) wherever they are computed:
prices, tax and its split, refunds, points' value. They are written with the currency symbol
and Indian digit grouping ("₹1,00,000.00": thousands, then lakhs and crores in pairs) on pages,
in emails and texts and in the back office, and without the symbol where the symbol cannot be
printed (the invoice PDF).
"""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import parse_pattern

CENT = Decimal("0.01")
RUPEE = "₹"
# CLDR's en_IN grouping, parsed once: a history page writes thirty amounts, and parsing the
# pattern and the locale each time cost more than writing them.
_GROUPING = parse_pattern("#,##,##0.00")
_LOCALE = Locale.parse("en_IN")


def money_round(value) -> Decimal:
    """`value` to the cent, half up. A float is taken as it is written (0.1, not its binary
    neighbour)."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value, symbol: str = RUPEE) -> str:
    """₹1,00,000.50 (empty for no amount); a negative amount is -₹50.00. The grouping is Babel's
    (CLDR's en_IN pattern), after our own half-up rounding to the cent."""
    if value is None:
        return ""
    amount = money_round(value)
    digits = _GROUPING.apply(abs(amount), _LOCALE)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{digits}"

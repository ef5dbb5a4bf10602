"""Money rounds one way (half up, to the cent) and is written one way, wherever it is shown."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from common.money import money_round, money_text


@pytest.mark.parametrize(
    "value, rounded",
    [
        (Decimal("1.005"), Decimal("1.01")),
        (Decimal("1.015"), Decimal("1.02")),  # half up, not to the even cent (1.02 either way)
        (Decimal("0.025"), Decimal("0.03")),  # half even would give 0.02
        (Decimal("-0.025"), Decimal("-0.03")),
        (Decimal("1.0049"), Decimal("1.00")),
        ("12.345", Decimal("12.35")),
        (7, Decimal("7.00")),
        (1.005, Decimal("1.01")),  # a float as written, not its binary neighbour 1.00499…
    ],
)
def test_money_rounds_half_up_to_the_cent(value, rounded):
    assert money_round(value) == rounded and money_round(value).as_tuple().exponent == -2


def test_money_text_is_the_symbol_indian_grouping_and_two_decimals():
    assert money_text(Decimal("1048")) == "₹1,048.00"
    assert money_text(Decimal("100000")) == "₹1,00,000.00"  # one lakh, as shoppers in India write it
    assert money_text(Decimal("123456789.5")) == "₹12,34,56,789.50"
    assert money_text(Decimal("999.995")) == "₹1,000.00"  # rounding carries into a new group
    assert money_text(Decimal("-2500")) == "-₹2,500.00"
    assert money_text(Decimal("1234567.5"), "$") == "$12,34,567.50"
    assert money_text(Decimal("0.125")) == "₹0.13"  # rounded half up, like every amount
    assert money_text(Decimal("1048"), symbol="") == "1,048.00"
    assert money_text(None) == ""


def test_the_templates_money_filter_is_money_text():
    rendered = Template("{{ a|money }} {{ a|money:'$' }}|{{ none|money }}|").render(
        Context({"a": Decimal("1048.125"), "none": None})
    )
    assert rendered == "₹1,048.13 $1,048.13||"

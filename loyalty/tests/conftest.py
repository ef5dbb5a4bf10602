from decimal import Decimal

import pytest

from loyalty.models import Tier


@pytest.fixture(autouse=True)
def tiers(db):
    made = {}
    for name, spend, multiplier in (("Silver", "0", "1.00"), ("Gold", "25000", "1.25"), ("Platinum", "100000", "1.50")):
        made[name], _ = Tier.objects.get_or_create(
            name=name, defaults={"min_spend": Decimal(spend), "earn_multiplier": Decimal(multiplier)}
        )
    return made

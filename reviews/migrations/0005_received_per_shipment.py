"""What the shopper may review follows the rule returns use (orders.lifecycle.order_items_received):
what delivered shipments brought, less what returns hold, item by item; before, only the items
of orders delivered or complete counted. The stored rows are rebuilt once by that rule, on the
historical models; from here on every delivered shipment refreshes them."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

RETURN_HOLDING_STATUSES = ("created", "approved", "complete")


def refill(apps, schema_editor):
    OrderItem = apps.get_model("orders", "OrderItem")
    ShipmentItem = apps.get_model("orders", "ShipmentItem")
    ReturnItem = apps.get_model("orders", "ReturnItem")
    ReceivedProduct = apps.get_model("reviews", "ReceivedProduct")

    def quantity(rows):
        per_item = rows.filter(order_item=OuterRef("pk")).values("order_item").annotate(n=Sum("quantity"))
        return Coalesce(Subquery(per_item.values("n")), 0)

    kept = (
        OrderItem.objects.filter(product__isnull=False)
        .annotate(
            received=quantity(ShipmentItem.objects.filter(shipment__status="delivered")),
            held=quantity(ReturnItem.objects.filter(order_return__status__in=RETURN_HOLDING_STATUSES)),
        )
        .filter(received__gt=F("held"))
        .order_by("order__customer_id", "product_id", "-order__order_date", "pk")
        .values_list("order__customer_id", "product_id", "pk", "order__order_date")
    )
    latest = {}
    for customer_id, product_id, item_id, order_date in kept.iterator(chunk_size=2000):
        latest.setdefault((customer_id, product_id), (item_id, order_date))
    ReceivedProduct.objects.all().delete()
    ReceivedProduct.objects.bulk_create(
        (
            ReceivedProduct(customer_id=customer_id, product_id=product_id, order_item_id=item_id, order_date=date)
            for (customer_id, product_id), (item_id, date) in latest.items()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_payment_pending_expiry_idx"),
        ("reviews", "0004_star_only_ratings"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]

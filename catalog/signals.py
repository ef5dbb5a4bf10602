"""What the catalog tells the apps above it (notifications connects in its AppConfig.ready()):
the catalog imports none of them.

Both are sent by `catalog.services.product_save` once the change has committed, at most one of
them per save, with `change_id`, a fresh id naming that one change (a receiver that writes
something per change keys it on that id, so running it again writes nothing more).

- `product_price_dropped(product, previous_price, change_id)`: an available product's selling
  price went down.
- `product_back_in_stock(product, change_id)`: a product a shopper could not buy (sold out or
  unlisted) can be bought again.
"""

from django.dispatch import Signal

product_price_dropped = Signal()
product_back_in_stock = Signal()

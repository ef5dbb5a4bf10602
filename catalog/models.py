from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from common.models import BaseModel

# A wishlist is a list to come back to, not a catalogue copy: past this many products the shopper
# removes one first (catalog.services.wishlist_add answers limit_exceeded).
MAX_WISHLIST_ITEMS = 100


# The GST rate (percent) the catalog's prices include: one rate for every product, as the
# checkout charges it (orders.services.placement.Placement.tax_rate) and the wishlist shows it.
TAX_RATE = Decimal("18.00")


class ProductType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    DIGITAL = "digital", "Digital"
    BUNDLE = "bundle", "Bundle"


class Product(BaseModel):
    """A product of the shop's catalog, as far as the account pages need one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    sku = models.CharField(max_length=64, unique=True)
    image = models.ImageField(upload_to="products/", null=True, blank=True)
    # The GST tariff heading the tax invoice prints beside each line (4 to 8 digits).
    hsn_code = models.CharField(
        "HSN code",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{4}(\d{2}){0,2}$", "An HSN code has 4, 6 or 8 digits.")],
    )
    listing_price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    selling_price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    product_type = models.CharField(max_length=10, choices=ProductType.choices, default=ProductType.PHYSICAL)
    active = models.BooleanField(default=True)
    # Staff untick it when the product runs out; ticking it again tells the shoppers who
    # wishlisted it (catalog.services.product_save).
    stock_available = models.BooleanField(
        "in stock", default=True, help_text="Untick when sold out; shoppers who saved it hear when it is back."
    )
    # Kept by reviews.services from approved reviews only.
    average_rating = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))
    review_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selling_price__gte=0) & Q(selling_price__lte=F("listing_price")),
                name="catalog_product_price_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def image_url(self) -> str | None:
        return self.image.url if self.image else None

    @property
    def is_available(self) -> bool:
        """Whether a shopper can buy it now: listed in the shop and in stock."""
        return self.active and self.stock_available


class WishlistItem(BaseModel):
    """A product a shopper saved for later (the storefront's heart button, "Save for later").

    It lives with the catalog because it is a shopper's product: it needs the product (catalog)
    and the user (accounts, below); customers, a sibling layer, cannot see products.
    """

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist_items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="wishlist_items")
    modified_at = None  # an entry is added or removed, never changed

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "product"], name="catalog_wishlist_once_per_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} saved by {self.customer_id}"

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from common.models import BaseModel


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

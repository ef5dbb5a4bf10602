from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from common.models import BaseModel


class ReviewStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("review status", "Pending")
    APPROVED = "approved", pgettext_lazy("review status", "Approved")
    REJECTED = "rejected", pgettext_lazy("review status", "Rejected")


class Review(BaseModel):
    """A shopper's review of a product they received. One per shopper and product."""

    MAX_IMAGES = 5

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField()
    review_text = models.TextField(max_length=5000, blank=True)  # a star-only rating has none
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    rejection_reason = models.CharField(max_length=500, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        permissions = [("moderate_reviews", "Can approve and reject reviews")]
        constraints = [
            models.UniqueConstraint(fields=["customer", "product"], name="reviews_one_per_customer_product"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product} by {self.customer}"

    @property
    def can_change(self) -> bool:
        """Its author may change or delete it until staff have checked it: then what they
        approved (or rejected) is what stays."""
        return self.status == ReviewStatus.PENDING


class ReviewImage(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="images")
    standard = models.ImageField(upload_to="reviews/")
    thumbnail = models.ImageField(upload_to="reviews/thumbs/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Photo {self.position + 1}"


class ReceivedProduct(models.Model):
    """Each product a shopper has received and kept (not returned in full), with the most recent
    order item that brought it: what `ready_for_review` reads, so that list costs the same for
    a shopper with five orders and one with five thousand.

    Derived data, rebuilt from orders, shipments and returns by
    `reviews.services.received_products_refresh` whenever one of those changes what was received.
    """

    id = models.BigAutoField(primary_key=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    order_item = models.ForeignKey("orders.OrderItem", on_delete=models.CASCADE, related_name="+")
    order_date = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "product"], name="reviews_received_once_per_product"),
        ]
        indexes = [models.Index(fields=["customer", "-order_date"])]

    def __str__(self) -> str:
        return f"{self.product_id} received by {self.customer_id}"

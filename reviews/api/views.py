"""Review endpoints (CONTRACT.md section 9)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.authentication import OptionalBearerTokenAuthentication
from catalog.models import Product
from common.api import ok
from common.exceptions import NotFound
from common.idempotency import idempotent
from common.pagination import list_parameters, paginate_request
from common.parsers import JSONParser, MultiPartParser
from common.permissions import IsOwner
from customers.api.views import CustomerView

from .. import selectors, services
from . import serializers as s


class CustomerReviewsView(CustomerView):
    @extend_schema(operation_id="list-customer-reviews", responses=s.CustomerReviewsContent, tags=["reviews"])
    def get(self, request, user_id):
        context = {"request": request}
        reviews = selectors.reviews_for_customer(customer=request.user)
        ready = selectors.ready_for_review(customer=request.user)
        return ok(
            {
                "reviews": s.CustomerReviewOutput(reviews, many=True, context=context).data,
                "ready_for_review": s.ReadyForReviewOutput(ready, many=True, context=context).data,
            }
        )


def _product(product_id) -> Product:
    product = Product.objects.filter(pk=str(product_id).upper(), active=True).first()
    if product is None:
        raise NotFound(_("Product not found."))
    return product


class ProductReviewsView(APIView):
    """Reading a product's reviews is public; writing one needs a signed-in shopper, and the
    `user_id` the SDK sends in the body must be theirs."""

    authentication_classes = [OptionalBearerTokenAuthentication]
    parser_classes = [JSONParser, MultiPartParser]
    owner_body_field = "user_id"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsOwner()]

    @extend_schema(
        operation_id="list-product-reviews",
        parameters=list_parameters(sort_fields=selectors.PRODUCT_REVIEW_SORT_FIELDS),
        responses=s.ProductReviewsContent,
        tags=["reviews"],
    )
    def get(self, request, product_id):
        product = _product(product_id)
        reviews, pagination = paginate_request(
            request,
            selectors.approved_reviews_for_product(product=product),
            sort_fields=selectors.PRODUCT_REVIEW_SORT_FIELDS,
            default_sort=selectors.PRODUCT_REVIEW_DEFAULT_SORT,
        )
        return ok(
            {
                "reviews": s.ProductReviewOutput(reviews, many=True, context={"request": request}).data,
                "pagination": pagination,
                "average_rating": product.average_rating,
                "review_count": product.review_count,
                "rating_counts": selectors.rating_counts(product=product),
            }
        )

    @extend_schema(
        operation_id="create-product-review",
        request={"application/json": s.ReviewInput, "multipart/form-data": s.ReviewInput},
        responses=s.ReviewContent,
        tags=["reviews"],
    )
    @idempotent
    def post(self, request, product_id):
        """Review a product you received (JSON, or multipart with up to 5 `images`)."""
        product = _product(product_id)
        data = request.data
        if hasattr(data, "getlist"):  # multipart: repeated fields arrive as lists
            data = {**data.dict(), "tags": data.getlist("tags"), "images": request.FILES.getlist("images")}
        body = s.ReviewInput(data=data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        review = services.review_submit(
            customer=request.user,
            product=product,
            rating=v["rating"],
            review_text=v["review_text"],
            order_number=v.get("order_number") or None,
            tags=v.get("tags"),
            images=v.get("images", []),
        )
        review = selectors.reviews_for_customer(customer=request.user).get(pk=review.pk)
        message = (
            "Thank you! Your review is published."
            if review.status == "approved"
            else ("Thank you! Your review will appear once it is checked.")
        )
        return ok({"review": s.CustomerReviewOutput(review, context={"request": request}).data}, message=message)

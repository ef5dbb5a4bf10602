"""The wishlist (SDK operations get-wishlist, add-to-wishlist, delete-from-wishlist): parse, call
a service or selector, serialize. Every answer is the wishlist as it now is."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from common.api import ok
from common.pagination import list_parameters, paginate, parse_list_params
from common.permissions import IsOwner

from .. import selectors, services
from ..models import MAX_WISHLIST_ITEMS
from . import serializers as s

SELLER_ID = OpenApiParameter(
    "seller_id",
    str,
    required=False,
    description="For multi-seller marketplaces; this shop sells its own products only, so it changes nothing.",
)


def _wishlist_page(request, query_params=None) -> dict:
    """A page of the wishlist; without `limit`, all of it (at most MAX_WISHLIST_ITEMS), which is
    what the SDK's getWishlist() expects: its query has no page or limit."""
    params = (query_params if query_params is not None else request.query_params).copy()
    if not params.get("limit"):
        params["limit"] = str(MAX_WISHLIST_ITEMS)
    list_params = parse_list_params(
        params, sort_fields=selectors.WISHLIST_SORT_FIELDS, default_sort=selectors.WISHLIST_DEFAULT_SORT
    )
    entries, pagination = paginate(selectors.wishlist_for_customer(customer=request.user), list_params)
    products = [entry.product for entry in entries]
    return {"products": s.ItemOutput(products, many=True, context={"request": request}).data, "pagination": pagination}


class WishlistView(APIView):
    """/wishlist/{user_id}: the path's user must be the token's (another shopper's id is a 403)."""

    permission_classes = [IsOwner]
    owner_kwarg = "user_id"

    @extend_schema(
        operation_id="get-wishlist",
        parameters=[SELLER_ID, *list_parameters(sort_fields=selectors.WISHLIST_SORT_FIELDS)],
        responses=s.WishlistContent,
        tags=["wishlist"],
        description=f"The saved products, newest first. Without `limit` the whole wishlist (at most "
        f"{MAX_WISHLIST_ITEMS} products), as the SDK's getWishlist() expects; `page` and `limit` page it.",
    )
    def get(self, request, user_id):
        return ok(_wishlist_page(request))

    @extend_schema(
        operation_id="add-to-wishlist",
        request=s.WishlistInput,
        responses=s.WishlistContent,
        tags=["wishlist"],
        description=f"Save a product. Saving one already saved changes nothing (one entry per product). "
        f"A wishlist holds at most {MAX_WISHLIST_ITEMS} products (409 `limit_exceeded`); an unknown or "
        "unlisted product is a 404. Answers the whole wishlist.",
    )
    def post(self, request, user_id):
        data = s.WishlistInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.wishlist_add(customer=request.user, **data.validated_data)
        return ok(_wishlist_page(request, query_params={}), message="Saved to your wishlist.")

    @extend_schema(
        operation_id="delete-from-wishlist",
        request=s.WishlistInput,
        responses={200: s.WishlistContent},
        tags=["wishlist"],
        description="Remove a product. One that is not on the wishlist is already off it: the same "
        "answer. Answers the whole wishlist.",
    )
    def delete(self, request, user_id):
        data = s.WishlistInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.wishlist_remove(customer=request.user, **data.validated_data)
        return ok(_wishlist_page(request, query_params={}), message="Removed from your wishlist.")

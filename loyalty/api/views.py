"""Loyalty endpoints (CONTRACT.md section 8)."""

from drf_spectacular.utils import extend_schema

from common.api import ok
from common.pagination import list_parameters, paginate_request
from customers.api.views import CustomerView

from .. import selectors, services
from . import serializers as s


class LoyaltyView(CustomerView):
    """404 `loyalty_disabled` while the program is off, once the caller is known to be the owner."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        services.loyalty_program_require()


class LoyaltySummaryView(LoyaltyView):
    @extend_schema(operation_id="get-loyalty-details", responses=s.LoyaltyContent, tags=["loyalty"])
    def get(self, request, user_id):
        account = services.loyalty_account_ensure(customer=request.user)
        return ok({"loyalty": s.LoyaltyOutput(selectors.loyalty_summary(account=account)).data})


class PointsActivityView(LoyaltyView):
    @extend_schema(
        operation_id="list-loyalty-activities",
        parameters=list_parameters(sort_fields=selectors.ACTIVITY_SORT_FIELDS),
        responses=s.PointsActivityListContent,
        tags=["loyalty"],
    )
    def get(self, request, user_id):
        entries, pagination = paginate_request(
            request,
            selectors.points_activity_for_customer(customer=request.user),
            sort_fields=selectors.ACTIVITY_SORT_FIELDS,
            default_sort=selectors.ACTIVITY_DEFAULT_SORT,
        )
        return ok(
            {
                "loyalty_points_activity": s.PointsActivityOutput(entries, many=True).data,
                "pagination": pagination,
            }
        )

from common.api_paths import api_path

from . import views

urlpatterns = [
    *api_path("customers/<ulid:user_id>/loyalty", views.LoyaltySummaryView.as_view(), "loyalty-summary"),
    *api_path(
        "customers/<ulid:user_id>/loyalty-points-activity",
        views.PointsActivityView.as_view(),
        "loyalty-points-activity",
    ),
]

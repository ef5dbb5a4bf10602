"""`IsOwner`: the shopper a request names, wherever it names them, must be the token's user."""

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from common.api import ok
from common.permissions import IsOwner

pytestmark = pytest.mark.django_db


class Unnamed(APIView):
    """A view that forgot to say where its shopper is named."""

    permission_classes = [IsOwner]

    def get(self, request):
        return ok({"leaked": True})


class NamedInBody(APIView):
    permission_classes = [IsOwner]
    owner_body_field = "user_id"

    def post(self, request):
        return ok({"reviewed": True})


def call(view, shopper, method="get", **kwargs):
    request = getattr(APIRequestFactory(), method)("/", **kwargs)
    force_authenticate(request, user=shopper)
    return view.as_view()(request)


def test_a_view_that_names_its_shopper_nowhere_is_refused(shopper):
    assert call(Unnamed, shopper).status_code == 403


def test_a_body_field_may_be_left_out_and_is_compared_in_any_case(shopper, other_shopper):
    assert call(NamedInBody, shopper, "post", data={}, format="json").status_code == 200
    assert call(NamedInBody, shopper, "post", data={"user_id": shopper.id.lower()}, format="json").status_code == 200
    assert call(NamedInBody, shopper, "post", data={"user_id": other_shopper.id}, format="json").status_code == 403
    # A body that is not an object names nobody: the view's own input check refuses it.
    assert call(NamedInBody, shopper, "post", data=[other_shopper.id], format="json").status_code == 200

"""The benchmark's floor endpoint answers through the same authentication and envelope."""

import pytest
from django.urls import path

from bench.floor import FloorView
from common.testing import assert_error
from config.urls import urlpatterns as project_urls

urlpatterns = [path("api/v1/storefront/bench/floor", FloorView.as_view()), *project_urls]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.tests.test_floor")]


def test_floor_needs_a_token_and_answers_the_envelope(api, client_for, shopper, django_assert_num_queries):
    assert_error(api.get("/api/v1/storefront/bench/floor"), 401, "unauthorized")
    client = client_for(shopper)
    with django_assert_num_queries(1):  # the session and user, read once
        client.get("/api/v1/storefront/bench/floor")
    with django_assert_num_queries(0):  # ... and then from the cache
        response = client.get("/api/v1/storefront/bench/floor")
    assert response.json() == {"message": "OK", "success": True, "content": {"pong": True}}

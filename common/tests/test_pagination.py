import pytest
from django.http import QueryDict

from accounts.models import User
from accounts.services import user_create
from common.exceptions import BadRequest, InvalidInput
from common.pagination import paginate, parse_list_params

SORTS = {"created_at": "created_at", "email": "email"}
DEFAULT = {"created_at": "desc"}


def params(query: str):
    return parse_list_params(QueryDict(query), sort_fields=SORTS, default_sort=DEFAULT)


def test_defaults():
    p = params("")
    assert (p.page, p.limit, p.ordering) == (1, 25, ["-created_at"])


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "limit=-1", "limit=1.5", "page=0", "page=x"])
def test_bad_page_or_limit_is_a_validation_error(query):
    with pytest.raises(InvalidInput) as exc:
        params(query)
    assert query.split("=")[0] in exc.value.errors


def test_limit_bounds_are_inclusive():
    assert params("limit=1").limit == 1
    assert params("limit=100").limit == 100


@pytest.mark.parametrize(
    "sort_by",
    ['{"password":"asc"}', "not-json", '["created_at"]', '{"created_at":"up"}', "{}", '{"created_at":1}'],
)
def test_bad_sort_is_bad_request(sort_by):
    with pytest.raises(BadRequest):
        params(QueryDict(mutable=True).urlencode() + "sort_by=" + sort_by)


def test_sort_by_json_object():
    assert params('sort_by={"email":"asc","created_at":"desc"}').ordering == ["email", "-created_at"]


@pytest.mark.django_db
def test_paginate_pages_and_past_the_end(django_assert_num_queries):
    for n in range(5):
        user_create(password=None, email=f"u{n}@example.com")
    queryset = User.objects.all()
    with django_assert_num_queries(2):
        items, info = paginate(queryset, params('limit=2&page=1&sort_by={"email":"asc"}'))
    assert [u.email for u in items] == ["u0@example.com", "u1@example.com"]
    assert info == {
        "total_records": 5,
        "total_pages": 3,
        "current_page": 1,
        "previous_page": None,
        "next_page": 2,
        "limit": 2,
    }
    items, info = paginate(queryset, params("limit=2&page=3"))
    assert len(items) == 1 and info["next_page"] is None and info["previous_page"] == 2
    items, info = paginate(queryset, params("limit=2&page=9"))
    assert items == [] and info["current_page"] == 9 and info["next_page"] is None
    items, info = paginate(User.objects.none(), params(""))
    assert items == [] and info["total_pages"] == 0 and info["next_page"] is None


def test_a_bad_sort_names_a_field_the_list_sorts_by():
    from orders.selectors import ORDER_DEFAULT_SORT, ORDER_SORT_FIELDS

    with pytest.raises(BadRequest, match='such as {"order_date":"desc"}'):
        parse_list_params(QueryDict("sort_by=oops"), sort_fields=ORDER_SORT_FIELDS, default_sort=ORDER_DEFAULT_SORT)

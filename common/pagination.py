"""Lists (CONTRACT.md section 4): page/limit, JSON `sort_by`, pagination (filters: common.filters)."""

import json
import math
from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from common.exceptions import BadRequest, InvalidInput
from common.filters import IsoDateField, ListFilterSet

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Far beyond any real list (a billion pages of up to 100), and its offset still fits the 64-bit
# OFFSET of PostgreSQL and SQLite: a larger page number is a 400 rather than a database error.
MAX_PAGE = 1_000_000_000


@dataclass(frozen=True)
class ListParams:
    page: int
    limit: int
    ordering: list[str]  # ready for QuerySet.order_by()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def _positive_int(query_params, name: str, default: int, maximum: int | None = None) -> int:
    raw = query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < 1 or (maximum is not None and value > maximum):
        bound = f"between 1 and {maximum}" if maximum else "1 or more"
        raise InvalidInput.for_field(name, f"{name} must be a whole number {bound}.")
    return value


def parse_list_params(query_params, *, sort_fields: dict[str, str], default_sort: dict[str, str]) -> ListParams:
    """Read and check the page, limit and sort of a list request (its filters: a FilterSet).

    `sort_fields` maps the public sort names to model fields.
    """
    page = _positive_int(query_params, "page", 1, MAX_PAGE)
    limit = _positive_int(query_params, "limit", DEFAULT_LIMIT, MAX_LIMIT)

    raw_sort = query_params.get("sort_by")
    sort = default_sort
    if raw_sort not in (None, ""):
        # The example names a field this list sorts by (its default sort).
        shape = f"sort_by must be a JSON object such as {json.dumps(default_sort, separators=(',', ':'))}."
        try:
            sort = json.loads(raw_sort)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            raise BadRequest(shape) from None
        if not isinstance(sort, dict) or not sort:
            raise BadRequest(shape)
    ordering = []
    for name, direction in sort.items():
        if name not in sort_fields:
            allowed = ", ".join(sorted(sort_fields))
            raise BadRequest(f"Cannot sort by {name!r}; use one of: {allowed}.")
        if not isinstance(direction, str) or direction.lower() not in ("asc", "desc"):
            raise BadRequest(f'Sort direction for {name!r} must be "asc" or "desc".')
        prefix = "-" if direction.lower() == "desc" else ""
        ordering.append(f"{prefix}{sort_fields[name]}")
    return ListParams(page=page, limit=limit, ordering=ordering)


def pagination_info(*, total: int, params: ListParams) -> dict:
    total_pages = math.ceil(total / params.limit) if total else 0
    return {
        "total_records": total,
        "total_pages": total_pages,
        "current_page": params.page,
        "previous_page": params.page - 1 if params.page > 1 else None,
        "next_page": params.page + 1 if params.page < total_pages else None,
        "limit": params.limit,
    }


def paginate(queryset, params: ListParams) -> tuple[list, dict]:
    """One COUNT and one page query (plus the queryset's own prefetches), whatever the limit."""
    total = queryset.count()
    # The primary key breaks ties, so pages never overlap or skip rows with equal sort values.
    tiebreak = "-pk" if params.ordering and params.ordering[-1].startswith("-") else "pk"
    ordered = queryset.order_by(*params.ordering, tiebreak)
    items = list(ordered[params.offset : params.offset + params.limit])
    return items, pagination_info(total=total, params=params)


def paginate_request(request, queryset, *, sort_fields: dict[str, str], default_sort: dict[str, str]):
    """A list endpoint's page: the request's page, limit and sort_by checked, then paginate()."""
    params = parse_list_params(request.query_params, sort_fields=sort_fields, default_sort=default_sort)
    return paginate(queryset, params)


class PaginationOutput(serializers.Serializer):
    """The `pagination` object of every list (for the OpenAPI schema)."""

    total_records = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    current_page = serializers.IntegerField()
    previous_page = serializers.IntegerField(allow_null=True)
    next_page = serializers.IntegerField(allow_null=True)
    limit = serializers.IntegerField()


def list_parameters(*, sort_fields, filterset: type[ListFilterSet] | None = None) -> list:
    """OpenAPI query parameters of a list endpoint: page, limit, sort_by and its FilterSet's."""
    params = [
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            required=False,
            description="Page number, from 1; past the last page the list is empty.",
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            required=False,
            description=f"Items per page, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT}).",
        ),
        OpenApiParameter(
            "sort_by",
            str,
            required=False,
            description='JSON object, e.g. {"created_at":"desc"}. Fields: ' + ", ".join(sort_fields),
        ),
    ]
    for name, declared in filterset.base_filters.items() if filterset else ():
        if issubclass(declared.field_class, IsoDateField):  # e.g. the order history's `order_date_from`
            description = declared.extra.get("help_text", "")
            params.append(OpenApiParameter(name, OpenApiTypes.DATE, required=False, description=description))
            continue
        if "values" not in declared.extra:  # a free-text filter (e.g. the order history's `search`)
            params.append(OpenApiParameter(name, str, required=False, description=declared.extra.get("help_text", "")))
            continue
        params.append(
            OpenApiParameter(
                name,
                str,
                many=True,
                enum=list(declared.extra["values"]),
                required=False,
                description=f"Repeat for several values; `{name}[]` works too.",
            )
        )
    return params

"""The filters lists share (common.filters): multi-value query parameters, cleaned or refused."""

import pytest
from django.http import QueryDict

from accounts.models import User
from accounts.services import user_create
from common.exceptions import InvalidInput
from common.filters import ListFilterSet, MultiValueFilter


class ColourFilter(ListFilterSet):
    first_name = MultiValueFilter(values=("red", "green", "blue"))

    class Meta:
        model = User
        fields: list[str] = []


def cleaned(query: str) -> dict:
    return ColourFilter(QueryDict(query)).cleaned()


def test_repeated_bracketed_and_comma_separated_values_are_one_list_in_order_once_each():
    assert cleaned("first_name=red&first_name[]=blue&first_name=red") == {"first_name": ["red", "blue"]}
    assert cleaned("first_name=green,red") == {"first_name": ["green", "red"]}
    assert cleaned("first_name[]=blue&first_name[]=green") == {"first_name": ["blue", "green"]}
    assert cleaned("first_name=&first_name=, ,") == {} == cleaned("page=2")


def test_an_unknown_value_is_a_validation_error_naming_the_field():
    with pytest.raises(InvalidInput) as exc:
        cleaned("first_name=red&first_name=mauve")
    assert exc.value.code == "validation_error"
    assert exc.value.errors == {"first_name": ["Unknown value mauve."]}
    assert exc.value.message == "first_name: Unknown value mauve."


@pytest.mark.django_db
def test_the_queryset_is_filtered_by_the_same_values():
    for n, name in enumerate(("red", "green", "blue")):
        user_create(password=None, email=f"u{n}@example.com", first_name=name)
    filtered = ColourFilter(QueryDict("first_name=red,blue")).qs
    assert sorted(filtered.values_list("first_name", flat=True)) == ["blue", "red"]


def test_the_form_class_is_built_once_per_filterset():
    first, second = ColourFilter(QueryDict("first_name=red")), ColourFilter(QueryDict("first_name=blue"))
    assert type(first.form) is type(second.form)
    assert (first.cleaned(), second.cleaned()) == ({"first_name": ["red"]}, {"first_name": ["blue"]})

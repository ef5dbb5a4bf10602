"""Address book services: country rules, the defaults, the limit, subscriptions holding an address."""

import pytest
from django.db import IntegrityError, transaction

from common.exceptions import DomainError, InvalidInput
from common.testing import run_together
from customers import services
from customers.models import Address, Subscription, SubscriptionStatus

from .factories import address_data, make_address, make_product

pytestmark = pytest.mark.django_db


def defaults(customer):
    billing = Address.objects.filter(customer=customer, is_default_billing=True)
    shipping = Address.objects.filter(customer=customer, is_default_shipping=True)
    return list(billing.values_list("pk", flat=True)), list(shipping.values_list("pk", flat=True))


# --- validation ---------------------------------------------------------------------------


def test_state_and_pincode_are_normalised_for_india(shopper):
    address = make_address(shopper, state="tamil nadu", pincode=" 600001 ", country="in")
    assert (address.state, address.pincode, address.country) == ("Tamil Nadu", "600001", "India")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"pincode": "012345"}, "pincode"),
        ({"pincode": "56001"}, "pincode"),
        ({"state": "Atlantis"}, "state"),
        ({"country": "United States", "state": "CA", "pincode": "ABCDE"}, "pincode"),
    ],
)
def test_bad_country_rules_name_the_field(shopper, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        make_address(shopper, **overrides)
    assert field in exc.value.errors
    assert not Address.objects.exists()


def test_each_country_keeps_the_fields_its_addresses_have(shopper):
    """Google's address data: a German address names no state, a Japanese one a prefecture from
    its list (kept in Latin letters), a country nobody knows is refused."""
    assert make_address(shopper, country="Germany", state="Berlin-Mitte", pincode="10115").state == ""
    assert make_address(shopper, country="JP", state="tokyo", pincode="154-0023").state == "Tokyo"
    with pytest.raises(InvalidInput) as refused:
        make_address(shopper, country="Freedonia", state="North", pincode="FR-123")
    assert list(refused.value.errors) == ["country"]


# --- defaults -----------------------------------------------------------------------------


def test_first_address_becomes_both_defaults(shopper):
    first = make_address(shopper)
    second = make_address(shopper, nickname="Office")
    assert defaults(shopper) == ([first.pk], [first.pk])
    assert not second.is_default_billing and not second.is_default_shipping


def test_new_default_unsets_the_old_one(shopper):
    first = make_address(shopper)
    second = make_address(shopper, is_default_shipping=True)
    assert defaults(shopper) == ([first.pk], [second.pk])
    services.address_set_default(address=first, shipping=True)
    services.address_update(address=second, data={"is_default_billing": True})
    assert defaults(shopper) == ([second.pk], [first.pk])


def test_defaults_of_customers_are_independent(shopper, other_shopper):
    mine, theirs = make_address(shopper), make_address(other_shopper)
    assert defaults(shopper) == ([mine.pk], [mine.pk])
    assert defaults(other_shopper) == ([theirs.pk], [theirs.pk])


def test_the_only_address_cannot_give_up_its_defaults(shopper):
    """Exactly one default of each kind: with no other address to take the flag, it stays."""
    first = make_address(shopper)
    with pytest.raises(DomainError) as exc:
        services.address_update(address=first, data={"is_default_billing": False, "is_default_shipping": False})
    assert exc.value.code == "default_address_required" and exc.value.status_code == 409
    assert set(exc.value.errors) == {"is_default_billing", "is_default_shipping"}
    assert defaults(shopper) == ([first.pk], [first.pk])


def test_unsetting_a_default_hands_it_to_the_most_recently_edited_other_address(shopper):
    first, second, third = (make_address(shopper) for _ in range(3))
    services.address_update(address=second, data={"nickname": "Office"})  # edited last
    services.address_update(address=first, data={"is_default_billing": False, "nickname": "Old home"})
    assert defaults(shopper) == ([second.pk], [first.pk])
    first.refresh_from_db()
    assert first.nickname == "Old home"
    # Unsetting a flag the address does not have changes nothing.
    services.address_update(address=third, data={"is_default_billing": False})
    assert defaults(shopper) == ([second.pk], [first.pk])


def test_unsetting_one_flag_while_taking_the_other(shopper):
    first, second = make_address(shopper), make_address(shopper)
    services.address_update(address=second, data={"is_default_shipping": True})
    services.address_update(address=second, data={"is_default_shipping": False, "is_default_billing": True})
    assert defaults(shopper) == ([second.pk], [first.pk])


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_unsets_leave_exactly_one_default(shopper):
    """The same request twice at once: the first hands the flag on, the second finds it gone."""
    first, second = make_address(shopper), make_address(shopper)
    errors = run_together(
        lambda: services.address_update(address=first, data={"is_default_billing": False}),
        lambda: services.address_update(address=first, data={"is_default_billing": False}),
    )
    assert errors == []
    assert defaults(shopper) == ([second.pk], [first.pk])


def test_database_refuses_a_second_default(shopper):
    make_address(shopper)
    second = make_address(shopper)
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.filter(pk=second.pk).update(is_default_billing=True)


def test_deleting_a_default_moves_it_to_the_most_recently_updated(shopper):
    first = make_address(shopper)
    second = make_address(shopper, nickname="Office")
    third = make_address(shopper, nickname="Parents")
    services.address_update(address=second, data={"city": "Mysuru", "pincode": "570001"})
    services.address_delete(address=first)
    assert defaults(shopper) == ([second.pk], [second.pk])
    services.address_delete(address=second)
    assert defaults(shopper) == ([third.pk], [third.pk])
    services.address_delete(address=third)
    assert defaults(shopper) == ([], [])


def test_deleting_a_non_default_keeps_the_defaults(shopper):
    first = make_address(shopper)
    services.address_delete(address=make_address(shopper))
    assert defaults(shopper) == ([first.pk], [first.pk])


# --- update -------------------------------------------------------------------------------


def test_update_changes_only_what_is_sent_and_revalidates(shopper):
    address = make_address(shopper)
    address = services.address_update(address=address, data={"landmark": "Near the park"})
    assert address.landmark == "Near the park" and address.city == "Bengaluru"
    with pytest.raises(InvalidInput):
        services.address_update(address=address, data={"state": "Nowhere"})
    assert Address.objects.get(pk=address.pk).state == "Karnataka"


# --- subscriptions and limits -------------------------------------------------------------


@pytest.mark.parametrize("status", [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED])
def test_address_of_a_live_subscription_cannot_be_deleted(shopper, status):
    home, office = make_address(shopper), make_address(shopper)
    subscription = Subscription.objects.create(
        customer=shopper, product=make_product(), shipping_address=office, billing_address=home, status=status
    )
    for address in (home, office):
        with pytest.raises(DomainError) as exc:
            services.address_delete(address=address)
        assert exc.value.code == "address_in_use"
        assert exc.value.extra == {"subscription_id": subscription.id}
    assert Address.objects.filter(customer=shopper).count() == 2


def test_address_of_a_cancelled_subscription_can_be_deleted(shopper):
    home = make_address(shopper)
    subscription = Subscription.objects.create(
        customer=shopper,
        product=make_product(),
        shipping_address=home,
        billing_address=home,
        status=SubscriptionStatus.CANCELLED,
    )
    services.address_delete(address=home)
    subscription.refresh_from_db()
    assert subscription.shipping_address is None


def test_at_most_50_addresses(shopper):
    Address.objects.bulk_create([Address(customer=shopper, **address_data()) for _ in range(50)])
    with pytest.raises(InvalidInput) as exc:
        make_address(shopper)
    assert exc.value.code == "limit_exceeded"
    assert Address.objects.filter(customer=shopper).count() == 50


# --- races --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_default_switches_leave_exactly_one_default(shopper):
    addresses = [make_address(shopper, nickname=f"A{n}") for n in range(6)]
    for _ in range(5):
        errors = run_together(
            *[(lambda a=a: services.address_set_default(address=a, billing=True, shipping=True)) for a in addresses]
        )
        assert errors == []
        billing, shipping = defaults(shopper)
        assert len(billing) == 1 and len(shipping) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_addresses_give_one_default_each(shopper):
    errors = run_together(*[(lambda n=n: make_address(shopper, nickname=f"N{n}")) for n in range(6)])
    assert errors == []
    billing, shipping = defaults(shopper)
    assert Address.objects.filter(customer=shopper).count() == 6
    assert len(billing) == 1 and len(shipping) == 1


def test_subscription_addresses_must_be_the_customers(shopper, other_shopper):
    from django.core.exceptions import ValidationError

    theirs = make_address(other_shopper)
    subscription = Subscription(
        customer=shopper, product=make_product(), shipping_address=theirs, billing_address=theirs
    )
    with pytest.raises(ValidationError) as exc:
        subscription.full_clean()
    assert {"shipping_address", "billing_address"} <= set(exc.value.message_dict)

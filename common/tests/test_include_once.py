"""`include_once` (common.templatetags.ui): a fragment drawn once per language, script prefix,
settings and values, and reused by later pages; the account's navigation and the footer's
language buttons are drawn by it."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from common.templatetags import ui

pytestmark = pytest.mark.django_db

NAV = '{% include_once "account/_nav.html" section=section loyalty_enabled=loyalty %}'


def draw(section="dashboard", loyalty=True, language="en"):
    with translation.override(language):
        return engines["django"].from_string(NAV).render({"section": section, "loyalty": loyalty})


def test_each_section_and_language_has_its_own_fragment():
    ui._ONCE.clear()
    overview, orders = draw("dashboard"), draw("order-detail")
    assert 'href="/account/" aria-current="page"' in overview and 'aria-current="page">Orders' not in overview
    assert 'aria-current="page">Orders</a>' in orders and 'href="/account/" aria-current' not in orders
    hindi = draw("dashboard", language="hi")
    assert "Overview" in overview and "Overview" not in hindi and "ऑर्डर" in hindi
    assert draw("dashboard") == overview  # reused, not redrawn
    assert len(ui._ONCE) == 3


def test_a_setting_it_reads_or_a_script_prefix_is_part_of_what_it_is_kept_by():
    ui._ONCE.clear()
    assert "Rewards" in draw(loyalty=True)
    with override_settings(LOYALTY_ENABLED=False):
        assert "Rewards" not in draw(loyalty=False)
    set_script_prefix("/shop/")
    try:
        assert 'href="/shop/account/"' in draw()
    finally:
        clear_script_prefix()
    assert 'href="/account/"' in draw()


def test_the_memo_is_bounded_whatever_the_values(monkeypatch):
    ui._ONCE.clear()
    monkeypatch.setattr(ui, "_ONCE_LIMIT", 3)
    for n in range(5):
        draw(f"<b>{n}</b>")
    assert len(ui._ONCE) <= 3


def test_pages_draw_the_navigation_for_their_own_section(signed_in):
    ui._ONCE.clear()
    orders = signed_in.get("/account/orders/").content.decode()
    addresses = signed_in.get("/account/addresses/").content.decode()
    assert 'aria-current="page">Orders</a>' in orders and 'aria-current="page">Addresses</a>' not in orders
    assert 'aria-current="page">Addresses</a>' in addresses and 'aria-current="page">Orders</a>' not in addresses
    signed_in.post("/account/language/", {"language": "hi", "next": "/account/orders/"})
    hindi = signed_in.get("/account/orders/").content.decode()
    assert 'lang="hi"' in hindi and ">Orders</a>" not in hindi

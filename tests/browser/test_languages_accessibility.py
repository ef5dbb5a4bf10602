"""Hindi in a real browser, and the accessibility statement's keyboard and screen-reader passes
(issue 30 items 1 and 5), at 1280 and 390 px with axe-core's WCAG 2.2 rules on every page
(conftest): the language switch in the footer, three pages in Hindi, and the whole account used
with the keyboard alone."""

import json
from io import BytesIO

from playwright.sync_api import expect
from pypdf import PdfReader

from orders.lifecycle import ORDER_RECEIVED_STATUSES
from orders.models import Order

from .conftest import ARTIFACTS, assert_fits_the_screen, sign_in, snapshot


def test_hindi_from_the_switch_on_every_page(page):
    page.goto("/account/sign-in/")
    page.get_by_role("button", name="हिंदी").click()
    expect(page.get_by_role("heading", name="साइन इन")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "hi"
    assert_fits_the_screen(page)
    snapshot(page, "hindi-sign-in", full_page=True)
    page.get_by_label("मोबाइल नंबर या ईमेल").fill("demo@example.com")
    page.get_by_label("पासवर्ड").fill("demo-pass-123")
    page.get_by_role("button", name="साइन इन", exact=True).click()
    expect(page.get_by_role("heading", name="नमस्ते, Asha")).to_be_visible()
    expect(page.get_by_role("heading", name="हाल के ऑर्डर")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "hindi-overview", full_page=True)
    page.get_by_role("link", name="पते").first.click()
    page.get_by_role("link", name="पता जोड़ें").first.click()
    expect(page.get_by_label("राज्य या केंद्र शासित प्रदेश")).to_be_visible()
    expect(page.get_by_label("पिन कोड")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "hindi-address-form", full_page=True)
    page.goto("/accessibility")
    expect(page.get_by_role("heading", name="सुलभता (एक्सेसिबिलिटी) विवरण")).to_be_visible()
    snapshot(page, "hindi-accessibility", full_page=True)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Accessibility statement")).to_be_visible()


def _demo_received_order() -> Order:
    """The demo shopper's newest order that has arrived (it has a tax invoice)."""
    return (
        Order.objects.filter(customer__email="demo@example.com", status__in=ORDER_RECEIVED_STATUSES)
        .order_by("-order_date")
        .first()
    )


def test_an_order_and_its_tax_invoice_in_hindi_page_and_pdf(page):
    """Issue 30: a delivered order, its invoice page and the invoice PDF, in Hindi; axe-core checks
    both pages (conftest) at this width."""
    sign_in(page)
    page.get_by_role("button", name="हिंदी").click()
    order = _demo_received_order()
    page.goto(f"/account/orders/{order.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    expect(page.get_by_role("heading", name="भुगतान और रिफ़ंड")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "hindi-order", full_page=True)
    page.get_by_role("link", name="टैक्स इनवॉइस देखें").click()
    expect(page.get_by_role("heading", name="टैक्स इनवॉइस", exact=True)).to_be_visible()
    expect(page.get_by_text("इनवॉइस की तारीख")).to_be_visible()
    assert_fits_the_screen(page)
    snapshot(page, "hindi-invoice", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF डाउनलोड करें").click()
    pdf = download.value.path().read_bytes()
    (ARTIFACTS / "hindi-invoice.pdf").write_bytes(pdf)
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "टैक्स इनवॉइस" in text and order.number.replace("ORD-", "INV-") in text and "Tax Invoice" not in text


def test_every_account_page_in_hindi_passes_axe_core(page):
    """Issue 30 item 5: axe-core's WCAG 2.2 rules on every page in both languages. The English
    pages are each some journey's; here every page of the account is loaded once in Hindi, and
    conftest runs axe-core on each (at this width), where a translated label no longer holding
    its button's text (label-content-name-mismatch) shows."""
    sign_in(page)
    page.get_by_role("button", name="हिंदी").click()
    order = _demo_received_order()
    address = order.customer.addresses.order_by("created_at").first()
    message = order.customer.messages.order_by("-created_at").first()
    pages = [
        "/account/orders/",
        "/account/orders/?status=cancelled&sort=oldest",
        "/account/wishlist/",
        "/account/rewards/",
        "/account/reviews/",
        "/account/messages/",
        f"/account/messages/{message.pk}/",
        "/account/profile/",
        "/account/profile/sessions/",
        "/account/profile/confirm/",
        "/account/business/",
        "/account/addresses/",
        f"/account/addresses/{address.pk}/",
        f"/account/addresses/{address.pk}/delete/",
        f"/account/orders/{order.number}/return/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == "hi", path
        assert_fits_the_screen(page)


def _tab_to(page, name: str, limit: int = 60) -> list[str]:
    """Press Tab until the focused element's accessible name is `name`; the names passed on the
    way, each checked to show where the focus is (an outline or a box shadow)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            const label = (e.getAttribute('aria-label') || e.innerText || e.value || e.labels?.[0]?.innerText || '').trim();
            return {name: label.split('\\n')[0], outline: s.outlineStyle !== 'none' && s.outlineWidth !== '0px',
                    shadow: s.boxShadow !== 'none', tag: e.tagName, bs: s.boxShadow, f: e.matches(':focus'), fv: e.matches(':focus-visible'), type: e.type}; }"""
        )
        assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
        seen.append(focused["name"])
        if focused["name"].startswith(name):
            return seen
    raise AssertionError(f"{name!r} not reached with Tab; passed {seen}")


def _keyboard_journey(page):
    page.goto("/accessibility")
    passed = _tab_to(page, "Skip to content")
    assert passed == ["Skip to content"]  # the first stop of every page
    expect(page.get_by_role("link", name="Skip to content")).to_be_visible()  # shown when focused
    page.goto("/account/sign-in/")
    expect(page.get_by_label("Mobile number or email")).to_be_focused()  # autofocus: type at once
    page.keyboard.type("demo@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("demo-pass-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Asha")).to_be_visible()
    _tab_to(page, "Orders")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    _tab_to(page, "ORD-", limit=120)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ORD-")
    _tab_to(page, "Sign out", limit=300)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_account_with_the_keyboard_alone(page):
    _keyboard_journey(page)


def test_the_keyboard_journey_at_320_px_a_1280_px_screen_at_400_percent_zoom(page):
    page.set_viewport_size({"width": 320, "height": 640})
    _keyboard_journey(page)
    assert_fits_the_screen(page)


def test_what_a_screen_reader_reads(page):
    """The accessibility tree of the pages the statement names, kept with the test results
    (test-artifacts/browser/screen-reader-*.txt): every control named, headings in order."""
    sign_in(page)
    readings = {}
    for name, url in [
        ("overview", "/account/"),
        ("orders", "/account/orders/"),
        ("address-form", "/account/addresses/new/"),
    ]:
        page.goto(url)
        tree = page.locator("body").aria_snapshot()
        readings[name] = tree
        assert "- banner:" in tree and "- main:" in tree and "- contentinfo:" in tree
        assert '- link "Skip to content"' in tree
        unnamed = [
            line
            for line in tree.splitlines()
            if line.strip() in ('- button ""', '- link ""', "- textbox", "- combobox")
        ]
        assert not unnamed, f"{name}: controls without a name: {unnamed}"
    assert '- heading "Recent orders"' in readings["overview"]
    assert '- combobox "Country"' in readings["address-form"] and '- textbox "PIN code"' in readings["address-form"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    (ARTIFACTS / f"screen-reader-{width}px.json").write_text(json.dumps(readings, ensure_ascii=False, indent=1))

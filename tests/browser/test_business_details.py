"""Issue 27 item 5: the Business details card. From Profile, the shopper adds a PAN with a photo,
is told inline that a GSTIN of another PAN cannot be theirs, adds the right GSTIN, reads each
status in words, and removes the PAN; at 1280 and 390 px, with 16 px inputs (no zoom on phones)."""

import re

from playwright.sync_api import expect

from common.tests.imagefiles import png

from .conftest import assert_accessible, assert_fits_the_screen, assert_in_view, sign_in, snapshot


def _section(page, title):
    return page.get_by_role("region", name=title)


def test_business_details_add_refuse_fix_and_remove(page, tmp_path):
    from customers.models import Document

    photo = tmp_path / "pan.png"
    photo.write_bytes(png((300, 200), "RGB"))
    sign_in(page)
    page.goto("/account/profile/")
    expect(page.get_by_role("heading", name="Business details")).to_be_visible()
    page.get_by_role("link", name="GSTIN and PAN").click()
    expect(page.get_by_role("heading", level=1, name="Business details")).to_be_visible()
    assert_fits_the_screen(page)

    pan = _section(page, "PAN")
    number = pan.get_by_label("PAN number")
    assert page.evaluate("el => getComputedStyle(el).fontSize", number.element_handle()) == "16px"
    number.fill("abcpe1234f")
    pan.get_by_label(re.compile("^Photo or scan")).set_input_files(str(photo))
    pan.get_by_role("button", name="Add PAN").click()
    expect(page.get_by_text("Your PAN is saved.")).to_be_visible()
    expect(_section(page, "PAN").get_by_text("Verified (checked automatically)")).to_be_visible()
    expect(_section(page, "PAN").get_by_role("link", name=re.compile("View the photo"))).to_be_visible()

    gst = _section(page, "GSTIN")
    gst.get_by_label("GSTIN number").fill("27AAPFU0939F1ZV")
    gst.get_by_role("button", name="Add GSTIN").click()
    error = _section(page, "GSTIN").get_by_text(re.compile("The PAN inside GSTIN 27AAPFU0939F1ZV is AAPFU0939F"))
    expect(error).to_be_visible()
    assert_in_view(page, _section(page, "GSTIN").get_by_label("GSTIN number"))
    assert_fits_the_screen(page)
    snapshot(page, "business-details-error")
    assert_accessible(page)  # the page with the inline error, which a GET cannot load again

    _section(page, "GSTIN").get_by_label("GSTIN number").fill("27ABCPE1234F1ZB")
    _section(page, "GSTIN").get_by_role("button", name="Add GSTIN").click()
    expect(page.get_by_text("Your GSTIN is saved.")).to_be_visible()
    expect(_section(page, "GSTIN").get_by_text("27ABCPE1234F1ZB")).to_be_visible()
    assert list(Document.objects.order_by("created_at").values_list("document_number", "status")) == [
        ("ABCPE1234F", "approved"),
        ("27ABCPE1234F1ZB", "approved"),
    ]

    _section(page, "PAN").get_by_role("button", name="Remove PAN").click()
    expect(page.get_by_text("Your PAN is removed.")).to_be_visible()
    expect(_section(page, "PAN").get_by_role("button", name="Add PAN")).to_be_visible()
    assert list(Document.objects.values_list("document_number", flat=True)) == ["27ABCPE1234F1ZB"]
    assert_fits_the_screen(page)
    snapshot(page, "business-details-done", full_page=True)

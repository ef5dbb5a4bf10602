"""The tax invoice of a delivered order: one function builds its data (`invoice_build`), and both
the printable page and the PDF (`invoice_pdf`, fpdf2: pure Python, nothing from apt) show it, in
the language of the moment (the shopper's), with dates as that language writes them
(common.shoptime). The PDF embeds Noto Sans and Noto Sans Devanagari (orders/fonts, SIL OFL) and
shapes its text with HarfBuzz, so Hindi, ₹ and a name written in Devanagari print as written.

GST: a sale shipped inside the seller's state (settings.SHOP_STATE) is charged half CGST and half
SGST; one shipped to another state is charged IGST. The amounts are the order's own (its lines'
tax as placed), only split here.

fpdf2 is imported when the first PDF is written, not with the module: it costs each web worker
about 17 MB of memory (measured after django.setup()), and a PDF is a rare download (issue 28's
goal of 150 MB per worker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import get_language, gettext, ngettext, pgettext

from catalog.models import TAX_RATE, Product
from common.money import money_round, money_text
from common.shoptime import date_text, shop_localtime
from customers.documents import buyer_gstin

from .lifecycle import ORDER_RECEIVED_STATUSES
from .models import Order

if TYPE_CHECKING:
    from fpdf import FPDF

ZERO = Decimal("0.00")
# The services accounting code for goods transport (courier) services, on the shipping line.
SHIPPING_SAC = "996812"


def is_invoice_available(order: Order) -> bool:
    """A tax invoice exists once the order is delivered (or complete)."""
    return order.status in ORDER_RECEIVED_STATUSES


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    hsn_code: str
    quantity: int
    taxable_value: Decimal
    tax_rate: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal

    @property
    def total(self) -> Decimal:
        return self.taxable_value + self.cgst + self.sgst + self.igst


@dataclass(frozen=True)
class Invoice:
    seller: dict
    number: str
    date: object
    order_number: str
    order_date: object
    billing_address: dict
    shipping_address: dict
    intra_state: bool
    lines: list[InvoiceLine]
    coupon_code: str
    coupon_discount: Decimal
    points_redeemed: int
    grand_total: Decimal
    totals: dict = field(default_factory=dict)
    buyer_gstin: str = ""


def _split(tax: Decimal, intra_state: bool) -> tuple[Decimal, Decimal, Decimal]:
    """(CGST, SGST, IGST) of a line's tax; half of it rounds up (common.money), so an odd paisa
    goes to CGST and SGST is the rest: the halves add up."""
    if not intra_state:
        return ZERO, ZERO, tax
    cgst = money_round(tax / 2)
    return cgst, tax - cgst, ZERO


def _line(description, hsn_code, quantity, taxable, tax, rate, intra_state) -> InvoiceLine:
    cgst, sgst, igst = _split(tax, intra_state)
    return InvoiceLine(
        description=description,
        hsn_code=hsn_code or "—",
        quantity=quantity,
        taxable_value=taxable,
        tax_rate=rate,
        cgst=cgst,
        sgst=sgst,
        igst=igst,
    )


def invoice_build(order: Order) -> Invoice:
    """The invoice of an order whose items are loaded (selectors.order_get_for_customer); two
    queries more, for the products' HSN codes and the buyer's GSTIN (customers.documents)."""
    items = list(order.items.all())
    hsn = dict(
        Product.objects.filter(pk__in={i.product_id for i in items if i.product_id}).values_list("pk", "hsn_code")
    )
    place = (order.shipping_address or order.billing_address or {}).get("state", "")
    intra_state = place.strip().casefold() == settings.SHOP_STATE.strip().casefold()
    lines = [
        _line(
            f"{i.product_name}{f' ({i.variant_name})' if i.variant_name else ''}",
            hsn.get(i.product_id, ""),
            i.quantity,
            i.selling_price_excluding_tax * i.quantity - i.promotion_discount_amount,
            i.tax_amount,
            i.tax_rate,
            intra_state,
        )
        for i in items
    ]
    if order.shipping_amount_including_tax:
        rate = items[0].tax_rate if items else TAX_RATE
        lines.append(
            _line(
                pgettext("invoice line", "Shipping"),
                SHIPPING_SAC,
                1,
                order.shipping_amount,
                order.shipping_tax_amount,
                rate,
                intra_state,
            )
        )
    totals = {
        name: sum((getattr(line, name) for line in lines), ZERO) for name in ("taxable_value", "cgst", "sgst", "igst")
    }
    totals["tax"] = totals["cgst"] + totals["sgst"] + totals["igst"]
    return Invoice(
        seller={"name": settings.SHOP_NAME, "address": settings.SHOP_ADDRESS, "gstin": settings.SHOP_GSTIN},
        number=order.number.replace("ORD-", "INV-", 1),
        date=shop_localtime(order.delivered_at or order.completed_at or order.order_date),
        order_number=order.number,
        order_date=shop_localtime(order.order_date),
        billing_address=order.billing_address or {},
        shipping_address=order.shipping_address or {},
        intra_state=intra_state,
        lines=lines,
        coupon_code=order.coupon_code,
        coupon_discount=order.coupon_discount_amount,
        points_redeemed=order.loyalty_points_redeemed,
        grand_total=order.grand_total,
        totals=totals,
        buyer_gstin=buyer_gstin(customer_id=order.customer_id, billing_address=order.billing_address),
    )


# --- the PDF ---------------------------------------------------------------------------------

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSans"
# Text the Latin font has no glyph for (Devanagari) is drawn in this one.
FALLBACK_FONT = "NotoSansDevanagari"


def _text(value) -> str:
    """A value as the PDF prints it. The embedded fonts cover Latin, Devanagari and ₹; a glyph of
    another script prints as a blank box (fpdf2 logs it), never an error."""
    return str(value)


def _amount(value: Decimal) -> str:
    """1,048.00: the website's money text without its symbol (the columns say they are rupees)."""
    return money_text(value, symbol="")


def _rate(value: Decimal) -> str:
    """18% (as the page writes it: no trailing zeros), 2.5%."""
    return f"{value.normalize():f}%"


def _address_lines(a: dict) -> list[str]:
    name = " ".join(filter(None, [a.get("first_name"), a.get("last_name")]))
    return [
        line
        for line in [
            name + (f", {a['business_name']}" if a.get("business_name") else ""),
            ", ".join(filter(None, [a.get("address_line1"), a.get("address_line2"), a.get("landmark")])),
            " ".join(filter(None, [a.get("city", "") + ",", a.get("state"), a.get("pincode")])),
            a.get("country", ""),
        ]
        if line.strip(" ,")
    ]


def _pdf_header(pdf: FPDF, invoice: Invoice) -> None:
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, gettext("Tax Invoice"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 5.5, _text(invoice.seller["name"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        0,
        4.8,
        _text(f"{invoice.seller['address']}\nGSTIN: {invoice.seller['gstin']}"),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    place = invoice.shipping_address.get("state") or invoice.billing_address.get("state", "")
    pdf.multi_cell(
        0,
        4.8,
        _text(
            gettext("Invoice number: %(number)s    Invoice date: %(date)s")
            % {"number": invoice.number, "date": date_text(invoice.date)}
            + "\n"
            + gettext("Order number: %(number)s    Order date: %(date)s")
            % {"number": invoice.order_number, "date": date_text(invoice.order_date)}
            + "\n"
            + gettext("Place of supply: %(place)s") % {"place": place}
        ),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    top, half = pdf.get_y(), (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for column, (title, address) in enumerate(
        ((gettext("Billed to"), invoice.billing_address), (gettext("Shipped to"), invoice.shipping_address))
    ):
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(half, 5.5, title, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        lines = _address_lines(address)
        if column == 0 and invoice.buyer_gstin:
            lines.append(f"GSTIN: {invoice.buyer_gstin}")
        pdf.multi_cell(half - 4, 4.8, _text("\n".join(lines)), align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 28) + 2)


def _pdf_lines(pdf: FPDF, invoice: Invoice) -> None:
    taxes = ("CGST", "SGST") if invoice.intra_state else ("IGST",)
    heading = (
        gettext("Item"),
        "HSN/SAC",
        pgettext("quantity", "Qty"),
        gettext("Taxable value"),
        pgettext("tax rate", "Rate"),
        *taxes,
        gettext("Total"),
    )
    widths = (58, 18, 10, 24, 12, *((16, 16) if invoice.intra_state else (32,)), 26)
    from fpdf.fonts import FontFace  # with fpdf itself (see the module's note)

    pdf.set_font(FONT, "", 8.5)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", *(["RIGHT"] * len(taxes)), "RIGHT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 240, 244)),
        line_height=5.5,
    ) as table:
        table.row(heading)
        for line in invoice.lines:
            split = (line.cgst, line.sgst) if invoice.intra_state else (line.igst,)
            table.row(
                [
                    _text(line.description),
                    _text(line.hsn_code),
                    str(line.quantity),
                    _amount(line.taxable_value),
                    _rate(line.tax_rate),
                    *(_amount(v) for v in split),
                    _amount(line.total),
                ]
            )


def _pdf_totals(pdf: FPDF, invoice: Invoice) -> None:
    rows = [(gettext("Taxable value"), invoice.totals["taxable_value"], "")]
    rows += (
        [("CGST", invoice.totals["cgst"], ""), ("SGST", invoice.totals["sgst"], "")]
        if invoice.intra_state
        else [("IGST", invoice.totals["igst"], "")]
    )
    if invoice.coupon_discount:
        rows.append((gettext("Coupon %(code)s") % {"code": invoice.coupon_code}, -invoice.coupon_discount, ""))
    rows.append((gettext("Invoice total (INR)"), invoice.grand_total, "B"))
    pdf.ln(3)
    for label, value, style in rows:
        pdf.set_font(FONT, style, 9)
        pdf.cell(150, 5.5, _text(label), align="R")
        pdf.cell(0, 5.5, _amount(value), align="R", new_x="LMARGIN", new_y="NEXT")
    if invoice.points_redeemed:
        pdf.set_font(FONT, "", 8.5)
        pdf.cell(
            0,
            5.5,
            ngettext(
                "%(points)s reward point was used towards payment.",
                "%(points)s reward points were used towards payment.",
                invoice.points_redeemed,
            )
            % {"points": invoice.points_redeemed},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(4)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(
        0,
        4.5,
        align="L",
        text=gettext(
            "Amounts in Indian Rupees. Prices include GST. This is a computer-generated invoice and needs no signature."
        ),
    )


DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff]")


def _pdf(*, devanagari: bool) -> FPDF:
    """An A4 document with the invoice's fonts; with Devanagari in it, its font too, and the text
    shaped by HarfBuzz. Every font added is parsed and subset on output, whether used or not:
    an English invoice with only Latin in it is written in a tenth of the time."""
    from fpdf import FPDF  # when the first PDF is written (see the module's note)

    pdf = FPDF(format="A4")
    for style, name in (("", "Regular"), ("B", "Bold")):
        pdf.add_font(FONT, style, FONTS / f"NotoSans-{name}.ttf")
    if devanagari:
        for style, name in (("", "Regular"), ("B", "Bold")):
            pdf.add_font(FALLBACK_FONT, style, FONTS / f"NotoSansDevanagari-{name}.ttf")
        pdf.set_fallback_fonts([FALLBACK_FONT], exact_match=False)
        pdf.set_text_shaping(True)
    return pdf


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a one- or more-page A4 PDF, in the language of the moment."""
    # The labels in the language of the moment, and the invoice's own text (names, addresses).
    pdf = _pdf(devanagari=bool(DEVANAGARI.search(gettext("Tax Invoice") + repr(invoice))))
    pdf.set_lang(get_language() or settings.LANGUAGE_CODE)
    pdf.set_title(gettext("Tax invoice %(number)s") % {"number": invoice.number})
    pdf.set_author(_text(invoice.seller["name"]))
    pdf.set_creation_date(invoice.date)
    pdf.add_page()
    _pdf_header(pdf, invoice)
    _pdf_lines(pdf, invoice)
    _pdf_totals(pdf, invoice)
    return bytes(pdf.output())

"""Small template helpers of the website."""

from django import template
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import Context
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from common.money import RUPEE, money_text
from common.phones import phone_text
from common.shoptime import clock_time, date_text, date_time, day_month_text, month_text

register = template.Library()


@register.filter
def money(value, symbol=RUPEE):
    """₹1,234.50 (common.money.money_text)"""
    return money_text(value, symbol)


@register.filter
def humanize_status(value: str) -> str:
    return str(value or "").replace("_", " ").replace("-", " ").capitalize()


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"


@register.simple_tag(takes_context=True)
def query_page(context, number, param=""):
    """The current query string with page `number` in `param` ("page" when empty): a page with two
    lists pages each under its own name."""
    return query(context, **{param or "page": number})


@register.simple_tag(takes_context=True)
def jinja(context, template_name, **values):
    """`{% jinja "orders/history_rows.html" rows=... %}`: a fragment written for Jinja2 (the
    website's environment, common.jinja), given only `values` and the request (for `csrf_input`).
    For what a page draws many times over: Django's engine spent most of the history page's
    rendering on its ten rows."""
    return mark_safe(
        get_default_renderer().render(template_name, values, request=context.get("request"))
    )  # Jinja2 escapes


@register.filter
def form_errors(form) -> str:
    """What is wrong with the form as a whole, for its top: its own errors, or a line pointing to
    the fields marked below (common/jinja2/common/form_errors.html, through the form renderer)."""
    return mark_safe(form.renderer.render("common/form_errors.html", {"form": form}))  # the template escapes


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (dicts, and forms for their bound fields)."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.simple_tag
def shop(attribute: str) -> str:
    """settings.SHOP_URL or SHOP_NAME: the way back to the shop, on every page. A tag rather than
    a context processor, so that the 500 page (rendered without them) has it too."""
    return {"url": settings.SHOP_URL, "name": settings.SHOP_NAME}[attribute]


@register.filter
def shop_clock(value) -> str:
    """A deadline in shop time with its zone: "7:18 pm IST" (common.shoptime.clock_time)."""
    return clock_time(value)


@register.filter
def shop_datetime(value) -> str:
    """A moment in shop time with its zone: "4 Dec 2026, 7:18 pm IST" (common.shoptime.date_time)."""
    return date_time(value)


@register.filter
def shop_date(value) -> str:
    """A day as people write it in the page's language: "4 Dec 2026", "4 दिस॰ 2026"
    (common.shoptime.date_text)."""
    return date_text(value)


@register.filter
def shop_date_long(value) -> str:
    """A day with its month in full: "4 December 2026", "4 दिसंबर 2026"."""
    return date_text(value, long=True)


@register.filter
def shop_day_month(value) -> str:
    """A day of this year: "4 Dec", "4 दिस॰"."""
    return day_month_text(value)


@register.filter
def shop_month(value) -> str:
    """A month: "Dec 2026", "दिस॰ 2026"."""
    return month_text(value)


@register.simple_tag
def phone(number, country_code=None):
    """{% phone a.phone a.country_code %} -> "+91 98765 43210" (common.phones.phone_text)."""
    return phone_text(number, country_code)


@register.simple_tag
def product_picture(name, url, size=48, decorative=False):
    """A product's picture at thumbnail size, or its two-letter tile when it has none. `decorative`
    when the name is written beside it: the picture then has an empty alt. A tag rather than an
    included template: a history page draws thirty of them, and an include costs ten times more."""
    name = name or ""
    if url:
        return format_html(
            '<img class="thumb" src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async">',
            url,
            "" if decorative else name,
            size,
            size,
        )
    return format_html('<span class="thumb" aria-hidden="true">{}</span>', name[:2].upper())


@register.simple_tag
def order_thumbs(items):
    """The pictures of an order's first three items (`product_picture`), as a history row (its
    `items`, rows as `orders.selectors.order_history_rows` reads them) shows them."""
    pictures = (product_picture(item["product_name"], item["product_image_url"]) for item in items[:3])
    return format_html('<div class="thumbs">{}</div>', format_html_join("", "{}", ((p,) for p in pictures)))


# Fragments every page draws alike (`include_once`), by template, language, script prefix, the
# settings they read and the values given. Bounded by the site's URL names times its languages; the
# limit only guards against a caller passing something unbounded.
_ONCE: dict[tuple, str] = {}
_ONCE_LIMIT = 2000


@register.simple_tag(takes_context=True)
def include_once(context, template_name, **values):
    """`template_name` rendered with only `values` (nothing of the request or the shopper), once per
    process for each language, script prefix and set of values; later pages reuse the HTML. For
    fragments that depend on nothing else, such as the account's navigation: its ten URLs and
    eight translations were a third of what the lightest page spent rendering (issue 28)."""
    key = (
        template_name,
        translation.get_language(),
        get_script_prefix(),
        settings.SHOP_URL,
        settings.SHOP_NAME,
        settings.LOYALTY_ENABLED,
        tuple(sorted(values.items())),
    )
    html = _ONCE.get(key)
    if html is None:
        if len(_ONCE) >= _ONCE_LIMIT:
            _ONCE.clear()
        template = context.template.engine.get_template(template_name)
        html = _ONCE[key] = mark_safe(template.render(Context(values, autoescape=context.autoescape)))
    return html

"""The website's Jinja2 environment: form fields and widgets (common.forms.WidgetRenderer) and the
fragments a page draws many times over (`{% jinja %}`, common.templatetags.ui), where Django's
template engine cost most of a page's time (issue 28).

Texts: `{{ _("text") }}`, or `{{ _("Track %(number)s")|format(number=...) }}`, with `_()` first
in its tag, which is where makemessages finds it in any `.html` file. A text with a plural or a
context is written in Python and handed in: makemessages would not find it here.
"""

import jinja2
from django.urls import reverse
from django.utils import translation

from common.money import money_text
from common.shoptime import date_text
from common.templatetags.ui import order_thumbs


def url(name: str, *args) -> str:
    """{{ url("portal:order-detail", order.number) }}: Django's reverse()."""
    return reverse(name, args=args)


def environment(**options) -> jinja2.Environment:
    env = jinja2.Environment(**options, extensions=["jinja2.ext.i18n"])
    # Old-style gettext: `_()` returns the text, which `|format` fills and autoescape escapes.
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals["url"] = url
    env.filters["money"] = money_text
    env.filters["shop_date"] = date_text
    env.globals["order_thumbs"] = order_thumbs
    return env

"""Shop time: the one place that turns a stored (UTC) moment into what a shopper reads.

Deadlines carry their zone ("7:18 pm IST") so nobody has to guess which clock is meant. Days and
months are written as people write them in the language of the moment (`translation`): English
as "4 Dec 2026", any other language from CLDR's pattern for it through Babel ("4 दिस॰ 2026").
Django's own `date` filter is not used for a shopper's dates: its Hindi month names are misspelt
("दिसमबर") and it knows no zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from django.conf import settings
from django.utils import timezone, translation


def shop_zone() -> ZoneInfo:
    return ZoneInfo(settings.SHOP_TIME_ZONE)


def shop_localtime(value: datetime) -> datetime:
    """`value` on the shop's clock (naive values are taken as UTC, as they are stored)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, ZoneInfo("UTC"))
    return value.astimezone(shop_zone())


def zone_label(value: datetime) -> str:
    """The zone's short name at that moment ("IST"); a numeric offset when the zone has none."""
    name = shop_localtime(value).tzname() or ""
    return name if name.isalpha() else f"UTC{name}" if name else "UTC"


# The CLDR locale of each language the site speaks other than English (settings.LANGUAGES).
_CLDR_LOCALES = {"hi": "hi_IN"}


def _cldr_locale() -> str | None:
    """The CLDR locale to write dates in, or None for English (written by hand, as it always was)."""
    return _CLDR_LOCALES.get((translation.get_language() or settings.LANGUAGE_CODE).split("-")[0])


def clock_time(value: datetime | None) -> str:
    """ "7:18 pm IST" — a deadline with its zone; "" for no value."""
    if value is None or not isinstance(value, datetime):
        return ""
    local = shop_localtime(value)
    if locale := _cldr_locale():
        return f"{format_time(local, 'short', locale=locale)} {zone_label(value)}"
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'} {zone_label(value)}"


def _day_text(value, cldr_pattern: str, english) -> str:
    """The shop's calendar day of a moment (or a calendar date as it is) in the language of the
    moment: CLDR's `cldr_pattern` through Babel, or `english(day)` as English always read; "" for
    no value. The one place the formatters below differ is their pattern."""
    if isinstance(value, datetime):
        value = shop_localtime(value).date()
    elif not isinstance(value, date):
        return ""
    if locale := _cldr_locale():
        return format_date(value, cldr_pattern, locale=locale)
    return english(value)


def date_text(value: datetime | date | None, *, long: bool = False) -> str:
    """ "4 Dec 2026" ("4 December 2026" when `long`) — the shop's calendar day of a moment (a day
    after 6:30 pm UTC, in India), or a calendar date as it is; "" for no value."""
    if long:
        return _day_text(value, "long", lambda d: f"{d.day} {d:%B %Y}")
    return _day_text(value, "medium", lambda d: f"{d.day} {d:%b %Y}")


def month_text(value: datetime | date | None) -> str:
    """ "Dec 2026": the month of a moment (on the shop's clock) or of a date; "" for no value."""
    return _day_text(value, "LLL y", lambda d: f"{d:%b %Y}")


def day_month_text(value: datetime | date | None) -> str:
    """ "4 Dec": a day of this year, when the year goes without saying; "" for no value."""
    return _day_text(value, "d MMM", lambda d: f"{d.day} {d:%b}")


def date_time(value: datetime | None) -> str:
    """ "4 Dec 2026, 7:18 pm IST" — a moment with its zone; "" for no value."""
    if value is None or not isinstance(value, datetime):
        return ""
    return f"{date_text(value)}, {clock_time(value)}"


def weekday_day_month_text(value: datetime | date | None) -> str:
    """ "Mon 7 Dec": a day soon, with its weekday; "" for no value."""
    return _day_text(value, "EEE d MMM", lambda d: f"{d:%a} {d.day} {d:%b}")


def shop_day_start(day: date) -> datetime | None:
    """The UTC moment the shop's calendar day `day` begins; None when it is outside what a
    datetime can hold (1 Jan of year 1 east of UTC): no stored moment is earlier."""
    try:
        return datetime.combine(day, time.min, tzinfo=shop_zone()).astimezone(UTC)
    except OverflowError:
        return None


def shop_days_span(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The UTC moments [start, end) that the shop's calendar days `first` to `last` cover, both
    days included: from the start of `first` to the start of the day after `last`. None for a
    side left open, or beyond what a datetime can hold (no stored moment is past it)."""
    start = shop_day_start(first) if first is not None else None
    end = None
    if last is not None and last < date.max:
        end = shop_day_start(last + timedelta(days=1))
    return start, end

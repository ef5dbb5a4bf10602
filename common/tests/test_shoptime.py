from datetime import UTC, date, datetime

from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from common.shoptime import (
    clock_time,
    date_text,
    date_time,
    day_month_text,
    month_text,
    shop_days_span,
    weekday_day_month_text,
)

MOMENT = datetime(2026, 12, 4, 13, 48, tzinfo=UTC)


def test_deadline_reads_in_shop_time_with_its_zone():
    assert clock_time(MOMENT) == "7:18 pm IST"
    assert date_time(MOMENT) == "4 Dec 2026, 7:18 pm IST"


def test_morning_and_midnight_hours():
    assert clock_time(datetime(2026, 12, 4, 0, 5, tzinfo=UTC)) == "5:35 am IST"
    assert clock_time(datetime(2026, 12, 4, 18, 30, tzinfo=UTC)) == "12:00 am IST"


def test_no_value_reads_empty():
    assert clock_time(None) == ""
    assert date_time("not a date") == ""


@override_settings(SHOP_TIME_ZONE="Europe/London")
def test_another_shop_zone_is_followed():
    assert clock_time(MOMENT) == "1:48 pm GMT"


def test_django_local_time_follows_the_shop_zone():
    assert timezone.localtime(MOMENT).strftime("%H:%M") == "19:18"


def test_template_filters():
    out = Template("{{ t|shop_clock }} / {{ t|shop_datetime }}").render(Context({"t": MOMENT}))
    assert out == "7:18 pm IST / 4 Dec 2026, 7:18 pm IST"


def test_a_day_is_the_shops_calendar_day():
    late_evening_utc = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # 1:30 am on the 5th in India
    assert date_text(late_evening_utc) == "5 Dec 2026"
    assert date_text(datetime(2026, 12, 4, 9, 0, tzinfo=UTC)) == "4 Dec 2026"
    assert date_text(None) == "" and date_text("2026-12-04") == ""


def test_shop_days_span_from_the_first_midnight_to_the_one_after_the_last():
    """The order history's days placed (orders.filters.OrderFilter): both days included."""
    assert shop_days_span(date(2026, 12, 4), date(2026, 12, 5)) == (
        datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
        datetime(2026, 12, 5, 18, 30, tzinfo=UTC),
    )
    assert shop_days_span(None, None) == (None, None)
    # Beyond what a datetime holds is no bound: nothing stored is earlier or later.
    assert shop_days_span(date(1, 1, 1), date(9999, 12, 31)) == (None, None)
    with override_settings(SHOP_TIME_ZONE="America/New_York"):  # a day of 23 hours (summer time starts)
        assert shop_days_span(date(2026, 3, 8), date(2026, 3, 8)) == (
            datetime(2026, 3, 8, 5, tzinfo=UTC),
            datetime(2026, 3, 9, 4, tzinfo=UTC),
        )


def test_in_hindi_days_and_months_are_as_hindi_writes_them_and_english_is_unchanged():
    """Issue 30 item 2: CLDR's Hindi through Babel (Django's own Hindi months are misspelt:
    "दिसमबर"); English stays as it always read, September included (CLDR's en_IN says "Sept")."""
    september = datetime(2026, 9, 4, 13, 48, tzinfo=UTC)
    with translation.override("hi"):
        assert date_text(MOMENT) == "4 दिस॰ 2026"
        assert date_text(MOMENT, long=True) == "4 दिसंबर 2026"
        assert date_text(date(2026, 3, 1)) == "1 मार्च 2026"
        assert date_time(MOMENT) == "4 दिस॰ 2026, 7:18 pm IST"
        assert month_text(MOMENT) == "दिस॰ 2026" and day_month_text(MOMENT) == "4 दिस॰"
        assert weekday_day_month_text(MOMENT) == "शुक्र 4 दिस॰"
        out = Template("{{ t|shop_date }} / {{ t|shop_date_long }} / {{ t|shop_month }} / {{ t|shop_day_month }}")
        assert out.render(Context({"t": MOMENT})) == "4 दिस॰ 2026 / 4 दिसंबर 2026 / दिस॰ 2026 / 4 दिस॰"
    with translation.override("en"):
        assert date_text(september) == "4 Sep 2026" and date_text(september, long=True) == "4 September 2026"
        assert month_text(september) == "Sep 2026" and day_month_text(september) == "4 Sep"
        assert weekday_day_month_text(september) == "Fri 4 Sep"
        assert date_text(date(2026, 3, 1)) == "1 Mar 2026" and date_time(MOMENT) == "4 Dec 2026, 7:18 pm IST"


def test_a_calendar_date_is_its_own_day_whatever_the_zone():
    with override_settings(SHOP_TIME_ZONE="Pacific/Kiritimati"):
        assert date_text(date(2026, 12, 4)) == "4 Dec 2026"
    assert month_text(None) == "" and day_month_text("x") == ""

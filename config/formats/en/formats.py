"""How dates and times are written in English, site-wide and in the admin: "4 Dec 2026" and
"4 Dec 2026, 7:18 p.m. IST" (Django's `a` is the only lowercase am/pm it has; `T` names the shop's
zone, as the website's deadlines do). Django reads this module
through FORMAT_MODULE_PATH; the input formats keep ISO first, which the admin's calendar writes."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, g:i a T"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, g:i a T"
TIME_FORMAT = "g:i a"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as calendars in India print
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # 1,00,000: Indian grouping where Django itself groups numbers

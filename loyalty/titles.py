"""What a points entry is called: written once, in English, when the entry is made (`entry_title`:
the API's `title`, the admin's and the export's), and read in the shopper's language on their
pages (`entry_title_read`), from the same sentences. A title written by hand (staff's own
redemption title) is shown as it was written.
"""

import re

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext_lazy

# name -> the English sentence, with its values as %(name)s
TITLES = {
    "welcome": gettext_noop("Welcome bonus"),
    "upgraded": gettext_noop("Upgraded to %(tier)s"),
    "moved": gettext_noop("Moved to %(tier)s"),
    "earned": gettext_noop("Earned on order %(number)s"),
    "redeemed": gettext_noop("Redeemed on order %(number)s"),
    "returned": gettext_noop("Points returned for order %(number)s"),
    "reversed": gettext_noop("Earned points reversed for order %(number)s"),
    "bonus": gettext_noop("Bonus points"),
    "adjustment": gettext_noop("Points adjustment"),
}
EXPIRED = ngettext_lazy("%(points)s point expired", "%(points)s points expired", "points")


def entry_title(name: str, **values) -> str:
    """The title an entry is stored with (English, whatever the request's language)."""
    return TITLES[name] % values


def expired_title(points: int) -> str:
    with translation.override(None):  # the sentence as written: English
        return EXPIRED % {"points": points}


def _pattern(sentence: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", sentence)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$")


_READ = [(_pattern(sentence), sentence) for sentence in TITLES.values()]
_EXPIRED = re.compile(r"^(?P<points>\d+) points? expired$")


def entry_title_read(title: str) -> str:
    """A stored title in the language of the moment ("Earned on order ORD-1" -> "ऑर्डर ORD-1 पर
    मिले"); a title no sentence made is returned as it is."""
    if match := _EXPIRED.match(title):
        return EXPIRED % {"points": int(match["points"])}
    for pattern, sentence in _READ:
        if match := pattern.match(title):
            return gettext(sentence) % match.groupdict()
    return title

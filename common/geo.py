"""Where an address is, roughly: "Mumbai, Maharashtra, India", for a shopper's list of sessions
and their sign-in notices. From a GeoIP2 or GeoLite2 City database (MaxMind's .mmdb format) at
`GEOIP_DATABASE`, read with the `geoip2` package; the operator keeps the file fresh. Without
one, or for an address it does not know (a private one, a new range), the place is "" and pages
show the address alone. A place from an address is a guess: it names, it never proves.
"""

import logging
from functools import lru_cache

import geoip2.database
import geoip2.errors
from django.conf import settings
from maxminddb.errors import InvalidDatabaseError

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _reader(path: str):
    if not path:
        return None
    try:
        return geoip2.database.Reader(path)
    except (OSError, InvalidDatabaseError, ValueError) as exc:
        logger.warning("GEOIP_DATABASE %s cannot be read: %s; sessions show no places", path, exc)
        return None


@lru_cache(maxsize=4096)
def _place(path: str, ip: str) -> str:
    reader = _reader(path)
    if reader is None:
        return ""
    try:
        found = reader.city(ip)
    except (geoip2.errors.AddressNotFoundError, ValueError, TypeError):
        return ""
    parts = []
    for name in (found.city.name, found.subdivisions.most_specific.name, found.country.name):
        if name and name not in parts:
            parts.append(name)
    return ", ".join(parts)


def place_of(ip: str | None) -> str:
    """ "City, Region, Country" as far as the database knows; "" if it does not."""
    if not ip:
        return ""
    return _place(settings.GEOIP_DATABASE, ip)

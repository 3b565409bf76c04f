"""The IANA time zones a person can choose from."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def time_zone_names():
    # Skip the legacy aliases ("US/Eastern", "Etc/GMT+5"…): each place appears once, by its
    # canonical Area/City name, which is also what browsers report.
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right/")
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(legacy)
    }
    return sorted(names | {"UTC"})


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a time zone we know.", params={"value": value})

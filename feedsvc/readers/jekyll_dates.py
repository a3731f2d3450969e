"""Dates as Jekyll reads them (Ruby's Time.parse), where feedsvc's forms read them otherwise."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

# Day, month and a four-digit year between hyphens, slashes or dots: Ruby reads the day first
# (11-9-2017 is 11 September), dateutil the month.
_DAY_FIRST = re.compile(r"\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")


def read_date(metadata: dict[str, Any]) -> None:
    """A front matter date written day first given in the order feedsvc reads (year first);
    a YAML timestamp without offset (`2021-05-03 14:20:00`, unquoted, with seconds) in UTC:
    Ruby's YAML reads it so, whatever the site's time zone (a quoted one, or one without
    seconds, is a string, which Jekyll reads in the site's time zone)."""
    value = metadata.get("date")
    if isinstance(value, datetime) and value.tzinfo is None:
        metadata["date"] = value.replace(tzinfo=UTC)
        return
    if not isinstance(value, str):
        return
    found = _DAY_FIRST.match(value)
    if found and 1 <= int(found.group(1)) <= 31 and 1 <= int(found.group(3)) <= 12:
        day, month, year = found.group(1), found.group(3), found.group(4)
        metadata["date"] = f"{year}-{int(month):02d}-{int(day):02d}{value[found.end():]}"

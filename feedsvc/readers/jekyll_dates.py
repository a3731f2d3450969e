"""Dates as Jekyll reads them (Ruby's Time.parse), where feedsvc's forms read them otherwise."""

from __future__ import annotations

import re
from typing import Any

# Day, month and a four-digit year between hyphens, slashes or dots: Ruby reads the day first
# (11-9-2017 is 11 September), dateutil the month.
_DAY_FIRST = re.compile(r"\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")


def read_date(metadata: dict[str, Any]) -> None:
    """A front matter date written day first given in the order feedsvc reads (year first)."""
    value = metadata.get("date")
    if not isinstance(value, str):
        return
    found = _DAY_FIRST.match(value)
    if found and 1 <= int(found.group(1)) <= 31 and 1 <= int(found.group(3)) <= 12:
        day, month, year = found.group(1), found.group(3), found.group(4)
        metadata["date"] = f"{year}-{int(month):02d}-{int(day):02d}{value[found.end():]}"

"""Jekyll's date filters for Liquid: date_to_string, date_to_long_string (optionally
"ordinal", and "US" for the month first), date_to_xmlschema and date_to_rfc822. A value
that is no date (a string none of feedsvc's forms reads) is given back as it is."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..dates import parse_datetime
from ..errors import ReadError


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, (str, date)):  # a datetime is a date too
        return None
    try:
        return parse_datetime(value)
    except ReadError:
        return None


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _written(value: Any, month: str, kind: Any, style: Any) -> Any:
    moment = _moment(value)
    if moment is None:
        return value
    if kind == "ordinal":
        day = _ordinal(moment.day)
        if style == "US":
            return f"{moment.strftime(month)} {day}, {moment.year}"
        return f"{day} {moment.strftime(month)} {moment.year}"
    return moment.strftime(f"%d {month} %Y")


def date_to_string(value: Any, kind: Any = None, style: Any = None) -> Any:
    """`07 Nov 2008`, `7th Nov 2008`, `Nov 7th, 2008`."""
    return _written(value, "%b", kind, style)


def date_to_long_string(value: Any, kind: Any = None, style: Any = None) -> Any:
    """`07 November 2008`, `7th November 2008`, `November 7th, 2008`."""
    return _written(value, "%B", kind, style)


def date_to_xmlschema(value: Any) -> Any:
    moment = _moment(value)
    return value if moment is None else moment.isoformat()


def date_to_rfc822(value: Any) -> Any:
    moment = _moment(value)
    return value if moment is None else moment.strftime("%a, %d %b %Y %H:%M:%S %z").rstrip()


FILTERS = {"date_to_string": date_to_string, "date_to_long_string": date_to_long_string,
           "date_to_xmlschema": date_to_xmlschema, "date_to_rfc822": date_to_rfc822}

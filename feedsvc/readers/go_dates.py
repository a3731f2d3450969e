"""Which front matter date strings Hugo 0.111 reads: the layouts of its cast library
(spf13/cast's StringToDate), tried in turn by Go's time.Parse. A string in none of them is
no date to Hugo, which then dates the page by its next date key, else by Go's zero time
(hugo_config.page_date, which reads the string itself then): `date: 23 March 2020` (a month's
full name) and `date: 2020-3-2` (a month without its zero) leave a Hugo page undated.

Go's parse as these patterns follow it: a zero-padded month, day, minute and second take two
digits, an hour one or two; fractional seconds may follow the seconds in any layout; month
and day names are matched whatever their case; a zone name is three letters or more.
A YAML or TOML date Hugo's parsers give as a date is not a string, and is read as it is.
"""

from __future__ import annotations

import re
from typing import Any

MAX_CHARS = 80  # dates.MAX_DATE_CHARS: longer strings are read (and refused) there

_DAY = r"(?:\d\d)"
_CLOCK = r"(?:\d{1,2}:\d\d:\d\d(?:[.,]\d{1,9})?)"
_OFFSET = r"(?:[+-]\d\d:?\d\d)"
_ZONE = r"(?:[A-Za-z]{3,5}|[+-]\d\d)"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_LONG_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SPACE_DAY = r"(?: ?\d{1,2})"  # Go's _2: a day padded with a space
_LAYOUTS = (
    # RFC 3339, without a zone, with -0700, with a space for the T, Time.String()
    rf"\d{{4}}-\d\d-\d\d",
    rf"\d{{4}}-\d\d-\d\d[T ]{_CLOCK}(?:Z|[+-]\d\d:\d\d|[+-]\d\d\d\d)?",
    rf"\d{{4}}-\d\d-\d\d {_CLOCK} {_OFFSET}(?: {_ZONE})?",
    # RFC 1123 (with a zone name or an offset), RFC 822 (two-digit years), RFC 850
    rf"{_WEEKDAY}, {_DAY} {_MONTH} \d{{4}} {_CLOCK} (?:{_ZONE}|[+-]\d{{4}})",
    rf"{_DAY} {_MONTH} \d\d \d{{1,2}}:\d\d (?:{_ZONE}|[+-]\d{{4}})",
    rf"{_LONG_WEEKDAY}, {_DAY}-{_MONTH}-\d\d {_CLOCK} {_ZONE}",
    # ANSIC, UnixDate, RubyDate
    rf"{_WEEKDAY} {_MONTH} {_SPACE_DAY} {_CLOCK} (?:{_ZONE} )?\d{{4}}",
    rf"{_WEEKDAY} {_MONTH} {_DAY} {_CLOCK} [+-]\d{{4}} \d{{4}}",
    # `02 Jan 2006`; Kitchen; the Stamp layouts (no year: Go's year 0)
    rf"{_DAY} {_MONTH} \d{{4}}",
    r"\d{1,2}:\d\d(?:AM|PM|am|pm)",
    rf"{_MONTH} {_SPACE_DAY} {_CLOCK}",
)
# One alternation of anchored layouts with bounded repeats: nothing in it backtracks far.
_GO_LAYOUT = re.compile("|".join(f"(?:{layout})" for layout in _LAYOUTS), re.IGNORECASE)


def hugo_reads(value: Any) -> bool:
    """Whether Hugo reads a front matter value as a date: any value that is not a string
    (a YAML or TOML date), else a string in one of cast's layouts."""
    if not isinstance(value, str):
        return True
    return len(value) <= MAX_CHARS and _GO_LAYOUT.fullmatch(value) is not None

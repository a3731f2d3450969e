"""Dates in the forms Jekyll (Ruby's Time.parse), Hugo (Go's layouts) and Pelican
(dateutil) accept, beyond the ISO 8601 and RFC 822 forms metadata.py reads itself.

    2023-01-29 18:30:22 2023 -0800           the year repeated: Ruby ignores what follows it
    Mon Jan _2 15:04:05 MST 2006             Go's UnixDate, also ANSIC and RubyDate
    2006-01-02 15:04:05.999999999 -0700 MST  Go's time.Time.String()
    January 5, 2020 / 5 Jan 2020 10am / 2020/01/05 / 2020-1-5

dateutil does the parsing; what it cannot take (a repeated year, nanoseconds, a zone
named twice) is tidied first. Every text is short (MAX_DATE_CHARS) and every regex here
is a single pass, so hostile values cost nothing.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

MAX_DATE_CHARS = 80
_HOUR = 3600
# The zone abbreviations Ruby's Time.parse knows (Date::ZONES, its North American and
# universal ones); elsewhere abbreviations are ambiguous (IST, CST), as Ruby knows too.
ZONES = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10,
}
_TZINFOS = {name: timezone(timedelta(seconds=hours * _HOUR)) for name, hours in ZONES.items()}
# A year: four digits from 1000, not part of a longer number nor an offset (` -1000`).
_YEAR = re.compile(r"(?<![\d+])(?<!\s-)([12]\d{3})(?!\d)")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_NUMERIC_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}\b")
_ZONE_WORD = re.compile(r"\s+([A-Z]{1,5})$")
_MONTH_WORD = re.compile(r"[A-Za-z]{3}")


def _tidy(text: str) -> str:
    """Drop what dateutil refuses but Ruby and Go read past."""
    years = _YEAR.findall(text)
    if len(years) == 2 and years[0] == years[1]:
        # "2023-01-29 18:30:22 2023 -0800": Ruby reads a zone only right after the time, so
        # this is local time; so is it here (the configured time zone).
        text = text[:text.rfind(years[1])].strip()
    text = _FRACTION.sub(r"\1", text)  # Go writes nanoseconds
    zone = _ZONE_WORD.search(text)
    if zone and _NUMERIC_OFFSET.search(text):  # "-0700 MST": the offset says it all
        text = text[:zone.start()]
    return " ".join(text.split())


def parse_loose_date(text: str) -> datetime | None:
    """A date in a looser form, or None. It must name a year (four digits) and a month
    (a number beside it or a name), so a bare number is never taken for a date."""
    if len(text) > MAX_DATE_CHARS or not _YEAR.search(text):
        return None
    text = _tidy(text)
    if sum(char.isdigit() for char in text) < 6 and not _MONTH_WORD.search(text):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown zone name is read as no zone
            return dateutil_parser.parse(text, tzinfos=_TZINFOS, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None

"""Dates as articles, file names and feed queries write them.

ISO 8601 with or without time and offset, `YYYY-MM-DD HH:MM` (Jekyll), RFC 822, a
`YYYY-MM-DD-` prefix of a file name (Jekyll, Pelican), and the looser forms Jekyll (Ruby's
Time.parse), Hugo (Go's layouts) and Pelican (dateutil) accept:

    2023-01-29 18:30:22 2023 -0800           the year repeated: Ruby ignores what follows it
    Mon Jan _2 15:04:05 MST 2006             Go's UnixDate, also ANSIC and RubyDate
    2006-01-02 15:04:05.999999999 -0700 MST  Go's time.Time.String()
    January 5, 2020 / 5 Jan 2020 10am / 2020/01/05 / 2020-1-5

dateutil parses the looser forms; what it cannot take (a repeated year, nanoseconds, a zone
named twice) is tidied first. Every text is short (MAX_DATE_CHARS) and every regex here
is a single pass, so hostile values cost nothing.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

from .errors import ReadError, with_value
from .text import yes_no

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
# Go's layouts that name a zone and give no offset (UnixDate `Thu Sep  6 10:44:30 PDT 2018`,
# RFC 1123, RFC 822, RFC 850): a month's name before the time, the zone's name after it.
_GO_NAMED_ZONE = re.compile(r"((?=[^:]{0,40}[A-Za-z]{3})[^:]{1,40}?\d:\d{2}(?::\d{2})?) "
                            r"([A-Z][A-Za-z]{1,4}(?:[+-]\d{1,2})?)((?: \d{4})?)")
# `YYYY-MM-DD[ T]HH:MM[:SS[.f]]` with an optional offset, possibly after a space (Jekyll).
_ISO_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
# Jekyll and Pelican: a `YYYY-MM-DD-` prefix of the file name (Jekyll allows `2017-2-5-`).
FILE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[-_ ]")


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


def is_zone_name(text: str) -> bool:
    """Whether text names a time zone of the IANA database (Europe/Rome, UTC)."""
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


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


def file_name_date(path: str) -> tuple[str, str] | None:
    """The date prefix of a file name as YYYY-MM-DD, and the rest of the file's stem."""
    stem = PurePosixPath(path).stem
    match = FILE_DATE.match(stem)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}", stem[match.end():]


def go_wall_clock(value: Any) -> Any:
    """Hugo's reading of a date in one of Go's layouts that name a zone: its wall clock, in the
    site's time zone, whatever the name (Hugo's cast library parses these and then sets the
    site's zone), so the naive datetime; any other value as it is."""
    if not isinstance(value, str) or len(value) > MAX_DATE_CHARS:
        return value
    match = _GO_NAMED_ZONE.fullmatch(" ".join(value.split()))
    if not match or match[2] in ("AM", "PM"):
        return value
    try:
        parsed = parse_datetime(match[1] + match[3])
    except ReadError:
        return value
    return parsed.replace(tzinfo=None) if parsed else value


def parse_datetime(value: Any) -> datetime | None:
    """Parse a date: ISO 8601 with or without time and offset, `YYYY-MM-DD HH:MM`, RFC 822."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = " ".join(str(value).split())
    if not text or yes_no(text) is not None:
        return None
    parsed = _parse_iso(text) or _parse_rfc822(text) or parse_loose_date(text)
    if parsed is None:
        raise ReadError(with_value("unrecognized date (use YYYY-MM-DD, ISO 8601 or RFC 822)", text))
    if not 1 < parsed.year < 9999:  # leave room for any time zone shift
        raise ReadError(with_value("date out of range", text))
    if _is_epoch(parsed):
        raise ReadError(with_value("the Unix epoch, which systems write for a date they do not have", text))
    return parsed


def _is_epoch(moment: datetime) -> bool:
    """1970-01-01T00:00:00 UTC (in any offset; naive, as written in UTC)."""
    return (moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment).timestamp() == 0


def parse_date(value: Any, tz: Any) -> datetime:
    """Parse a date into an aware datetime; a date without offset is in zone tz."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ReadError(with_value("not a date", value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.replace(microsecond=0)


def _parse_iso(text: str) -> datetime | None:
    match = _ISO_DATE.fullmatch(text)
    if not match:
        return None
    day, clock, offset = match.groups()
    clock = ("0" if clock and clock.index(":") == 1 else "") + (clock or "").replace(",", ".")  # 9:05: 09:05
    candidate = day + (f"T{clock}" if clock else "")
    if offset:
        candidate += "+00:00" if offset.upper() in {"Z", "UTC", "GMT"} else offset
    try:
        return datetime.fromisoformat(candidate)
    except ValueError as exc:
        why = "" if candidate in str(exc) else f" ({exc})"  # the reason, never the value again
        raise ReadError(with_value(f"impossible date{why}", text)) from None


def _parse_rfc822(text: str) -> datetime | None:
    if text[-2:].upper() in ("AM", "PM"):  # RFC 822's parser takes `PM` for a zone it does not know
        return None
    try:
        return parsedate_to_datetime(text)  # Spec: RFC 822 §5, RFC 2822 §3.3
    except (TypeError, ValueError, IndexError):
        return None

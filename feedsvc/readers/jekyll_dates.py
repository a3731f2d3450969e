"""Dates as Jekyll reads them (Ruby's Time.parse), where feedsvc's forms read them otherwise."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..dates import file_name_date, parse_datetime
from ..errors import ReadError
from .config_files import folder_files

# Day, month and a four-digit year between hyphens, slashes or dots: Ruby reads the day first
# (11-9-2017 is 11 September), dateutil the month.
_DAY_FIRST = re.compile(r"\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
# A date written year first, at the value's start.
_YEAR_FIRST = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# What Ruby's Time.parse reads at a value's start when text it does not know follows
# (`2024-11-18 15:04:11:57`, `2017-09-27 (optional)`): the date, a time, an offset.
_LEADING = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:Z|[+-]\d{2}:?\d{2})(?!\d))?)?")
# A day's name at a value's start, however long: Ruby reads any letters after the first three
# (`Thur`, `Thurs`, `Tues`), dateutil only the abbreviation or the whole name.
_WEEKDAY = re.compile(r"\s*+((?:sun|mon|tue|wed|thu|fri|sat)[a-z]{0,6}+)(?=[\s.,])", re.IGNORECASE)
# A post's file name as Jekyll's reader wants it: a date, a hyphen, a title, an extension.
_POST_NAME = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-[^/]*\.[^./]+")


def not_a_post(parts: list[str]) -> str | None:
    """Why a file of a Jekyll site (its path's parts) is not a post, or None: posts are in
    _posts/, named with their date first."""
    if "_posts" not in parts[:-1]:
        return "a Jekyll page or site file, not a post (posts are in _posts/)"
    if not _POST_NAME.fullmatch(parts[-1]):
        return "a file in _posts/ whose name does not start with a date (YYYY-MM-DD-title), which Jekyll skips"
    return None


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
    weekday = _WEEKDAY.match(value)
    if weekday:  # the day of the week is only checked against the date: its first three letters do
        value = metadata["date"] = value[:weekday.start(1)] + weekday.group(1)[:3] + value[weekday.end(1):]
    found = _DAY_FIRST.match(value)
    if found and 1 <= int(found.group(1)) <= 31 and 1 <= int(found.group(3)) <= 12:
        day, month, year = found.group(1), found.group(3), found.group(4)
        value = metadata["date"] = f"{year}-{int(month):02d}-{int(day):02d}{value[found.end():]}"
    found = _YEAR_FIRST.match(value)
    rolled = _rolled(*(int(part) for part in found.groups())) if found else None
    if found and rolled:  # `2019-04-31 10:00`: Ruby's Time.parse makes it 1 May
        value = metadata["date"] = rolled + value[found.end():]
    _drop_trailing_text(metadata, value)


def _drop_trailing_text(metadata: dict[str, Any], value: str) -> None:
    """A date followed by text no date format holds is the date Ruby reads at its start
    (feedsvc would date the post by its file name)."""
    leading = _LEADING.match(value)
    if not leading or not value[leading.end():].strip():
        return
    try:
        parse_datetime(value)
    except ReadError:
        metadata["date"] = leading.group()


def rolled_file_date(path: str) -> str | None:
    """The date of a post's file name whose day is past its month's end (2015-09-31, up to
    the 31st), as Ruby's Time makes it: the days over run into the next month (2015-10-01).
    None for any other name (its date is read as written, or refused)."""
    named = file_name_date(path)
    return _rolled(*(int(part) for part in named[0].split("-"))) if named else None


def _rolled(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD of a day from 29 to 31 past its month's end, run on into the next month."""
    if not (1 <= year <= 9998 and 1 <= month <= 12 and 28 < day <= 31):
        return None
    first = date(year, month, 1)
    days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    return (first + timedelta(days=day - 1)).isoformat() if day > days else None


# Post files looked at for the site's time: a large site's _posts/ holds a few thousand.
MAX_POSTS_SEEN = 100_000
_POST_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")


def with_site_time(config: dict[str, Any], root: Path) -> dict[str, Any]:
    """The configuration with `time` (site_time) unless it sets one, as Jekyll's does."""
    built = site_time(root)
    return {"time": built, **config} if built else config


def site_time(root: Path) -> datetime | None:
    """`site.time` as a stand-in for Jekyll's time of the build, which feedsvc never puts in
    a feed (the same posts give the same feed whenever they are read): the day after the
    newest post's in `_posts/` (file names dated YYYY-MM-DD-), so a notice a post shows until
    a day now past is hidden, as a build after that post hides it. None without posts."""
    newest = ""
    for _folder, name, _path in folder_files(root / "_posts", MAX_POSTS_SEEN, inside=str(root.resolve())):
        if _POST_DAY.match(name) and name[:10] > newest:
            newest = name[:10]
    try:
        return datetime.combine(date.fromisoformat(newest) + timedelta(days=1), time(), UTC) if newest else None
    except ValueError:  # a newest day past its month's end (2015-09-31): no time, as without posts
        return None

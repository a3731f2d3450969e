"""Article metadata, normalized by one table (the way Pelican does it).

Readers hand over raw `key: value` pairs; keys are lowercased here. Each field of ours
reads its source keys in a fixed precedence (the first usable value wins; list fields
merge every source in order) and a processor per field turns the raw value into a plain
value, so the conventions of Jekyll, Hugo and Pelican map onto the same fields:

    field     sources, highest precedence first
    date      date, publishdate, pubdate, published, article:published_time, ...
    updated   updated, modified, lastmod, last_modified, article:modified_time, ...
    topics    topics, tags, categories, category, keywords, article:tag (merged)
    ...

Dates come out as datetimes, naive when the text gave no offset: the configured time
zone is applied at normalization.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..dates import parse_datetime
from ..errors import ReadError, with_value, without_value
from ..text import ANY_TAG, END_TAG, yes_no

MAX_VALUE_CHARS = 10_000
MAX_LIST_ITEMS = 200

# A tag in a name pasted from HTML; a lone "<" (as in "a < b") is text, not the start of one.
def ensure_list(value: Any) -> list[str]:
    """Split a metadata value into a list: YAML lists, else ';'-separated, else ','-separated."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (list, tuple)):
        items = [_plain(item) for item in value[:MAX_LIST_ITEMS] if item is not None]
    else:
        text = _plain(value)
        items = text.split(";") if ";" in text else text.split(",")
    # each item with its white space collapsed, once, in order, empty ones left out
    return list(dict.fromkeys(filter(None, (" ".join(item.split()) for item in items[:MAX_LIST_ITEMS]))))


def _plain(value: Any) -> str:
    """A scalar as text; a mapping by its name (Hugo's `author: {name: ...}`)."""
    if isinstance(value, str):  # most values: no look at the Mapping ABC, which costs more
        return value[:MAX_VALUE_CHARS]
    if isinstance(value, Mapping):
        value = value.get("name", "")
    return str(value)[:MAX_VALUE_CHARS]


def _date(value: Any) -> datetime | None:
    """A date (dates.parse_datetime) of a value read as every value is (_plain)."""
    return parse_datetime(value if value is None or isinstance(value, (bool, date)) else _plain(value))


def _text(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None or isinstance(value, bool):
        return None
    return " ".join(_plain(value).split()) or None


def _flag(value: Any) -> bool | None:
    """True/false from YAML booleans and words; None for anything else (such as a date)."""
    if isinstance(value, bool):
        return value
    word = _text(value)
    if word is None:
        return None
    return yes_no(word)


def _status(value: Any) -> str | None:
    word = _text(value)
    return word.lower() if word else None


def _names(value: Any) -> list[str] | None:
    """Names (authors, topics) are plain text: one holding an end tag was pasted HTML, and only
    its text is kept (feed formats cannot declare a name as HTML, so readers would guess)."""
    names = ensure_list(value)
    if "</" in "".join(names):  # else no end tag: the names are as ensure_list left them
        names = list(dict.fromkeys(filter(None, (
            " ".join(ANY_TAG.sub(" ", name).split()) if END_TAG.search(name) else name for name in names))))
    return names or None


def _reference(value: Any) -> str | None:
    """A file or URL named in metadata: a string, or a mapping's url, src, image or file
    (Hugo themes' `cover: {image: ...}`)."""
    if isinstance(value, Mapping):
        value = next((value[key] for key in ("url", "src", "image", "file", "path") if key in value), None)
    if value is None or isinstance(value, (bool, Mapping, list, tuple)):
        return None
    return str(value).strip()[:MAX_VALUE_CHARS] or None


def _first_reference(value: Any) -> str | None:
    """The first of a list of references (Hugo's `images: [...]`), or the one given."""
    if isinstance(value, (list, tuple)):
        return next((found for item in value[:MAX_LIST_ITEMS] if (found := _reference(item))), None)
    return _reference(value)


def _references(value: Any) -> list[str] | None:
    items = value[:MAX_LIST_ITEMS] if isinstance(value, (list, tuple)) else [value]
    return [found for item in items if (found := _reference(item))] or None


def _count(value: Any) -> int | None:
    """A whole number from 1 up (an episode or season number), None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 1 <= number <= 1_000_000 else None


@dataclass(frozen=True)
class Field:
    sources: tuple[str, ...]  # raw keys, highest precedence first
    process: Callable[[Any], Any]  # raw value -> our value, or None when not usable
    merge: bool = False  # list fields: every source contributes, in order


FIELDS: dict[str, Field] = {
    "date": Field(
        ("date", "publishdate", "pubdate", "published", "article:published_time",
         "dcterms.created", "dc.date"),
        _date,
    ),
    "updated": Field(
        ("updated", "modified", "lastmod", "last_modified", "article:modified_time",
         "dcterms.modified"),
        _date,
    ),
    "topics": Field(
        ("topics", "tags", "tag", "categories", "category", "keywords", "article:tag"), _names,
        merge=True,
    ),
    "authors": Field(("authors", "author", "article:author"), _names),
    "summary": Field(("summary", "description", "og:description"), _text),
    "id": Field(("id", "guid"), _text),
    "slug": Field(("slug",), _text),
    "link": Field(("link", "canonical", "canonical_url", "og:url"), _text),
    "draft": Field(("draft",), _flag),
    # Hugo's own dates, apart from `date`: when a page may appear and when it leaves.
    "publish_date": Field(("publishdate", "pubdate"), _date),
    "expiry_date": Field(("expirydate", "unpublishdate", "expires"), _date),
    # The page's address on its own site (Hugo `url`, Jekyll `permalink`) and its old ones.
    "permalink": Field(("permalink", "url"), _text),
    "aliases": Field(("aliases", "redirect_from"), _names),
    "status": Field(("status",), _status),
    # Jekyll: `published: false` keeps a post out; a date there is a date (see above).
    "published": Field(("published",), _flag),
    # Media (see links.py for the paths): a cover image, files carried as enclosures.
    "image": Field(("image", "cover", "featured_image", "images", "og:image"), _first_reference),
    "attachments": Field(("enclosure", "enclosures", "audio", "attachments"), _references, merge=True),
    "episode": Field(("episode", "itunes:episode"), _count),
    "season": Field(("season", "itunes:season"), _count),
    "episode_type": Field(("episodetype", "episode_type", "itunes:episodetype"), _status),
    "explicit": Field(("explicit", "itunes:explicit"), _flag),
}
DRAFT_STATUSES = {"draft", "hidden", "skip"}
# Every key we read; `title` is taken by the readers themselves, with their own fallbacks.
KNOWN_KEYS = frozenset(key for field in FIELDS.values() for key in field.sources) | {"title"}


DATE_FIELDS = frozenset(name for name, field in FIELDS.items() if field.process is _date)
# The fields each raw key is a source of: a file names a few keys of the many read.
FIELDS_OF_KEY = {key: [name for name, field in FIELDS.items() if key in field.sources] for key in KNOWN_KEYS}
FIELD_ORDER = {name: index for index, name in enumerate(FIELDS)}
# Set by process_metadata when the date could not be read: (problem, value), for the fallback's warning.
UNREADABLE_DATE = "unreadable_date"


def process_metadata(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Map raw reader metadata onto our fields, with warnings. A date that cannot be read is
    left out with a warning naming its key and value (the tools publish the post anyway,
    dated by its file name; Pelican skips it, before this: pelican.read_date); any other bad
    value is a ReadError naming its key."""
    lowered = {str(key).strip().lower(): value for key, value in raw.items()}
    result: dict[str, Any] = {}
    warnings: list[str] = []
    # Only the fields whose keys the file names (a few of the sixty keys read), in the table's order.
    named = {name for key in lowered for name in FIELDS_OF_KEY.get(key, ())}
    for name in sorted(named, key=FIELD_ORDER.__getitem__):
        spec = FIELDS[name]
        merged: list[str] = []
        for key in spec.sources:
            if key not in lowered:
                continue
            try:
                value = spec.process(lowered[key])
            except ReadError as exc:
                if name not in DATE_FIELDS:
                    raise ReadError(f"{key}: {exc}") from None
                shown = " ".join(_plain(lowered[key]).split())
                reason = f"{key}: {without_value(str(exc))}"
                if name == "date":  # normalize's warning says what the post is dated by instead
                    result.setdefault(UNREADABLE_DATE, (reason, shown))
                else:
                    warnings.append(with_value(f"{reason}; ignored", shown))
                continue
            if value is None:
                continue
            if not spec.merge:
                result[name] = value
                break
            merged.extend(item for item in value if item not in merged)
        if merged:
            result[name] = merged[:MAX_LIST_ITEMS]
    return result, warnings


def is_draft(metadata: Mapping[str, Any]) -> bool:
    """Drafts: `draft: true`, `status: draft`, `hidden` or `skip` (Pelican), `published: false` (Jekyll)."""
    return (
        metadata.get("draft") is True
        or metadata.get("status") in DRAFT_STATUSES
        or metadata.get("published") is False
    )


# A header is a few lines; reading each costs a few microseconds (5 MB of continuation
# lines took 2 s), and a value keeps at most MAX_VALUE_CHARS anyway.
MAX_HEADER_LINES = 1000
HEADER_LINE = re.compile(r"[ ]{0,3}([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
CONTINUATION = re.compile(r"[ ]{4,}(\S.*)")


def split_header_block(text: str) -> tuple[dict[str, str], str, bool] | None:
    """Split leading `Key: value` lines (Pelican style) from the body.

    Returns (metadata, body, ended_by_blank_line), or None when the text does not start
    with a header (its first key is not one we know). Lines indented by four spaces
    continue the previous value. Only the header's lines are split off: splitting a whole
    file of short lines took 25 times its size.
    """
    # Each value's lines, joined once at the end: joining each continuation onto the value
    # so far took quadratic time (5 MB of continuation lines ran for minutes).
    parts: dict[str, list[str]] = {}
    last = ""
    start = 0
    rest: tuple[str, bool] = ("", False)
    for number in itertools.count():
        if start > len(text):
            break
        if number >= MAX_HEADER_LINES:
            raise ReadError(f"header: more than {MAX_HEADER_LINES:,} 'Key: value' lines at the top")
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if not line.strip():
            rest = (text[end + 1:], True)
            break
        match = HEADER_LINE.fullmatch(line)
        key = match.group(1).lower() if match else ""
        if match and (parts or key in KNOWN_KEYS):
            last = key
            parts.setdefault(last, [match.group(2).strip()])
        elif (continuation := CONTINUATION.fullmatch(line)) and last:
            parts[last].append(continuation.group(1).strip())
        else:
            rest = (text[start:], False)
            break
        start = end + 1
    if not parts:
        return None
    return {key: " ".join(filter(None, lines)) for key, lines in parts.items()}, *rest

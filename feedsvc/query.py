"""FeedQuery: parse, validate and canonicalize the parameters of a feed URL.

The canonical form (DESIGN §5) is the feed's rel="self" URL and its cache key: parameters
sorted by name, each once; topic and exclude lowercased, deduplicated, sorted and
comma-joined; defaults and unknown parameters dropped. Knows neither Flask nor SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from urllib.parse import quote_plus, urlencode

from .dates import parse_date
from .errors import QueryError, ReadError
from .text import slugify

MAX_QUERY_CHARS = 2048  # the raw query string
MAX_TOPICS = 20  # values of topic=, and of exclude=
MAX_TEXT_CHARS = 200  # q= and author=
MAX_WORDS = 16  # words in q=
MAX_LIMIT = 500
MAX_PAGE = 100_000
NUMBER = re.compile(r"[0-9]{1,7}")
DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LIST_PARAMS = ("topic", "exclude")
SCALAR_PARAMS = ("q", "author", "since", "until", "limit", "page")


@dataclass(frozen=True)
class FeedQuery:
    """A validated feed query; `params` holds its canonical (name, value) pairs."""

    topics: tuple[str, ...] = ()  # any of
    exclude: tuple[str, ...] = ()  # none of
    words: tuple[str, ...] = ()  # all of, in title, summary or content
    author: str = ""
    since: datetime | None = None  # published at or after
    until: datetime | None = None  # published before
    limit: int = 50
    page: int = 1
    params: tuple[tuple[str, str], ...] = ()
    canonical: str = ""  # the encoded params: '' or '?a=b&…'

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def query_string(self, page: int | None = None) -> str:
        """The canonical query ('' or '?a=b&…'), optionally for another page."""
        if page is None or page == self.page:
            return self.canonical
        pairs = [(name, value) for name, value in self.params if name != "page"]
        return _encode(sorted([*pairs, ("page", str(page))]) if page != 1 else pairs)

    def topic_slugs(self) -> tuple[str, ...]:
        """Every topic the query names (all must exist)."""
        return self.topics + self.exclude


def parse(pairs: Iterable[tuple[str, str]], *, default_limit: int, tz: tzinfo,
          raw_length: int = 0) -> FeedQuery:
    """Validate request parameters (unknown names ignored) into a FeedQuery."""
    if raw_length > MAX_QUERY_CHARS:
        raise QueryError("query string", f"must be at most {MAX_QUERY_CHARS} characters")
    lists: dict[str, list[str]] = {name: [] for name in LIST_PARAMS}
    scalars: dict[str, str] = {}
    for name, value in pairs:
        value = value.strip()
        if name in lists:
            lists[name].extend(value.split(","))
        elif name in SCALAR_PARAMS and value:
            if name in scalars:
                raise QueryError(name, "may be given only once")
            scalars[name] = value
    topics, exclude = _slugs("topic", lists["topic"]), _slugs("exclude", lists["exclude"])
    words = _words(scalars.get("q", ""))
    author = _text("author", " ".join(scalars.get("author", "").split()))
    since = _date("since", scalars.get("since"), tz)
    until = _date("until", scalars.get("until"), tz)
    if since and until and since[0] >= until[0]:
        raise QueryError("until", "must be later than since")
    limit = _number("limit", scalars.get("limit"), default_limit, MAX_LIMIT)
    page = _number("page", scalars.get("page"), 1, MAX_PAGE)

    canonical = {
        "topic": ",".join(topics), "exclude": ",".join(exclude), "q": " ".join(words),
        "author": author, "since": since[1] if since else "", "until": until[1] if until else "",
        "limit": str(limit) if limit != default_limit else "", "page": str(page) if page != 1 else "",
    }
    params = tuple(sorted((name, value) for name, value in canonical.items() if value))
    return FeedQuery(
        topics=topics, exclude=exclude, words=words, author=author,
        since=since[0] if since else None, until=until[0] if until else None,
        limit=limit, page=page, params=params, canonical=_encode(params),
    )


def _encode(pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs), safe=",:", quote_via=quote_plus)
    return "?" + query if query else ""


def _slugs(name: str, values: list[str]) -> tuple[str, ...]:
    slugs = set()
    for value in values:
        if not value.strip():
            continue
        slug = slugify(value)
        if not slug:
            raise QueryError(name, "must be topic slugs such as 'science', comma-separated", value)
        slugs.add(slug)
    if len(slugs) > MAX_TOPICS:
        raise QueryError(name, f"may name at most {MAX_TOPICS} topics")
    return tuple(sorted(slugs))


def _text(name: str, value: str) -> str:
    if len(value) > MAX_TEXT_CHARS:
        raise QueryError(name, f"must be at most {MAX_TEXT_CHARS} characters")
    if CONTROL.search(value):  # a NUL ends an FTS5 query string early
        raise QueryError(name, "must not contain control characters")
    return value


def _words(value: str) -> tuple[str, ...]:
    words = tuple(_text("q", " ".join(value.split())).split())
    if len(words) > MAX_WORDS:
        raise QueryError("q", f"may have at most {MAX_WORDS} words")
    return words


def _date(name: str, value: str | None, tz: tzinfo) -> tuple[datetime, str] | None:
    """The instant and its canonical spelling: YYYY-MM-DD, or UTC YYYY-MM-DDTHH:MM:SSZ."""
    if value is None:
        return None
    rule = "must be an ISO 8601 date or date-time such as 2024-05-01 or 2024-05-01T12:00:00Z"
    if len(value) > 40 or not value[:4].isdigit():
        raise QueryError(name, rule, value)
    try:
        instant = parse_date(value, tz)
    except (ReadError, ValueError, OverflowError):
        raise QueryError(name, rule, value) from None
    if DATE_ONLY.fullmatch(value):
        return instant, value
    return instant, instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(name: str, value: str | None, default: int, maximum: int) -> int:
    if value is None:
        return default
    number = int(value) if NUMBER.fullmatch(value) else 0
    if not 1 <= number <= maximum:
        raise QueryError(name, f"must be an integer from 1 to {maximum}", value)
    return number

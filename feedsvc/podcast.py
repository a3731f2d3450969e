"""Podcasts: the site, or a topic, declared a podcast in feedsvc.toml, and the tags podcast
apps require in its feeds.

    [podcast]                      # the whole site (the feeds under /feeds/)
    title = "Harbour Radio"
    author = "The Harbour Gazette"
    owner_name = "Marta Lindqvist"
    owner_email = "radio@example.org"
    artwork = "radio/cover.jpg"    # a media file of the content folder, or an https URL
    categories = ["News", ["Society & Culture", "Documentary"]]
    explicit = false
    type = "episodic"              # or "serial"
    language = "en"

`[[podcast]]` tables with `topic = "<slug>"` declare several, one per topic. RSS feeds get
Apple's itunes: tags (Spotify reads the same) and the Podcasting 2.0 podcast:guid and
podcast:locked (render.py writes them); Atom feeds carry the enclosures. Episode GUIDs are
the entries' ids, which the catalog keeps for good.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from .errors import PodcastConfigError

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Spec: Podcasting 2.0 <podcast:guid>: a UUIDv5 of the feed URL without its scheme.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
SHOW_TYPES = ("episodic", "serial")
ARTWORK_TYPES = (".jpg", ".jpeg", ".png")  # what Apple Podcasts takes
# Enclosure types Apple Podcasts plays (the W3C validator warns about others in a podcast).
EPISODE_EXTENSIONS = (".m4a", ".mp3", ".mov", ".mp4", ".m4v", ".pdf", ".epub")
MAX_TEXT = 255
MAX_PODCASTS = 100  # [[podcast]] tables in one settings file
TOPIC_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as text.slugify writes them


@dataclass(frozen=True)
class Podcast:
    """One podcast as configured: the site's (topic empty) or one topic's."""

    owner_email: str
    categories: tuple[tuple[str, ...], ...]
    artwork: str  # an absolute http(s) URL, or a content-relative path of a media file
    topic: str = ""
    title: str = ""  # empty: the feed's title
    author: str = ""  # empty: FEEDSVC_AUTHOR
    owner_name: str = ""
    explicit: bool = False
    type: str = "episodic"
    language: str = ""  # empty: FEEDSVC_LANGUAGE
    locked: bool = True  # podcast:locked: other hosts may not import the feed

    def artwork_url(self, base_url: str) -> str:
        from .media import media_url

        return self.artwork if "://" in self.artwork else media_url(base_url, self.artwork)

    def guid(self, feed_url: str) -> str:
        """podcast:guid: stable for as long as the feed's URL is."""
        without_scheme = feed_url.split("://", 1)[-1].rstrip("/")
        return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, without_scheme))


def _fail(key: str, problem: str) -> PodcastConfigError:
    return PodcastConfigError(f"podcast.{key} {problem}" if key else f"podcast {problem}")


def _text(raw: Mapping[str, Any], key: str, required: bool = False) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value.strip()):
        raise _fail(key, f"must be text of 1 to {MAX_TEXT} characters" if required
                    else f"must be text of at most {MAX_TEXT} characters")
    return value.strip()


def _categories(raw: Any) -> tuple[tuple[str, ...], ...]:
    """["News", ["Society & Culture", "Documentary"]]: categories, each with an optional
    subcategory (Apple's names, which the W3C validator checks)."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not items or len(items) > 3:
        raise _fail("categories", 'must list 1 to 3 of Apple\'s categories, such as ["News"]')
    categories = []
    for item in items:
        names = [item] if isinstance(item, str) else item
        if not isinstance(names, (list, tuple)) or not 1 <= len(names) <= 2 or not all(
                isinstance(name, str) and name.strip() for name in names):
            raise _fail("categories", f"has {item!r}: give a name or [name, subcategory]")
        categories.append(tuple(name.strip() for name in names))
    return tuple(categories)


def _artwork(raw: Mapping[str, Any]) -> str:
    # media.py imports the readers: settings are read by every command, most never need them
    from .errors import MediaError
    from .media import clean_path

    value = _text(raw, "artwork", required=True)
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _fail("artwork", f"{value!r} must be an http(s) URL or a file of the content folder")
    else:
        try:
            value = clean_path(value)
        except MediaError as exc:
            raise _fail("artwork", f"{value!r}: {exc}") from None
    if not parts.path.lower().endswith(ARTWORK_TYPES):
        raise _fail("artwork", f"{value!r} must be a JPEG or PNG image (.jpg, .jpeg, .png)")
    return value


def _flag(raw: Mapping[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise _fail(key, "must be true or false")
    return value


def _topic(raw: Mapping[str, Any]) -> str:
    topic = _text(raw, "topic")
    if topic and not TOPIC_SLUG.fullmatch(topic):
        raise _fail("topic", f"must be a topic's slug as its URL has it (central-asia), got {topic!r}")
    return topic


def _parse_one(raw: Any) -> Podcast:
    if isinstance(raw, Podcast):
        return raw
    if not isinstance(raw, Mapping):
        raise _fail("", "must be a [podcast] table of feedsvc.toml")
    known = {field.name for field in fields(Podcast)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(unknown[0], f"is not a podcast setting; known: {', '.join(sorted(known))}")
    email = _text(raw, "owner_email", required=True)
    if "@" not in email or any(character.isspace() for character in email):
        raise _fail("owner_email", f"{email!r} is not an e-mail address")
    show_type = _text(raw, "type") or "episodic"
    if show_type not in SHOW_TYPES:
        raise _fail("type", f"must be episodic or serial, got {show_type!r}")
    return Podcast(
        owner_email=email, categories=_categories(raw.get("categories")), artwork=_artwork(raw),
        topic=_topic(raw), title=_text(raw, "title"), author=_text(raw, "author"),
        owner_name=_text(raw, "owner_name"), explicit=_flag(raw, "explicit", False), type=show_type,
        language=_text(raw, "language"), locked=_flag(raw, "locked", True),
    )


def parse_podcasts(raw: Any) -> tuple[Podcast, ...]:
    """Every podcast of a [podcast] table or [[podcast]] tables; PodcastConfigError if bad."""
    items = raw if isinstance(raw, Sequence) and not isinstance(raw, (str, Mapping)) else [raw]
    if len(items) > MAX_PODCASTS:
        raise _fail("", f"tables: at most {MAX_PODCASTS}, got {len(items)}")
    podcasts = tuple(_parse_one(item) for item in items)
    topics = [podcast.topic for podcast in podcasts]
    if len(set(topics)) != len(topics):
        raise _fail("topic", "names the same topic (or the whole site) twice")
    return podcasts


def podcast_for(podcasts: Sequence[Podcast], topic: str | None) -> Podcast | None:
    """The podcast a feed belongs to: its topic's, or the site's for the feeds of everything."""
    return next((podcast for podcast in podcasts if podcast.topic == (topic or "")), None)


def duration_text(seconds: int) -> str:
    """itunes:duration as H:MM:SS (Apple also takes seconds; this reads the same everywhere)."""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@dataclass(frozen=True)
class Show:
    """What a podcast feed's channel says, with URLs resolved (render.FeedInfo carries it)."""

    podcast: Podcast
    author: str
    artwork_url: str
    guid: str

"""Plain data passed between the pipeline stages (errors: errors.py)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True)
class RawArticle:
    """What a reader found in one file, before normalization."""

    path: str  # relative to the content folder, with forward slashes
    title: str
    body_html: str  # unsanitized HTML
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str


@dataclass(frozen=True)
class Attachment:
    """A file an entry carries (RSS enclosure, Atom rel=enclosure, JSON Feed attachment)."""

    url: str
    type: str
    length: int  # bytes; 0 when unknown (a file elsewhere)
    duration: int | None = None  # seconds, for audio and video


@dataclass(frozen=True)
class Episode:
    """What a podcast says about an episode besides its attachment (itunes:* item tags)."""

    number: int | None = None
    season: int | None = None
    kind: str = "full"  # full, trailer or bonus
    explicit: bool | None = None  # None: as the podcast says


@dataclass(frozen=True)
class Entry:
    """A normalized article, ready for the catalog and the feeds."""

    id: str
    path: str
    slug: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    link: str = ""  # canonical URL from metadata; empty means this service's article page
    content_hash: str = ""
    image: str = ""  # URL of its cover image
    attachments: tuple[Attachment, ...] = ()
    episode: Episode = Episode()
    status: str = ""  # DRAFT or SCHEDULED, shown only by a preview (`feedsvc serve --drafts`)


DRAFT, SCHEDULED = "draft", "scheduled"


NO_EPISODE = Episode()


def media_json(entry: Entry) -> str:
    """The entry's cover, attachments and episode as JSON (stored, and fingerprinted)."""
    if not entry.image and not entry.attachments and entry.episode == NO_EPISODE:
        return "{}"
    return json.dumps({
        "image": entry.image,
        "attachments": [list(astuple(attachment)) for attachment in entry.attachments],
        "episode": list(astuple(entry.episode)),
    })


def media_fields(text: str) -> dict[str, Any]:
    """Entry keyword arguments from media_json's text."""
    if text == "{}":
        return {}
    values = json.loads(text)
    return {"image": values["image"],
            "attachments": tuple(Attachment(*item) for item in values["attachments"]),
            "episode": Episode(*values["episode"])}


def fingerprint(entry: Entry) -> str:
    """Hash everything of an entry that a feed or page shows (the catalog version sums them)."""
    return hashlib.sha256(json.dumps([
        entry.id, entry.slug, entry.title, entry.summary, entry.content_html,
        entry.published.isoformat(), entry.updated.isoformat(), entry.authors, entry.link,
        [[topic.slug, topic.label] for topic in entry.topics], media_json(entry), entry.status,
    ]).encode()).hexdigest()


@dataclass(frozen=True)
class Identity:
    """What the catalog remembers about a file so ids and dates never move."""

    entry_id: str
    first_seen: datetime
    content_hash: str
    published: datetime
    updated: datetime


class FileState(NamedTuple):  # a tuple: a scan loads one per file, ten thousand at a time
    """What the catalog remembers of a file's last successful read: enough to skip it."""

    size: int
    mtime_ns: int  # -1 forces the next scan to read the file again
    entry_id: str  # "" for a file never published (a draft)
    slug: str  # "" when the file has no entry now
    warnings: tuple[str, ...] = ()
    media: tuple[tuple[str, int, int], ...] = ()  # media files it was made from, with their stats
    due: int = 0  # when it is published or expires (a POSIX time; 0: never): read it again then

    @property
    def published(self) -> bool:
        return bool(self.slug)


class Derived(NamedTuple):
    """A file read, as a scan writes it into the catalog: built where the file is read, of plain
    values only, so that the scanning process neither builds its entry again from the message
    nor converts it into rows (a first scan's process spent a fifth of its time so)."""

    entry_id: str
    slug: str
    content_hash: str
    row: tuple[Any, ...] | None  # the entry's row (store.writes.ENTRY_INSERT_COLUMNS); None: not shown
    topics: tuple[tuple[str, str], ...]  # (slug, label) of each topic of the row's entry
    fingerprint: str  # of the row's entry: "" when there is none
    warnings: tuple[str, ...]
    media: tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of media it was made from
    due_ts: int  # when it is published or expires (a POSIX time), 0: never
    due_kind: str  # PUBLISH or EXPIRE
    # derived again with the identity of a removed file that had its id (see scan_records.Recorder)
    renamed: Derived | None = None


@dataclass(frozen=True)
class FileRecord:
    """A file read by this scan, and its stat and first-seen time as the catalog remembers them."""

    path: str
    size: int
    mtime_ns: int  # -1 when too recent to trust
    first_seen: datetime
    media: tuple[tuple[str, int, int], ...]  # read.media, their mtimes as far as trusted
    read: Derived


PUBLISH, EXPIRE = "publish", "expire"


@dataclass(frozen=True)
class FileProblem:
    path: str
    reason: str


@dataclass
class ScanReport:
    """The outcome of one scan: counts, and every file that could not be published."""

    started: datetime | None = None
    finished: datetime | None = None
    published: int = 0
    drafts: int = 0
    skipped_files: list[FileProblem] = field(default_factory=list)  # not articles, with why
    files: int = 0  # article files found
    read: int = 0  # files read again because they are new or changed
    removed: int = 0  # files that left the catalog
    errors: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.skipped_files)

    @property
    def duration(self) -> float:
        if self.started is None or self.finished is None:
            return 0.0
        return (self.finished - self.started).total_seconds()

    def as_dict(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "duration": round(self.duration, 3),
            "published": self.published,
            "drafts": self.drafts,
            "skipped": self.skipped,
            "files": self.files,
            "read": self.read,
            "removed": self.removed,
            "skipped_files": [{"path": p.path, "reason": p.reason} for p in self.skipped_files],
            "errors": [{"path": p.path, "reason": p.reason} for p in self.errors],
            "warnings": [{"path": p.path, "reason": p.reason} for p in self.warnings],
        }

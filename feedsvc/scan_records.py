"""What a scan makes of the files it reads: catalog records, with ids held once and slugs unique.

A file is read in a child process (reading.py), which also turns the result into the rows
the catalog stores (derive: plain values, cheap to send); the scanning process adds what
only it knows (the file's stat, its first-seen time, whether it is a removed file renamed)
and settles ids and slugs in path order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from .config import Settings
from .errors import ReadError, with_value
from .model import Derived, FileRecord, FileState, Identity, Topic, fingerprint
from .reading import FileResult
from .store.base import entry_from_row
from .store.writes import ENTRY_INSERT_COLUMNS, entry_row
from .text import without_extension
from .urls import whole_name_id
from .walk import Stat

# A file modified this close to the scan could change again within the same mtime tick
# (1 s or 2 s on some file systems): its stat is not trusted, so the next scan reads it.
RACY_NS = 2_000_000_000
PATH = ENTRY_INSERT_COLUMNS.index("path")


def derive(settings: Settings, now: datetime, result: FileResult) -> Derived:
    """A file read, as the catalog stores it (run where the file is read: reading.read_files)."""
    shown = result.publication
    entry = result.entry
    due_ts = int(shown.due.timestamp()) if shown.due and shown.due > now else 0
    visible = shown.shown(settings)
    return Derived(
        entry.id, entry.slug, entry.content_hash, entry_row(entry, result.fingerprint) if visible else None,
        tuple((topic.slug, topic.label) for topic in entry.topics), result.fingerprint if visible else "",
        tuple(result.warnings), result.media, due_ts, shown.due_kind if due_ts else "",
        None if result.renamed is None else derive(settings, now, result.renamed),
    )


class Recorder:
    """Turn the files read by one scan into catalog records; a new file with the id of a
    removed one is that file renamed, and takes over its identity (the first in path order)."""

    def __init__(self, removed: dict[str, Identity], now: datetime):
        self.removed = removed  # identities of removed files, by id, until a renamed file takes one
        self.now = now
        self.racy_after = int(now.timestamp() * 1e9) - RACY_NS

    def record(self, rel: str, stat: Stat, read: Derived | Exception, remembered: Identity | None) -> FileRecord:
        """The record of a file read (raises what reading it raised)."""
        if isinstance(read, Exception):
            raise read
        read, remembered = self.renamed(read, remembered)
        size, mtime_ns = stat
        first_seen = remembered.first_seen if remembered else self.now
        media = tuple((path, size, self._trusted(mtime)) for path, size, mtime in read.media)
        return FileRecord(rel, size, self._trusted(mtime_ns), first_seen, media, read)

    def renamed(self, read: Derived, remembered: Identity | None) -> tuple[Derived, Identity | None]:
        """A new file that is a removed one renamed: the result derived (in the reading
        process, within the time limit) with that file's identity, which keeps its history."""
        if remembered is not None or read.renamed is None or read.entry_id not in self.removed:
            return read, remembered
        return read.renamed, self.removed.pop(read.entry_id)

    def _trusted(self, mtime_ns: int) -> int:
        """The mtime to remember: -1 when too recent to trust, so the next scan reads again."""
        return mtime_ns if mtime_ns < self.racy_after else -1


class Deduplicator:
    """Refuse an id held by another file; give colliding page slugs a numeric suffix.

    Files not read by this scan keep their id and slug, and a file read again holds its
    previous ones until this scan is committed; new claimants come in path order. A
    refused file keeps its last good entry, like any file that fails.
    """

    def __init__(self, kept: Mapping[str, FileState], previous: Mapping[str, FileState]):
        self.holders: tuple[Mapping[str, FileState], ...] = (kept, previous)
        self.ids: dict[str, str] = {}
        self.slugs: dict[str, str] = {}

    def _claim_held(self) -> None:
        """Note who holds each id and slug: at the first check, so an unchanged rescan skips it."""
        for holders in self.holders:
            for path, state in holders.items():
                if state.published:
                    self.ids.setdefault(state.entry_id, path)
                    self.slugs.setdefault(state.slug, path)
        self.holders = ()

    def check(self, record: FileRecord) -> FileRecord:
        """The record with a unique slug; raises ReadError for an id another file holds."""
        read = record.read
        if read.row is None:
            return record
        if self.holders:
            self._claim_held()
        path = read.row[PATH]
        holder = self.ids.setdefault(read.entry_id, path)
        changed = read if holder == path else self._own_id(read, path, holder)
        slug, number = read.slug, 1
        while self.slugs.setdefault(slug, path) != path:
            number += 1
            slug = f"{read.slug}-{number}"
        if slug != read.slug:
            changed = _rebuilt(changed, slug=slug)
        return record if changed is read else replace(record, read=changed)

    def _own_id(self, read: Derived, path: str, holder: str) -> Derived:
        """The file's entry under an id of its own when the one it was given is made of a name
        another file has too, but for its extension (`a.md` and `a.rst`, two articles to Pelican):
        made of its whole name. Raises ReadError for any other id another file holds."""
        same_name = without_extension(path) == without_extension(holder)
        own = whole_name_id(read.entry_id, path) if same_name else None
        if own is None or self.ids.setdefault(own, path) != path:
            raise ReadError(with_value(f"duplicate id: already used by {holder}", read.entry_id))
        warning = with_value(f"id made of the whole file name: {holder}, of the same name, has the id of "
                             "its name without the extension", own)
        return _rebuilt(read, entry_id=own)._replace(warnings=(*read.warnings, warning))


def _rebuilt(read: Derived, entry_id: str = "", slug: str = "") -> Derived:
    """The file's entry under another id or slug (rare: its own is another file's): built again
    from its row, its row and fingerprint made anew."""
    if read.row is None:  # not shown: no entry to build
        return read
    topics = tuple(Topic(*pair) for pair in read.topics)
    entry = entry_from_row(dict(zip(ENTRY_INSERT_COLUMNS, read.row)), topics)
    entry = replace(entry, id=entry_id or entry.id, slug=slug or entry.slug)
    digest = fingerprint(entry)
    return read._replace(entry_id=entry.id, slug=entry.slug, row=entry_row(entry, digest), fingerprint=digest)


def state_after(record: FileRecord, before: FileState | None) -> FileState:
    """What the catalog will remember of a file once this scan is committed."""
    read = record.read
    if read.row is None:
        entry_id, slug = (before.entry_id if before else ""), ""
    else:
        entry_id, slug = read.entry_id, read.slug
    return FileState(record.size, record.mtime_ns, entry_id, slug, read.warnings, record.media, read.due_ts)

"""What every catalog backend shares: the write path a scan drives, and the catalog version.

A backend (store.sqlite.SqliteStore, store.postgres.PgStore) implements CatalogWriter;
ScanCommit drives it through that interface only, so both commit a scan the same way and
give the same versions for the same content.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Protocol

from .model import FileRecord, FileState, ScanReport

FINGERPRINT_MODULUS = 2**256
WRITE_BATCH = 200  # files read and held before they are written into the scan's transaction
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Entries a scan removed or wrote, by id: their fingerprint and topic slugs.
Written = dict[str, tuple[str, tuple[str, ...]]]


class CatalogWriter(Protocol):
    """The write path of a catalog: every call but begin_write runs in its transaction."""

    def begin_write(self) -> None: ...

    def generation(self) -> int: ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def context(self) -> str: ...

    def changed(self, topics: Sequence[str] = ()) -> datetime: ...

    def all_topic_slugs(self) -> list[str]: ...

    def delete_entries(self, paths: Sequence[str]) -> Written: ...

    def delete_files(self, paths: Sequence[str]) -> None: ...

    def write_records(self, records: Sequence[FileRecord]) -> Written: ...

    def relabel(self, slugs: Iterable[str], rule_labels: Mapping[str, str]) -> set[str]: ...

    def stamp_topics(self, topics: Iterable[str], stamp: str) -> None: ...

    def write_version(self, entries_sum: int) -> str: ...

    def write_report(self, report: ScanReport, version: str, committed: bool) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def scan_committed(
        self, generation: int, read: Mapping[str, FileState], removed: Iterable[str],
    ) -> None: ...


def catalog_version(entries_sum: int, topics: Iterable[tuple[str, str]]) -> str:
    """Hash the entries' fingerprint sum and the topics (slug, label) in slug order: it moves
    only when a feed moves."""
    digest = hashlib.sha256(f"{entries_sum:064x}".encode())
    for slug, label in topics:
        digest.update(f"\0{slug}\0{label}".encode())
    return digest.hexdigest()[:20]


class ScanCommit:
    """The changes of one scan, written into one open transaction as files are read.

    Only a batch of entries is held in memory at a time; readers see nothing of it until
    finish() commits, and abort() (or any failure) leaves the catalog as it was.
    """

    def __init__(self, store: CatalogWriter):
        self._store = store
        store.begin_write()
        self._generation = store.generation()
        self._total = int(store.meta("entries_sum") or "0", 16)
        self._batch: list[FileRecord] = []
        # entries as they were and as they are written, by id: what changed, in which topics
        self._gone: Written = {}
        self._written: Written = {}

    def remove(self, paths: Sequence[str]) -> None:
        """Forget files that are gone (before any file is added: a slug may pass to another)."""
        self._forget(paths)
        self._store.delete_files(paths)

    def _forget(self, paths: Sequence[str]) -> None:
        gone = self._store.delete_entries(paths)
        self._total -= sum(int(fingerprint, 16) for fingerprint, _topics in gone.values())
        for entry_id, was in gone.items():
            self._gone.setdefault(entry_id, was)

    def add(self, record: FileRecord) -> None:
        self._batch.append(record)
        if len(self._batch) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        self._forget([record.path for record in batch])
        written = self._store.write_records(batch)
        self._total += sum(int(fingerprint, 16) for fingerprint, _topics in written.values())
        self._written.update(written)

    def _touched_topics(self) -> set[str]:
        """Topics with an entry added, removed or changed by this scan (before or after)."""
        touched: set[str] = set()
        for entry_id in self._gone.keys() | self._written.keys():
            before, after = self._gone.get(entry_id), self._written.get(entry_id)
            if before is None or after is None or before[0] != after[0]:
                touched.update(before[1] if before else ())
                touched.update(after[1] if after else ())
        return touched

    def finish(
        self, report: ScanReport, context: str, read: Mapping[str, FileState], removed: Iterable[str],
        rule_labels: Mapping[str, str] = MappingProxyType({}),
    ) -> str:
        """Commit; return the catalog version. read and removed: the file states it changed;
        rule_labels: the labels topics.toml gives, by slug (they win over articles')."""
        store = self._store
        try:
            self._flush()
            touched = self._touched_topics()
            touched |= store.relabel(touched, rule_labels)
            store.set_meta("generation", str(self._generation + 1))
            total = self._total % FINGERPRINT_MODULUS
            store.set_meta("entries_sum", f"{total:064x}")
            previous_context, previous = store.context(), store.meta("version") or ""
            store.set_meta("context", context)
            version = store.write_version(total)
            if version != previous or context != previous_context:
                # settings the feeds show may have changed with the context: every feed moves
                everything = context != previous_context
                self._stamp_change(store.all_topic_slugs() if everything else touched)
            store.write_report(report, version, committed=True)
            store.commit()
        except BaseException:
            self.abort()
            raise
        store.scan_committed(self._generation, read, removed)
        return version

    def _stamp_change(self, topics: Iterable[str]) -> None:
        """Record this commit's time as when the catalog (and these topics' feeds) last changed.

        Last-Modified is in whole seconds: a change committed in the second of the previous one
        would carry the same value, and a client asking If-Modified-Since with it would miss
        it. Such a commit waits for the next second (the transaction stays open meanwhile)."""
        last = self._store.changed()
        now = datetime.fromtimestamp(int(time.time()), UTC)
        if now <= last:
            now = last + timedelta(seconds=1)
            time.sleep(max(0.0, now.timestamp() - time.time()))
        stamp = now.isoformat()
        self._store.set_meta("changed", stamp)
        self._store.stamp_topics(topics, stamp)

    def abort(self) -> None:
        self._store.rollback()

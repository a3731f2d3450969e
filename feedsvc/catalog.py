"""What every catalog backend shares: the write path a scan drives, and the catalog version.

A backend (store.Store on SQLite, pg_store.PgStore on PostgreSQL) implements CatalogWriter;
ScanCommit drives it through that interface only, so both commit a scan the same way and
give the same versions for the same content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from .model import FileRecord, FileState, ScanReport

FINGERPRINT_MODULUS = 2**256
WRITE_BATCH = 200  # files read and held before they are written into the scan's transaction


class CatalogWriter(Protocol):
    """The write path of a catalog: every call but begin_write runs in its transaction."""

    def begin_write(self) -> None: ...

    def generation(self) -> int: ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def delete_entries(self, paths: Sequence[str]) -> int: ...

    def delete_files(self, paths: Sequence[str]) -> None: ...

    def write_records(self, records: Sequence[FileRecord]) -> int: ...

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

    def remove(self, paths: Sequence[str]) -> None:
        """Forget files that are gone (before any file is added: a slug may pass to another)."""
        self._total -= self._store.delete_entries(paths)
        self._store.delete_files(paths)

    def add(self, record: FileRecord) -> None:
        self._batch.append(record)
        if len(self._batch) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        self._total -= self._store.delete_entries([record.path for record in batch])
        self._total += self._store.write_records(batch)

    def finish(
        self, report: ScanReport, context: str, read: Mapping[str, FileState], removed: Iterable[str],
    ) -> str:
        """Commit; return the catalog version. read and removed: the file states it changed."""
        store = self._store
        try:
            self._flush()
            store.set_meta("generation", str(self._generation + 1))
            total = self._total % FINGERPRINT_MODULUS
            store.set_meta("entries_sum", f"{total:064x}")
            store.set_meta("context", context)
            version = store.write_version(total)
            store.write_report(report, version, committed=True)
            store.commit()
        except BaseException:
            self.abort()
            raise
        store.scan_committed(self._generation, read, removed)
        return version

    def abort(self) -> None:
        self._store.rollback()

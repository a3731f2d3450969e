"""The write path of a scan (catalog.CatalogWriter), in SQL every backend runs as written."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..catalog import Written, catalog_version
from ..model import Entry, FileRecord, FileState, ScanReport, media_json

SQL_BATCH = 500  # values bound in one IN (...) list
SCAN_HISTORY = 50  # scans kept for /status

FILE_COLUMNS = ("path", "entry_id", "first_seen", "content_hash", "published", "updated", "size",
                "mtime_ns", "warnings", "slug", "media", "due_ts", "due_kind")
# A row of entries as write_records gives it to a backend's _insert_entries.
ENTRY_INSERT_COLUMNS = ("id", "path", "slug", "title", "summary", "content", "published", "published_ts",
                        "updated", "updated_ts", "authors", "link", "content_hash", "fingerprint", "media",
                        "status")

PUBLISHED, UPDATED = ENTRY_INSERT_COLUMNS.index("published"), ENTRY_INSERT_COLUMNS.index("updated")


def entry_row(entry: Entry, fingerprint: str) -> tuple[Any, ...]:
    """The entry's row (ENTRY_INSERT_COLUMNS), made where its file is read (model.Derived)."""
    return (entry.id, entry.path, entry.slug, entry.title, entry.summary, entry.content_html,
            entry.published.isoformat(), int(entry.published.timestamp()), entry.updated.isoformat(),
            int(entry.updated.timestamp()), json.dumps(list(entry.authors)), entry.link, entry.content_hash,
            fingerprint, media_json(entry), entry.status)


def in_lists(values: Sequence[str]) -> Iterator[tuple[Sequence[str], str]]:
    """The values in slices of SQL_BATCH, each with the placeholders of its IN (...) list."""
    for start in range(0, len(values), SQL_BATCH):
        chunk = values[start:start + SQL_BATCH]
        yield chunk, ", ".join("?" * len(chunk))


def _upsert_files() -> str:
    updates = ", ".join(f"{column} = excluded.{column}" for column in FILE_COLUMNS[1:])
    return (f"INSERT INTO files ({', '.join(FILE_COLUMNS)}) VALUES ({', '.join('?' * len(FILE_COLUMNS))}) "
            f"ON CONFLICT (path) DO UPDATE SET {updates}")


UPSERT_FILES = _upsert_files()
# a draft: no entry; the identity it had (id, first-seen time) is kept for later
UPSERT_DRAFTS = (
    "INSERT INTO files (path, entry_id, first_seen, content_hash, published, updated, "
    "size, mtime_ns, warnings, slug, media, due_ts, due_kind) "
    "VALUES (?, '', ?, ?, '', '', ?, ?, ?, '', ?, ?, ?) "
    "ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
    "warnings = excluded.warnings, slug = '', media = excluded.media, "
    "due_ts = excluded.due_ts, due_kind = excluded.due_kind"
)

# The label a topic's newest article gives it: the topic's entries, sorted by date. Done for
# each of many topics (a first scan: every one), that read every entry several times over,
# each entry's row to find its date (a first scan of 10,000 articles: 0.25 s for 128 topics).
# Then every entry is walked once, newest first, along the date index (SQLite's CROSS JOIN
# keeps that order; PostgreSQL plans it as any join), and each topic takes its first label.
FEW_TOPICS = 8
NEWEST_LABEL = ("SELECT et.label FROM entry_topics et JOIN entries e ON e.id = et.entry_id "
                "WHERE et.topic = ? AND et.label != '' ORDER BY e.published_ts DESC, e.id LIMIT 1")
LABELS_NEWEST_FIRST = ("SELECT et.topic, et.label FROM entries e CROSS JOIN entry_topics et "
                       "WHERE et.entry_id = e.id AND et.label != '' ORDER BY e.published_ts DESC, e.id")


class CatalogWrites:
    """A scan's writes, through the backend's _run and _many, in its open transaction."""

    _states: dict[str, FileState]
    _states_generation: int

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        raise NotImplementedError

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def _insert_entries(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert entries (ENTRY_INSERT_COLUMNS) and index them for search."""
        raise NotImplementedError

    def _after_commit(self) -> None:
        """What the backend does once a scan's transaction is committed."""

    def begin_write(self) -> None:
        """Open the write transaction; a second writer waits here, not at commit."""
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def meta(self, key: str) -> str | None:
        raise NotImplementedError

    def scan_committed(self, generation: int, read: Mapping[str, FileState], removed: Iterable[str]) -> None:
        """After the commit of a scan that started at this generation: bring the kept file
        states to what it wrote (unless another process committed in between)."""
        self._after_commit()
        if generation == self._states_generation:
            for path in removed:
                self._states.pop(path, None)
            self._states.update(read)
            self._states_generation = generation + 1

    def set_meta(self, key: str, value: str) -> None:
        self._run("INSERT INTO meta (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def write_report(self, report: ScanReport, version: str, committed: bool) -> None:
        self.set_meta("last_scan", json.dumps({**report.as_dict(), "version": version}))
        self._run(
            "INSERT INTO scans (pid, started, finished, duration, published, read, errors, "
            "version, committed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (os.getpid(), report.as_dict()["started"], report.as_dict()["finished"],
             round(report.duration, 3), report.published, report.read, len(report.errors),
             version, int(committed)),
        )
        self._run("DELETE FROM scans WHERE id <= (SELECT MAX(id) FROM scans) - ?", (SCAN_HISTORY,))
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
            ("scans_committed" if committed else "scans_failed",),
        )

    def delete_entries(self, paths: Sequence[str]) -> Written:
        """Remove the entries of these files, if any; return what they were."""
        gone: Written = {}
        for chunk, marks in in_lists(paths):
            rows = self._all(f"SELECT id, fingerprint FROM entries WHERE path IN ({marks})", chunk)
            topics = self._topic_slugs([row["id"] for row in rows])
            ids = [(row["id"],) for row in rows]
            self._many("DELETE FROM entry_topics WHERE entry_id = ?", ids)
            self._many("DELETE FROM entries WHERE id = ?", ids)
            gone.update((row["id"], (row["fingerprint"], topics.get(row["id"], ()))) for row in rows)
        return gone

    def _topic_slugs(self, entry_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for chunk, marks in in_lists(entry_ids):
            query = f"SELECT entry_id, topic FROM entry_topics WHERE entry_id IN ({marks})"
            for entry_id, slug in self._all(query, chunk):
                found[entry_id] = (*found.get(entry_id, ()), slug)
        return found

    def delete_files(self, paths: Sequence[str]) -> None:
        self._many("DELETE FROM files WHERE path = ?", [(path,) for path in paths])

    def write_records(self, records: Sequence[FileRecord]) -> Written:
        """Store files read by a scan; return the entries written."""
        drafts: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        topics: list[tuple[str, str, str]] = []
        files: list[tuple[Any, ...]] = []
        written: Written = {}
        for record in records:
            read = record.read
            warnings = json.dumps(list(read.warnings)) if read.warnings else "[]"  # (most have none)
            media = json.dumps([list(dependency) for dependency in record.media]) if record.media else "[]"
            row = read.row
            if row is None:
                drafts.append((record.path, record.first_seen.isoformat(), read.content_hash,
                               record.size, record.mtime_ns, warnings, media, read.due_ts, read.due_kind))
                continue
            written[read.entry_id] = (read.fingerprint, tuple(slug for slug, _label in read.topics))
            entries.append(row)
            topics.extend((slug, label, read.entry_id) for slug, label in read.topics)
            files.append((record.path, read.entry_id, record.first_seen.isoformat(), read.content_hash,
                          row[PUBLISHED], row[UPDATED], record.size, record.mtime_ns, warnings, read.slug,
                          media, read.due_ts, read.due_kind))
        self._many(UPSERT_DRAFTS, drafts)
        self._insert_entries(entries)
        # a new topic's first label; relabel settles every touched topic's label at the end
        self._many("INSERT INTO topics (slug, label) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   list(dict.fromkeys((slug, label) for slug, label, _id in topics)))  # once, in order
        self._many("INSERT INTO entry_topics (topic, label, entry_id) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING", topics)
        self._many(UPSERT_FILES, files)
        return written

    def relabel(self, slugs: Iterable[str], rule_labels: Mapping[str, str]) -> set[str]:
        """Settle the labels of these topics: the rules file's, else the one its newest article
        gives (a topic without articles keeps its last). Return the topics whose feeds show a
        changed label: those of every entry of a relabelled topic."""
        shown: set[str] = set()
        touched = sorted(set(slugs) | set(rule_labels))
        newest = self._newest_labels([slug for slug in touched if slug not in rule_labels])
        for slug in touched:
            label = rule_labels.get(slug) or newest.get(slug)
            if label and self._run("UPDATE topics SET label = ? WHERE slug = ? AND label != ?",
                                   (label, slug, label)):
                shown.add(slug)
                shown.update(row[0] for row in self._all(
                    "SELECT DISTINCT topic FROM entry_topics WHERE entry_id IN "
                    "(SELECT entry_id FROM entry_topics WHERE topic = ?)", (slug,)))
        return shown

    def _newest_labels(self, slugs: Sequence[str]) -> dict[str, str]:
        """The label the newest article of each of these topics gives it (none: no label)."""
        if len(slugs) <= FEW_TOPICS:
            return {slug: rows[0][0] for slug in slugs if (rows := self._all(NEWEST_LABEL, (slug,)))}
        wanted = set(slugs)
        labels: dict[str, str] = {}
        for topic, label in self._all(LABELS_NEWEST_FIRST):
            if topic in wanted:
                labels.setdefault(topic, label)
        return labels

    def stamp_topics(self, topics: Iterable[str], stamp: str) -> None:
        """Record stamp as when these topics' feeds last changed."""
        self._many("UPDATE topics SET changed = ? WHERE slug = ?", [(stamp, slug) for slug in topics])

    def write_version(self, entries_sum: int) -> str:
        version = catalog_version(entries_sum, self._all("SELECT slug, label FROM topics ORDER BY slug"))
        self.set_meta("version", version)
        return version

"""The SQLite catalog: the only module that speaks SQL.

A scan is committed in one transaction, so readers see the old catalog or the new one.
The catalog version is a hash of everything the feeds are made of: it changes exactly
when some feed's content changes, and is the same across restarts and processes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import Entry, Identity, ScanReport, Topic

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    published TEXT NOT NULL,
    published_ts INTEGER NOT NULL,
    updated TEXT NOT NULL,
    updated_ts INTEGER NOT NULL,
    authors TEXT NOT NULL,
    link TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_date ON entries (published_ts DESC, id);
CREATE TABLE IF NOT EXISTS topics (
    slug TEXT PRIMARY KEY,
    label TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entry_topics (
    topic TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (topic, entry_id)
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

ENTRY_COLUMNS = (
    "id, path, slug, title, summary, content, published, updated, authors, link, content_hash"
)


def _entry_from_row(row: sqlite3.Row, topics: tuple[Topic, ...]) -> Entry:
    return Entry(
        id=row["id"], path=row["path"], slug=row["slug"], title=row["title"],
        summary=row["summary"], content_html=row["content"],
        published=datetime.fromisoformat(row["published"]),
        updated=datetime.fromisoformat(row["updated"]),
        authors=tuple(json.loads(row["authors"])), topics=topics, link=row["link"],
        content_hash=row["content_hash"],
    )


def _fingerprint(entry: Entry) -> str:
    return json.dumps([
        entry.id, entry.slug, entry.title, entry.summary, entry.content_html,
        entry.published.isoformat(), entry.updated.isoformat(), entry.authors, entry.link,
        [[topic.slug, topic.label] for topic in entry.topics],
    ])


class Store:
    """A catalog on disk; one connection per thread, WAL mode, a busy timeout."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- reading -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._connect().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def version(self) -> str:
        return self.meta("version") or ""

    def last_report(self) -> dict[str, Any] | None:
        value = self.meta("last_scan")
        return json.loads(value) if value else None

    def identities(self) -> dict[str, Identity]:
        rows = self._connect().execute("SELECT * FROM files").fetchall()
        return {
            row["path"]: Identity(
                entry_id=row["entry_id"],
                first_seen=datetime.fromisoformat(row["first_seen"]),
                content_hash=row["content_hash"],
                published=datetime.fromisoformat(row["published"]),
                updated=datetime.fromisoformat(row["updated"]),
            )
            for row in rows
        }

    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic ever seen with its current number of entries, by slug."""
        rows = self._connect().execute(
            "SELECT t.slug, t.label, COUNT(et.entry_id) AS n FROM topics t "
            "LEFT JOIN entry_topics et ON et.topic = t.slug GROUP BY t.slug ORDER BY t.slug"
        ).fetchall()
        return [(Topic(row["slug"], row["label"]), row["n"]) for row in rows]

    def topic(self, slug: str) -> Topic | None:
        row = self._connect().execute(
            "SELECT slug, label FROM topics WHERE slug = ?", (slug,)
        ).fetchone()
        return Topic(row["slug"], row["label"]) if row else None

    def entries(self, topic: str | None = None, limit: int = 50) -> list[Entry]:
        """Entries newest first (ties by id), optionally of one topic."""
        db = self._connect()
        if topic is None:
            rows = db.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY published_ts DESC, id LIMIT ?",
                (limit,),
            ).fetchall()
        else:
            rows = db.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries JOIN entry_topics et ON et.entry_id = id "
                "WHERE et.topic = ? ORDER BY published_ts DESC, id LIMIT ?",
                (topic, limit),
            ).fetchall()
        return [_entry_from_row(row, self._topics_of(row["id"])) for row in rows]

    def entry_by_slug(self, slug: str) -> Entry | None:
        row = self._connect().execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE slug = ?", (slug,)
        ).fetchone()
        return _entry_from_row(row, self._topics_of(row["id"])) if row else None

    def newest_updated(self) -> datetime | None:
        row = self._connect().execute(
            "SELECT updated FROM entries ORDER BY updated_ts DESC, id LIMIT 1"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def _topics_of(self, entry_id: str) -> tuple[Topic, ...]:
        rows = self._connect().execute(
            "SELECT t.slug, t.label FROM entry_topics et JOIN topics t ON t.slug = et.topic "
            "WHERE et.entry_id = ? ORDER BY t.slug",
            (entry_id,),
        ).fetchall()
        return tuple(Topic(row["slug"], row["label"]) for row in rows)

    # -- writing -------------------------------------------------------------------------

    def commit_scan(
        self, entries: Iterable[Entry], report: ScanReport, keep_paths: Iterable[str] = (),
    ) -> str:
        """Replace the catalog with a scan's entries in one transaction; return the version.

        Entries of files in keep_paths (published before, failing now) stay as they were.
        """
        entries = list(entries)
        keep = set(keep_paths)
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            self._delete_entries_except({entry.path for entry in entries} | keep)
            for entry in entries:
                self._write_entry(entry, report.started or entry.published)
            self._write_version()
            self._write_report(report)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.version()

    def save_report(self, report: ScanReport) -> None:
        """Record a scan that committed nothing (the catalog stays as it was)."""
        self._write_report(report)

    def _write_report(self, report: ScanReport) -> None:
        self._connect().execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_scan', ?)",
            (json.dumps(report.as_dict()),),
        )

    def _delete_entries_except(self, paths: set[str]) -> None:
        db = self._connect()
        db.execute("CREATE TEMP TABLE IF NOT EXISTS live (path TEXT PRIMARY KEY)")
        db.execute("DELETE FROM live")
        db.executemany("INSERT INTO live (path) VALUES (?)", [(path,) for path in paths])
        db.execute(
            "DELETE FROM entry_topics WHERE entry_id IN "
            "(SELECT id FROM entries WHERE path NOT IN (SELECT path FROM live))"
        )
        db.execute("DELETE FROM entries WHERE path NOT IN (SELECT path FROM live)")
        db.execute("DELETE FROM files WHERE path NOT IN (SELECT path FROM live)")

    def _write_entry(self, entry: Entry, now: datetime) -> None:
        db = self._connect()
        db.execute("DELETE FROM entry_topics WHERE entry_id IN "
                   "(SELECT id FROM entries WHERE path = ? OR id = ?)", (entry.path, entry.id))
        db.execute("DELETE FROM entries WHERE path = ? OR id = ? OR slug = ?",
                   (entry.path, entry.id, entry.slug))
        db.execute(
            "INSERT INTO entries (id, path, slug, title, summary, content, published, "
            "published_ts, updated, updated_ts, authors, link, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.id, entry.path, entry.slug, entry.title, entry.summary, entry.content_html,
                entry.published.isoformat(), int(entry.published.timestamp()),
                entry.updated.isoformat(), int(entry.updated.timestamp()),
                json.dumps(list(entry.authors)), entry.link, entry.content_hash,
            ),
        )
        for topic in entry.topics:
            db.execute("INSERT OR IGNORE INTO topics (slug, label) VALUES (?, ?)",
                       (topic.slug, topic.label))
            db.execute("INSERT OR IGNORE INTO entry_topics (topic, entry_id) VALUES (?, ?)",
                       (topic.slug, entry.id))
        db.execute(
            "INSERT INTO files (path, entry_id, first_seen, content_hash, published, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET entry_id = excluded.entry_id, "
            "content_hash = excluded.content_hash, published = excluded.published, "
            "updated = excluded.updated",
            (entry.path, entry.id, now.isoformat(), entry.content_hash,
             entry.published.isoformat(), entry.updated.isoformat()),
        )

    def _write_version(self) -> None:
        """Hash every entry and topic: the version moves only when a feed's content moves."""
        db = self._connect()
        digest = hashlib.sha256()
        rows = db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY id").fetchall()
        for row in rows:
            digest.update(_fingerprint(_entry_from_row(row, self._topics_of(row["id"]))).encode())
        for topic, count in self.topics():
            digest.update(f"\0{topic.slug}\0{topic.label}\0{count}".encode())
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)",
                   (digest.hexdigest()[:20],))

"""The SQLite catalog: the only module that speaks SQL.

A scan is committed in one transaction, so readers see the old catalog or the new one.
The catalog version is a hash of everything the feeds are made of: it changes exactly
when some feed's content changes, and is the same across restarts and processes. It is
kept cheap for large catalogs: every entry row carries a fingerprint of its content, the
sum of all fingerprints is maintained as entries come and go, and the version hashes that
sum with the topic list, so a scan costs what it changed.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import catalog_files, schema
from .catalog import EPOCH, ScanCommit, Written, catalog_version
from .catalog_files import catalog_error
from .errors import CatalogError
from .model import Entry, FileRecord, FileState, Identity, ScanReport, Topic, media_fields, media_json
from .text import ANY_TAG

logger = logging.getLogger(__name__)

SCAN_HISTORY = 50  # scans kept for /status

WAL_ATTEMPTS = 20
# The WAL file grows to the largest transaction (a first scan of 10,000 articles: 114 MB, as
# large as the database) and SQLite keeps that size: the write after a complete checkpoint
# cuts it back to this.
WAL_KEPT_BYTES = 4 * 1024 * 1024
SQL_BATCH = 500  # values bound in one IN (...) list

ENTRY_COLUMNS = (
    "id, path, slug, title, summary, content, published, updated, authors, link, content_hash, media, "
    "status"
)


def _entry_from_row(row: sqlite3.Row, topics: tuple[Topic, ...]) -> Entry:
    return Entry(
        id=row["id"], path=row["path"], slug=row["slug"], title=row["title"],
        summary=row["summary"], content_html=row["content"],
        published=datetime.fromisoformat(row["published"]),
        updated=datetime.fromisoformat(row["updated"]),
        authors=tuple(json.loads(row["authors"])), topics=topics, link=row["link"],
        content_hash=row["content_hash"], status=row["status"], **media_fields(row["media"]),
    )


def _search_text(html: str) -> str:
    """Words of sanitized HTML for the index (a regex, not a parser: it runs on every write)."""
    return unescape(ANY_TAG.sub(" ", html))


def _in_lists(values: Sequence[str]) -> Iterator[tuple[Sequence[str], str]]:
    """The values in slices of SQL_BATCH, each with the placeholders of its IN (...) list."""
    for start in range(0, len(values), SQL_BATCH):
        chunk = values[start:start + SQL_BATCH]
        yield chunk, ", ".join("?" * len(chunk))


def _casefold(text: str) -> str:
    return text.casefold()


def _match_all(words: Sequence[str]) -> str:
    """An FTS5 query matching entries that hold every word (each quoted as a phrase)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _enable_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL mode, retrying: on a new file, processes starting together (gunicorn
    workers) race for the switch, and SQLite reports 'locked' without waiting."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _checkpoint(db: sqlite3.Connection, path: Path) -> None:
    try:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:  # the next scan's checkpoint copies what this one left
        logger.warning("checkpoint of %s failed: %s", path, exc)
    finally:
        db.close()


class Store:
    """A catalog on disk; one connection per thread, WAL mode, a busy timeout."""

    def __init__(self, path: Path, check_pages: bool = False):
        """Open (or create) the catalog at path; check_pages: read every page first, so a
        damaged file is refused before any work (0.13 s per 100 MB)."""
        self.path = path
        self._local = threading.local()
        # The file states as of a catalog generation: a scanning process keeps them between
        # scans and patches them with its own commits instead of loading every row again.
        self._states: dict[str, FileState] = {}
        self._states_generation = -1
        try:
            catalog_files.prepare(path)
            self._inspect(check_pages)
            catalog_files.tighten(path)
            self._create_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            self.close()
            raise catalog_error(path, exc) from None
        except CatalogError:
            self.close()
            raise

    def _inspect(self, check_pages: bool) -> None:
        """Raise CatalogError unless the file is empty, ours, or an earlier version's catalog
        (feedsvc's tables only: marked as ours by schema.create_or_migrate), and, if asked,
        undamaged. Reads only: a file that is not ours is left as it was, in its journal mode."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            tables = sorted(name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"))
            earlier_version = {"files", "meta"} <= set(tables) <= schema.OUR_TABLES
            if application_id != schema.APPLICATION_ID and (
                application_id or (tables and not earlier_version)
            ):
                raise catalog_files.foreign(self.path, tables)
            problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")] if check_pages else ["ok"]
        finally:
            db.close()
        if problems != ["ok"]:
            raise catalog_files.damaged(self.path, "; ".join(problems))

    def _create_schema(self) -> None:
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")  # one process creates or migrates; the others wait
        try:
            catalog_files.renew_locks(self.path)
            schema.create_or_migrate(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            _enable_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            # No connection copies the WAL into the database in its commit: each scan starts a
            # checkpoint of its own once committed (checkpoint_later).
            db.execute("PRAGMA wal_autocheckpoint=0")
            db.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
            db.create_function("search_text", 1, _search_text, deterministic=True)
            db.create_function("casefold", 1, _casefold, deterministic=True)
            self._local.db = db
        return db

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, for the tables whose SQL lives elsewhere (hub_catalog)."""
        return self._connect()

    def checkpoint_later(self) -> None:
        """Copy the WAL into the database file on another thread (PASSIVE: readers and writers
        go on), so a commit returns before the copy ends: after a first scan of 10,000 articles
        the copy is 100 MB and took a quarter of a second. The connection opens its files here,
        before this returns: opened later, it would create them again in a folder its owner may
        be removing."""
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA user_version").fetchone()  # a read opens the WAL and its index
        except sqlite3.Error as exc:
            logger.warning("checkpoint of %s not started: %s", self.path, exc)
            return
        threading.Thread(target=_checkpoint, args=(db, self.path), name="feedsvc-checkpoint",
                         daemon=True).start()

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

    def context(self) -> str:
        """The scan context (settings, rules) the catalog was built with."""
        return self.meta("context") or ""

    def file_states(self) -> Mapping[str, FileState]:
        """What the last scans saw of every known file, by path."""
        generation = self.generation()
        if generation != self._states_generation:  # another process committed since
            rows = self._connect().execute(
                "SELECT path, size, mtime_ns, entry_id, slug, warnings, media, due_ts FROM files"
            ).fetchall()
            self._states = {
                path: FileState(size, mtime_ns, entry_id, slug,
                                () if warnings == "[]" else tuple(json.loads(warnings)),
                                () if media == "[]" else tuple(map(tuple, json.loads(media))), due_ts)
                for path, size, mtime_ns, entry_id, slug, warnings, media, due_ts in rows
            }
            self._states_generation = generation
        return MappingProxyType(self._states)

    def generation(self) -> int:
        """A number that grows with every commit of a scan, whichever process made it."""
        return int(self.meta("generation") or 0)

    def identity(self, path: str) -> Identity | None:
        """The id and times remembered for a file, if it was ever published."""
        row = self._connect().execute(
            "SELECT * FROM files WHERE path = ? AND entry_id != ''", (path,)
        ).fetchone()
        if row is None:
            return None
        return Identity(
            entry_id=row["entry_id"],
            first_seen=datetime.fromisoformat(row["first_seen"]),
            content_hash=row["content_hash"],
            published=datetime.fromisoformat(row["published"]),
            updated=datetime.fromisoformat(row["updated"]),
        )

    def scan_history(self, limit: int = SCAN_HISTORY) -> list[dict[str, Any]]:
        """The latest scans, newest first, with the process that ran each."""
        rows = self._connect().execute(
            "SELECT pid, started, finished, duration, published, read, errors, version, committed "
            "FROM scans ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [{**dict(row), "committed": bool(row["committed"])} for row in rows]

    def scan_counts(self) -> dict[str, int]:
        """How many scans committed and how many failed, over the catalog's life."""
        return {outcome: int(self.meta(f"scans_{outcome}") or 0) for outcome in ("committed", "failed")}

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read inside one transaction: every query sees the same committed scan."""
        db = self._connect()
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.execute("COMMIT")

    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic with a published article and its number of entries, by slug (a topic
        whose articles are all gone keeps its feeds, empty, but is listed nowhere)."""
        rows = self._connect().execute(
            "SELECT t.slug, t.label, COUNT(et.entry_id) AS n FROM topics t "
            "JOIN entry_topics et ON et.topic = t.slug GROUP BY t.slug ORDER BY t.slug"
        ).fetchall()
        return [(Topic(row["slug"], row["label"]), row["n"]) for row in rows]

    def all_topic_slugs(self) -> list[str]:
        """Every topic ever seen, with articles or not: each keeps answering with its feeds."""
        return [row[0] for row in self._connect().execute("SELECT slug FROM topics ORDER BY slug")]

    def changed(self, topics: Sequence[str] = ()) -> datetime:
        """When a scan last changed the feeds of these topics (of any topic when none given):
        the commit time of that scan, in whole seconds."""
        stamps = [self.meta("changed") or ""]
        if topics:
            rows = self._connect().execute(
                f"SELECT changed FROM topics WHERE slug IN ({', '.join('?' * len(topics))})", topics,
            ).fetchall()
            # a topic of a catalog older than change times has none: the catalog's stands for it
            stamps = [row[0] or stamps[0] for row in rows] or stamps
        return max((datetime.fromisoformat(stamp) for stamp in stamps if stamp), default=EPOCH)

    def next_due(self) -> datetime | None:
        """The next time an article is published or expires, if any is waiting."""
        row = self._connect().execute("SELECT MIN(due_ts) FROM files WHERE due_ts > 0").fetchone()
        return datetime.fromtimestamp(row[0], UTC) if row[0] else None

    def due(self) -> list[dict[str, str]]:
        """Articles waiting for their time: path, what happens ('publish' or 'expire') and when."""
        rows = self._connect().execute(
            "SELECT path, due_kind, due_ts FROM files WHERE due_ts > 0 ORDER BY due_ts, path"
        ).fetchall()
        return [{"path": path, "action": kind, "at": datetime.fromtimestamp(ts, UTC).isoformat()}
                for path, kind, ts in rows]

    def topic(self, slug: str) -> Topic | None:
        row = self._connect().execute(
            "SELECT slug, label FROM topics WHERE slug = ?", (slug,)
        ).fetchone()
        return Topic(row["slug"], row["label"]) if row else None

    def entries(self, topic: str | None = None, limit: int = 50) -> list[Entry]:
        """Entries newest first (ties by id), optionally of one topic."""
        return self.find_entries(topic=topic, limit=limit)[0]

    def find_entries(
        self, *, topic: str | None = None, any_topics: Sequence[str] = (),
        exclude: Sequence[str] = (), words: Sequence[str] = (), author: str = "",
        since: datetime | None = None, until: datetime | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[list[Entry], int]:
        """One page of the entries matching every filter, newest first, and how many match.

        topic: in this topic; any_topics: in at least one; exclude: in none; words: all in the
        title, summary or content; author: one of the authors (case-insensitive);
        since <= published < until.
        """
        where: list[str] = []
        params: list[Any] = []
        in_topics = "e.id {} (SELECT entry_id FROM entry_topics WHERE topic IN ({}))"
        for negate, slugs in ((False, [topic] if topic else []), (False, any_topics), (True, exclude)):
            if slugs:
                where.append(in_topics.format("NOT IN" if negate else "IN", ", ".join("?" * len(slugs))))
                params.extend(slugs)
        if words:
            where.append("e.rowid IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(_match_all(words))
        if author:
            where.append("EXISTS (SELECT 1 FROM json_each(e.authors) WHERE casefold(value) = ?)")
            params.append(author.casefold())
        if since is not None:
            where.append("e.published_ts >= ?")
            params.append(int(since.timestamp()))
        if until is not None:
            where.append("e.published_ts < ?")
            params.append(int(until.timestamp()))
        condition = " WHERE " + " AND ".join(where) if where else ""
        db = self._connect()
        columns = ", ".join("e." + column for column in ENTRY_COLUMNS.split(", "))
        # The page's rows are chosen first and read after: sorting whole rows (3 KB of content
        # each) of every entry in a topic made topic feeds several times slower.
        order = "ORDER BY e.published_ts DESC, e.id"
        rows = db.execute(
            f"SELECT {columns} FROM entries e JOIN (SELECT e.rowid AS page_row FROM entries e"
            f"{condition} {order} LIMIT ? OFFSET ?) page ON e.rowid = page.page_row {order}",
            (*params, limit, offset),
        ).fetchall()
        total = db.execute(f"SELECT COUNT(*) FROM entries e{condition}", params).fetchone()[0]
        topics = self._topics_of_entries([row["id"] for row in rows])
        return [_entry_from_row(row, topics.get(row["id"], ())) for row in rows], total

    def entry_by_slug(self, slug: str) -> Entry | None:
        row = self._connect().execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE slug = ?", (slug,)
        ).fetchone()
        return _entry_from_row(row, self._topics_of(row["id"])) if row else None

    def article_slugs(self) -> list[str]:
        """The slug of every entry, in slug order."""
        rows = self._connect().execute("SELECT slug FROM entries ORDER BY slug").fetchall()
        return [row[0] for row in rows]

    def newest_updated(self) -> datetime | None:
        row = self._connect().execute(
            "SELECT updated FROM entries ORDER BY updated_ts DESC, id LIMIT 1"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def _topics_of_entries(self, entry_ids: Sequence[str]) -> dict[str, tuple[Topic, ...]]:
        """The topics of each of these entries, by slug (one query per SQL_BATCH entries)."""
        found: dict[str, list[Topic]] = {}
        for chunk, marks in _in_lists(entry_ids):
            rows = self._connect().execute(
                "SELECT et.entry_id, t.slug, t.label FROM entry_topics et "
                f"JOIN topics t ON t.slug = et.topic WHERE et.entry_id IN ({marks}) ORDER BY t.slug",
                chunk,
            ).fetchall()
            for entry_id, slug, label in rows:
                found.setdefault(entry_id, []).append(Topic(slug, label))
        return {entry_id: tuple(topics) for entry_id, topics in found.items()}

    def _topics_of(self, entry_id: str) -> tuple[Topic, ...]:
        return self._topics_of_entries([entry_id]).get(entry_id, ())

    # -- writing -------------------------------------------------------------------------

    def begin_scan(self) -> ScanCommit:
        """Open the one transaction of a scan; its files are written as they are read."""
        return ScanCommit(self)

    def begin_write(self) -> None:
        """Open the write transaction (IMMEDIATE: a second writer waits here, not at commit)."""
        self._connect().execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._connect().execute("COMMIT")

    def rollback(self) -> None:
        db = self._connect()
        if db.in_transaction:
            db.execute("ROLLBACK")

    def scan_committed(self, generation: int, read: Mapping[str, FileState], removed: Iterable[str]) -> None:
        """After the commit of a scan that started at this generation: checkpoint, and bring the
        kept file states to what it wrote (unless another process committed in between)."""
        self.checkpoint_later()
        if generation == self._states_generation:
            for path in removed:
                self._states.pop(path, None)
            self._states.update(read)
            self._states_generation = generation + 1

    def save_report(self, report: ScanReport) -> None:
        """Record a scan that committed nothing (the catalog stays as it was)."""
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            self.write_report(report, self.version(), committed=False)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.checkpoint_later()  # a folder broken for days must not grow the WAL for days

    def set_meta(self, key: str, value: str) -> None:
        self._connect().execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def write_report(self, report: ScanReport, version: str, committed: bool) -> None:
        self.set_meta("last_scan", json.dumps({**report.as_dict(), "version": version}))
        db = self._connect()
        cursor = db.execute(
            "INSERT INTO scans (pid, started, finished, duration, published, read, errors, "
            "version, committed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (os.getpid(), report.as_dict()["started"], report.as_dict()["finished"],
             round(report.duration, 3), report.published, report.read, len(report.errors),
             version, int(committed)),
        )
        db.execute("DELETE FROM scans WHERE id <= ?", ((cursor.lastrowid or 0) - SCAN_HISTORY,))
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            ("scans_committed" if committed else "scans_failed",),
        )

    def delete_entries(self, paths: Sequence[str]) -> Written:
        """Remove the entries of these files, if any; return what they were."""
        db = self._connect()
        gone: Written = {}
        for chunk, marks in _in_lists(paths):
            query = f"SELECT id, fingerprint FROM entries WHERE path IN ({marks})"
            rows = db.execute(query, chunk).fetchall()
            topics = self._topic_slugs([row["id"] for row in rows])
            ids = [(row["id"],) for row in rows]
            db.executemany("DELETE FROM entry_topics WHERE entry_id = ?", ids)
            db.executemany("DELETE FROM entries WHERE id = ?", ids)
            gone.update((row["id"], (row["fingerprint"], topics.get(row["id"], ()))) for row in rows)
        return gone

    def _topic_slugs(self, entry_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for chunk, marks in _in_lists(entry_ids):
            query = f"SELECT entry_id, topic FROM entry_topics WHERE entry_id IN ({marks})"
            for entry_id, slug in self._connect().execute(query, chunk):
                found[entry_id] = (*found.get(entry_id, ()), slug)
        return found

    def delete_files(self, paths: Sequence[str]) -> None:
        self._connect().executemany("DELETE FROM files WHERE path = ?", [(path,) for path in paths])

    def write_records(self, records: Sequence[FileRecord]) -> Written:
        """Store files read by a scan; return the entries written."""
        db = self._connect()
        drafts, entries, topics, files = [], [], [], []
        written: Written = {}
        for record in records:
            warnings = json.dumps(list(record.warnings))
            media = json.dumps([list(dependency) for dependency in record.media])
            entry = record.entry
            if entry is None:  # a draft: no entry; an identity it had is kept for later
                drafts.append((record.path, record.first_seen.isoformat(), record.content_hash,
                               record.size, record.mtime_ns, warnings, media, record.due_ts,
                               record.due_kind))
                continue
            written[entry.id] = (record.fingerprint, tuple(topic.slug for topic in entry.topics))
            published, updated = entry.published.isoformat(), entry.updated.isoformat()
            entries.append((
                entry.id, entry.path, entry.slug, entry.title, entry.summary, entry.content_html,
                published, int(entry.published.timestamp()), updated, int(entry.updated.timestamp()),
                json.dumps(list(entry.authors)), entry.link, entry.content_hash, record.fingerprint,
                media_json(entry), entry.status,
            ))
            topics.extend((topic.slug, topic.label, entry.id) for topic in entry.topics)
            files.append((entry.path, entry.id, record.first_seen.isoformat(), entry.content_hash,
                          published, updated, record.size, record.mtime_ns, warnings, entry.slug, media,
                          record.due_ts, record.due_kind))
        db.executemany(
            "INSERT INTO files (path, entry_id, first_seen, content_hash, published, updated, "
            "size, mtime_ns, warnings, slug, media, due_ts, due_kind) "
            "VALUES (?, '', ?, ?, '', '', ?, ?, ?, '', ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "warnings = excluded.warnings, slug = '', media = excluded.media, "
            "due_ts = excluded.due_ts, due_kind = excluded.due_kind",
            drafts,
        )
        db.executemany(
            "INSERT INTO entries (id, path, slug, title, summary, content, published, "
            "published_ts, updated, updated_ts, authors, link, content_hash, fingerprint, media, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        for chunk, marks in _in_lists([row[0] for row in entries]):
            db.execute(f"{schema.INDEX_ENTRIES} WHERE id IN ({marks})", chunk)
        # a new topic's first label; _relabel settles every touched topic's label at the end
        db.executemany("INSERT OR IGNORE INTO topics (slug, label) VALUES (?, ?)",
                       [(slug, label) for slug, label, _id in topics])
        db.executemany("INSERT OR IGNORE INTO entry_topics (topic, label, entry_id) VALUES (?, ?, ?)",
                       topics)
        db.executemany(
            "INSERT OR REPLACE INTO files (path, entry_id, first_seen, content_hash, published, "
            "updated, size, mtime_ns, warnings, slug, media, due_ts, due_kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            files,
        )
        return written

    def relabel(self, slugs: Iterable[str], rule_labels: Mapping[str, str]) -> set[str]:
        """Settle the labels of these topics: the rules file's, else the one its newest article
        gives (a topic without articles keeps its last). Return the topics whose feeds show a
        changed label: those of every entry of a relabelled topic."""
        db = self._connect()
        shown: set[str] = set()
        for slug in sorted(set(slugs) | set(rule_labels)):
            label = rule_labels.get(slug)
            if label is None:
                row = db.execute(
                    "SELECT et.label FROM entry_topics et JOIN entries e ON e.id = et.entry_id "
                    "WHERE et.topic = ? AND et.label != '' ORDER BY e.published_ts DESC, e.id LIMIT 1",
                    (slug,),
                ).fetchone()
                label = row[0] if row else None
            cursor = db.execute("UPDATE topics SET label = ? WHERE slug = ? AND label != ?",
                                (label, slug, label)) if label else None
            if cursor is not None and cursor.rowcount:
                shown.add(slug)
                shown.update(row[0] for row in db.execute(
                    "SELECT DISTINCT topic FROM entry_topics WHERE entry_id IN "
                    "(SELECT entry_id FROM entry_topics WHERE topic = ?)", (slug,)))
        return shown

    def stamp_topics(self, topics: Iterable[str], stamp: str) -> None:
        """Record stamp as when these topics' feeds last changed."""
        self._connect().executemany("UPDATE topics SET changed = ? WHERE slug = ?",
                                    [(stamp, slug) for slug in topics])

    def write_version(self, entries_sum: int) -> str:
        topics = self._connect().execute("SELECT slug, label FROM topics ORDER BY slug").fetchall()
        version = catalog_version(entries_sum, topics)
        self.set_meta("version", version)
        return version

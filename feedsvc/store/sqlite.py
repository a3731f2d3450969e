"""The SQLite catalog: one file, one connection per thread, WAL mode, a busy timeout.

A scan is committed in one transaction, so readers see the old catalog or the new one.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

from .. import catalog_files, schema
from ..catalog_files import catalog_error
from ..errors import CatalogError
from ..text import ANY_TAG
from .base import Store
from .writes import ENTRY_INSERT_COLUMNS, in_lists

logger = logging.getLogger(__name__)

WAL_ATTEMPTS = 20
# The WAL file grows to the largest transaction (a first scan of 10,000 articles: 79 MB, as
# large as the database) and SQLite keeps that size: the write after a complete checkpoint
# cuts it back to this.
WAL_KEPT_BYTES = 4 * 1024 * 1024
PAGE_BYTES = 8192
INSERT_ENTRIES = (f"INSERT INTO entries ({', '.join(ENTRY_INSERT_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(ENTRY_INSERT_COLUMNS))})")


def search_text(html: str) -> str:
    """Words of sanitized HTML for the index (a regex, not a parser: it runs on every write).
    The index forgets an entry by the words this gives: giving others for some text takes a
    new schema.SEARCH_TEXT_SINCE."""
    return unescape(ANY_TAG.sub(" ", html))


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


class SqliteStore(Store):
    """A catalog in a SQLite file."""

    ROW_KEY = "rowid"
    # SQLite chose to find a topic's entries by id and sort them, reading each row (its date
    # comes after its content): 1-5 ms a topic feed of 10,000 articles, growing with the topic.
    # Walking the date index until a page is full, each entry looked up in the topic's, takes
    # under 1.3 ms there, the most for a topic with one old entry.
    NEWEST_FIRST = "entries e INDEXED BY entries_by_date"

    def __init__(self, database: Path | str, check_pages: bool = False):
        """Open (or create) the catalog at database; check_pages: read every page first, so a
        damaged file is refused before any work (0.13 s per 100 MB)."""
        super().__init__(database)
        self.path = Path(database)
        self._local = threading.local()
        try:
            catalog_files.prepare(self.path)
            self._inspect(check_pages)
            catalog_files.tighten(self.path)
            self._create_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            self.close()
            raise catalog_error(self.path, exc) from None
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
            # A new catalog's pages (an existing one keeps its own): an article's row of 4 KB
            # or more overflowed a 4 KB page onto another; a first scan of 10,000 articles took
            # 6 % less processor time to write with 8 KB (its statements timed alone).
            db.execute(f"PRAGMA page_size = {PAGE_BYTES}")
            _enable_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            # No connection copies the WAL into the database in its commit: each scan starts a
            # checkpoint of its own once committed (checkpoint_later).
            db.execute("PRAGMA wal_autocheckpoint=0")
            db.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
            db.create_function("search_text", 1, search_text, deterministic=True)
            db.create_function("casefold", 1, _casefold, deterministic=True)
            self._local.db = db
        return db

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._connect().execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._connect().execute(sql, params).fetchone()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._connect().execute(sql, params).rowcount

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._connect().executemany(sql, rows)

    def _words_condition(self, words: Sequence[str]) -> tuple[str, list[Any]]:
        return "e.rowid IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)", [_match_all(words)]

    def _author_condition(self, author: str) -> tuple[str, list[Any]]:
        return ("EXISTS (SELECT 1 FROM json_each(e.authors) WHERE casefold(value) = ?)",
                [author.casefold()])

    def _insert_entries(self, rows: Sequence[tuple[Any, ...]]) -> None:
        db = self._connect()
        db.executemany(INSERT_ENTRIES, rows)
        if getattr(self._local, "index_at_commit", False):
            return
        for chunk, marks in in_lists([row[0] for row in rows]):
            db.execute(f"{schema.INDEX_ENTRIES} WHERE id IN ({marks})", chunk)

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

    # a commit must not grow the WAL for as long as the service runs
    _after_commit = checkpoint_later

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        db = self._connect()
        if db.in_transaction:
            yield
            return
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.execute("COMMIT")

    def begin_write(self) -> None:
        """BEGIN IMMEDIATE: a second writer waits here, not at commit.

        Entries written into an empty catalog (a first scan, a copy) are indexed for search
        at commit, all in one statement: a first scan of 10,000 articles indexed them in
        0.5 s so, and in 1.0 s batch by batch."""
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        self._local.index_at_commit = db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None

    def commit(self) -> None:
        db = self._connect()
        if getattr(self._local, "index_at_commit", False):
            self._local.index_at_commit = False
            db.execute(schema.INDEX_ENTRIES)  # the index was empty as entries were
        db.execute("COMMIT")

    def rollback(self) -> None:
        self._local.index_at_commit = False
        db = self._connect()
        if db.in_transaction:
            db.execute("ROLLBACK")

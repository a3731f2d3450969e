"""Connections to a PostgreSQL catalog: each process's pool and listener, and session locks.

A process keeps one pool and one listener per catalog URL, shared by its stores; a process
forked from one that had them (a gunicorn worker) opens its own. A session lock is held on
a connection of its own, so PostgreSQL releases it when its holder dies.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
import psycopg_pool

from ..database_url import shown_url

logger = logging.getLogger(__name__)

# advisory lock keys: "FSVC" and what each guards
SCHEMA_LOCK = 0x4653564300000001  # creating or migrating the tables
WRITE_LOCK = 0x4653564300000002  # one writer at a time, as SQLite's BEGIN IMMEDIATE
SCAN_LOCK = 0x4653564300000003  # one scan at a time, as scan.scan_lock's file
LEADER_LOCK = 0x4653564300000004  # the one server whose schedule scans
POOL_SIZE = 16  # connections of one process at most (a worker's threads, its scanner)
CONNECT_SECONDS = 10.0
POOL_WAIT_SECONDS = 5.0  # a request waits this long for a connection, then is answered 503
CHANNEL = "feedsvc_catalog"  # a commit notifies its catalog version on it
# A listener reads the version itself this often between notifications: it finds a dead
# connection, and stands for a notification that could not be delivered.
LISTEN_CHECK_SECONDS = 1.0
LISTEN_RETRY_SECONDS = 1.0


class Row(tuple):  # type: ignore[type-arg]
    """A row read by index, by column name or unpacked, as a sqlite3.Row."""

    names: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _rows(cursor: psycopg.Cursor[Any]) -> Callable[[Sequence[Any]], Row]:
    names = {column.name: index for index, column in enumerate(cursor.description or ())}
    row_type = type("Row", (Row,), {"names": names})
    return row_type


class Listener:
    """The catalog version as the last commit announced it (LISTEN, on a connection of its
    own, read again every LISTEN_CHECK_SECONDS; a commit of this process sets it at once),
    None before the first; and why PostgreSQL cannot be reached, if it cannot (None once it
    answers again)."""

    def __init__(self, url: str, on_recovery: Callable[[], None]):
        self.url, self.on_recovery = url, on_recovery
        self.version: str | None = None
        self.problem: str | None = None
        self.stopped = False
        threading.Thread(target=self._run, name="feedsvc-listen", daemon=True).start()

    def _run(self) -> None:
        while not self.stopped:
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=int(CONNECT_SECONDS)) as db:
                    db.execute(f"LISTEN {CHANNEL}")
                    if self.problem is not None:
                        self.on_recovery()  # before anyone is told the catalog can be reached
                        logger.info("%s answers again", shown_url(self.url))
                    while not self.stopped:
                        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                        self.version, self.problem = (row[0] if row else ""), None
                        for notify in db.notifies(timeout=LISTEN_CHECK_SECONDS):
                            self.version = notify.payload
            except psycopg.Error as exc:
                if self.problem is None:
                    logger.warning("%s cannot be reached, trying again: %s", shown_url(self.url), exc)
                self.problem = f"{type(exc).__name__}: {str(exc).strip()}"
                time.sleep(LISTEN_RETRY_SECONDS)


class Pools:
    """The connection pools and catalog listeners of this process, one per URL, shared by its
    stores. A process forked from one with pools (a gunicorn worker) opens its own: the
    connections of its parent are neither used nor closed there."""

    def __init__(self) -> None:
        self._by_url: dict[str, psycopg_pool.ConnectionPool] = {}
        self._listeners: dict[str, Listener] = {}
        self._inherited: list[dict[str, psycopg_pool.ConnectionPool]] = []
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._inherited.append(self._by_url)  # kept referenced: never closed by the collector
        self._by_url, self._listeners, self._lock = {}, {}, threading.Lock()

    def listener(self, url: str) -> Listener:
        with self._lock:
            if url not in self._listeners:
                self._listeners[url] = Listener(url, on_recovery=lambda: self.renew(url))
            return self._listeners[url]

    def renew(self, url: str) -> None:
        """A new pool for url, its old one closed (connections lent out are closed as they come
        back). After an outage the old pool would wait longer after each failed connection
        attempt, up to minutes; a new one connects at once."""
        with self._lock:
            old = self._by_url.pop(url, None)
        if old is not None:  # its threads are stopped aside: the listener goes on at once
            threading.Thread(target=old.close, kwargs={"timeout": 10}, name="feedsvc-pool-close",
                             daemon=True).start()

    def get(self, url: str) -> psycopg_pool.ConnectionPool:
        with self._lock:
            pool = self._by_url.get(url)
            if pool is None:
                # check: a connection broken by a restart of PostgreSQL is replaced, not lent
                pool = psycopg_pool.ConnectionPool(
                    url, min_size=1, max_size=POOL_SIZE, timeout=POOL_WAIT_SECONDS, open=False,
                    kwargs={"autocommit": True, "row_factory": _rows}, name="feedsvc",
                    check=psycopg_pool.ConnectionPool.check_connection)
                pool.open(wait=False)
                self._by_url[url] = pool
            return pool

    def close(self, url: str) -> None:
        """Close the pool of url (a database about to be dropped)."""
        with self._lock:
            pool = self._by_url.pop(url, None)
            listener = self._listeners.pop(url, None)
        if listener is not None:
            listener.stopped = True
        if pool is not None:
            pool.close()


POOLS = Pools()


class SessionLock:
    """An advisory lock held on a connection of its own: it is released by release(), or by
    PostgreSQL when that connection dies (the process killed, the machine gone), so another
    server takes it at its next try."""

    def __init__(self, url: str, key: int):
        self.url, self.key = url, key
        self._db: psycopg.Connection[Any] | None = None

    def acquire(self, wait: bool = False) -> bool:
        """Take the lock; wait: until it is free, else give up at once if another holds it."""
        if self.held:
            return True
        try:
            db = psycopg.connect(self.url, autocommit=True, connect_timeout=int(CONNECT_SECONDS))
        except psycopg.OperationalError as exc:
            if wait:
                raise
            logger.warning("cannot reach %s for its lock: %s", shown_url(self.url), exc)
            return False
        try:
            if wait:
                db.execute("SELECT pg_advisory_lock(%s)", (self.key,))
            elif not (db.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone() or [False])[0]:
                db.close()
                return False
        except BaseException:
            db.close()
            raise
        self._db = db
        return True

    @property
    def held(self) -> bool:
        """Whether the lock is still ours: its connection answers."""
        if self._db is None:
            return False
        try:
            self._db.execute("SELECT 1")
            return True
        except psycopg.Error:
            self.release()
            return False

    def release(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

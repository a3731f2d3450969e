"""The leader lock: held for life by the one process whose schedule scans (scheduler.py).

Its file holds the leader's scan settings, so that other commands can tell what a running
server scans with (server_settings). Apart from the scheduler so that those commands (`feedsvc
scan`, `build`) do not import what scheduling needs (watchdog).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog_files import lock_path, open_lock
from .config import Settings

if TYPE_CHECKING:  # psycopg is imported only by servers of a PostgreSQL catalog
    from .store.pg_session import SessionLock

LEADER_RECORD_SECONDS = 1.0  # a new leader writes its settings within this delay


class LeaderLock:
    """A lock held for the life of the process that owns the schedule. Its file holds the
    leader's scan settings (JSON), so other commands can tell what a running server scans with."""

    def __init__(self, database: Path, record: str = ""):
        self.database = database
        self.record = record.encode()
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = open_lock(self.database, "leader")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, self.record, 0)
        self._fd = fd
        return True

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def leader_lock(settings: Settings, record: str = "") -> LeaderLock | SessionLock:
    if settings.database_url:
        from .store.pg_session import LEADER_LOCK, SessionLock

        return SessionLock(settings.database_url, LEADER_LOCK)
    return LeaderLock(settings.database, record)


def server_settings(settings: Settings) -> dict[str, str] | None:
    """The scan settings of the server leading on this catalog, None when no server runs
    (or, on PostgreSQL, when it may run on another machine: its settings are not known here)."""
    if settings.database_url:
        return None
    probe = LeaderLock(settings.database)
    if probe.acquire():  # no leader: no server scans this catalog
        probe.release()
        return None
    path = lock_path(settings.database, "leader")
    deadline = time.monotonic() + LEADER_RECORD_SECONDS
    while True:  # a leader writes its record just after taking the lock
        try:
            recorded = json.loads(path.read_bytes() or b"null")
        except ValueError:
            recorded = None
        if isinstance(recorded, dict) or time.monotonic() > deadline:
            return recorded if isinstance(recorded, dict) else {}
        time.sleep(0.05)

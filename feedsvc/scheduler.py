"""Scan wiring: one scan at a time across processes, on a schedule.

Two file locks beside the database:
- the scan lock is held for the duration of each scan, so `feedsvc scan` and the
  server never write at once;
- the leader lock is held for life by the one process whose schedule scans; the
  others retry at every tick and take over when the leader dies.
The scheduler starts inside a serving process, after gunicorn forks, never before.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from .config import Settings
from .model import ScanReport
from .scan import Progress, scan
from .store import Store

logger = logging.getLogger(__name__)


def _lock_path(settings: Settings, name: str) -> str:
    return f"{settings.database}.{name}.lock"


@contextmanager
def scan_lock(settings: Settings) -> Iterator[None]:
    """Hold the scan lock; wait while another process scans."""
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_path(settings, "scan"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class LeaderLock:
    """A lock held for the life of the process that owns the schedule."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True


def scan_once(
    settings: Settings, store: Store | None = None, progress: Progress | None = None,
) -> ScanReport:
    """Scan the content folder and commit what changed in one transaction."""
    store = store or Store(settings.database)
    with scan_lock(settings):
        now = datetime.now(UTC).replace(microsecond=0)
        result = scan(settings, store.file_states(), store.identity, store.context(), now, progress)
        report = result.report
        report.finished = datetime.now(UTC)
        if result.fatal:
            store.save_report(report)
            logger.error("scan failed in %.2fs, catalog unchanged: %s", report.duration, result.fatal)
            return report
        version = store.commit_scan(result.records, result.removed, report, result.context)
    logger.info(
        "scan: %d files, %d read, %d removed, %d published, %d drafts, %d skipped, "
        "%d errors, %d warnings in %.2fs (version %s)",
        report.files, report.read, report.removed, report.published, report.drafts,
        report.skipped, len(report.errors), len(report.warnings), report.duration, version,
    )
    return report


def start_scheduler(settings: Settings) -> BackgroundScheduler:
    """Scan now and every scan_interval seconds in the process that holds the leader lock."""
    leader = LeaderLock(_lock_path(settings, "leader"))
    store = Store(settings.database)

    def tick() -> None:
        if not leader.acquire():
            return
        try:
            scan_once(settings, store)
        except Exception:  # the last good catalog keeps serving; the next tick retries
            logger.exception("scan crashed; the last good catalog is still served")

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        tick, "interval", seconds=settings.scan_interval, id="scan",
        next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
    )
    scheduler.start()
    return scheduler

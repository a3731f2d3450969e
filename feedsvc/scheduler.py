"""Scan wiring: one scan at a time across processes, on a schedule.

Two file locks beside the database:
- the scan lock, held by scan.scan_once for the duration of each scan, so `feedsvc
  scan` and the server never write at once;
- the leader lock (leader.py) is held for life by the one process whose schedule scans; the
  others retry at every tick and take over when the leader dies.
On a PostgreSQL catalog both are advisory locks of the database instead, so one server
among all machines scans, and a killed leader's lock goes with its connection.
The scheduler starts inside a serving process, after gunicorn forks, never before.
With FEEDSVC_WATCH=1 the leader also watches the content folder and scans within a
second of a change, on top of the schedule.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .config import Settings
from .errors import CatalogUnavailable, ReadersUnavailable
from .leader import leader_lock
from .memory import release_free_memory
from .scan import scan_once
from .scan_context import scan_settings
from .store import Store

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 0.2  # a burst of file events within this delay makes one scan
FOLLOW_SECONDS = 1  # how often the leader looks for commits made by other processes
# Events that change what a scan finds; reading files (opened, closed_no_write) does not.
CHANGE_EVENTS = {"created", "deleted", "modified", "moved", "closed"}


class Watcher(FileSystemEventHandler):  # type: ignore[misc]
    """Run a scan shortly after files change under a folder, one scan per burst of changes."""

    def __init__(self, folder: Path, scan: Callable[[], None]):
        self._scan = scan
        self._changed = threading.Event()
        self._stopped = False
        self._observer = Observer()
        self._observer.schedule(self, str(folder), recursive=True)
        self._observer.start()
        threading.Thread(target=self._run, name="feedsvc-watch", daemon=True).start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in CHANGE_EVENTS:
            self._changed.set()

    def _run(self) -> None:
        while True:
            self._changed.wait()
            if self._stopped:
                return
            time.sleep(SETTLE_SECONDS)
            self._changed.clear()
            self._scan()

    def stop(self) -> None:
        self._stopped = True
        self._changed.set()
        self._observer.stop()
        self._observer.join(timeout=5)


class Schedule:
    """The scan job of one serving process: it scans only while it holds the leader lock."""

    def __init__(self, settings: Settings):
        # Imported here: APScheduler takes a tenth of a second to import, which `feedsvc scan`
        # and every other user of scan_once would pay for nothing.
        from apscheduler.schedulers.background import BackgroundScheduler

        self.settings = settings
        self.store = Store(settings.catalog)
        self.leader = leader_lock(settings, json.dumps(scan_settings(settings), sort_keys=True))
        self.watcher: Watcher | None = None
        self.watch_tried = False
        self.after_scan: list[Callable[[], None]] = []  # called after each scan of this process
        self.planned_generation = -1  # the catalog generation the due job was planned at
        # Held while planning and while stopping begins: the scheduler's shutdown holds its
        # job store lock while it waits for running jobs, so a job that plans (get_job,
        # add_job) once shutdown has begun would wait for it for ever.
        self._planning = threading.Lock()
        self.stopped = False
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self.scheduler.add_job(
            self.tick, "interval", seconds=settings.scan_interval, id="scan",
            next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
        )
        self.scheduler.add_job(self.follow, "interval", seconds=FOLLOW_SECONDS, id="follow",
                               coalesce=True, max_instances=1)

    def tick(self) -> None:
        """Scan if this process leads; otherwise try to become the leader (it may have died)."""
        if not self.leader.acquire():
            return
        if self.settings.watch and not self.watch_tried:
            self.watch_tried = True  # one attempt: the schedule goes on without it
            try:
                self.watcher = Watcher(self.settings.content_dir, self.scan)
            except OSError:  # no such folder yet, or the system's limit of watches reached
                logger.exception("cannot watch %s; scanning on the schedule only",
                                 self.settings.content_dir)
        self.scan()

    def scan(self) -> None:
        try:
            scan_once(self.settings, self.store)
        except (CatalogUnavailable, ReadersUnavailable) as exc:  # an outage, or the service stopping:
            logger.warning("scan not done, the next tick tries again: %s", exc)  # no traceback
        except Exception:  # the last good catalog keeps serving; the next tick retries
            logger.exception("scan crashed; the last good catalog is still served")
        finally:
            release_free_memory()  # what the scan read and wrote, in a process that serves
        for listener in self.after_scan:
            listener()
        self.plan_due()

    def plan_due(self) -> None:
        """Have one job scan at the time the next article is published or expires: it is
        served on time, whatever the scan interval. Planned again after every commit."""
        with self._planning:
            if not self.stopped:
                self._plan_due()

    def _plan_due(self) -> None:
        try:
            self.planned_generation = self.store.generation()
            due = self.store.next_due()
            if due is None:
                if self.scheduler.get_job("due") is not None:
                    self.scheduler.remove_job("due")
                return
            # a time already past runs at once; never skipped as misfired, however late
            self.scheduler.add_job(self.scan, "date", run_date=due, id="due", replace_existing=True,
                                   misfire_grace_time=None, coalesce=True)
        except CatalogUnavailable:  # an outage the scan's tick reports; planned again after it
            pass
        except Exception:  # the interval's scans go on; the next commit plans again
            logger.exception("could not plan the scan of the next scheduled article")

    def follow(self) -> None:
        """Plan again after a commit made elsewhere (`feedsvc scan`, a rescan in another worker)."""
        try:
            if self.leader.held and self.store.generation() != self.planned_generation:
                self.plan_due()
        except CatalogUnavailable:  # the scan's tick reports an outage; this runs every second
            pass

    def stop(self) -> None:
        with self._planning:
            if self.stopped:  # stopped by its owner, then by stop_running at the process's end
                return
            self.stopped = True
        self.scheduler.shutdown(wait=True)
        if self.watcher is not None:
            self.watcher.stop()
        self.leader.release()


# The schedules this process started, for stop_running.
_running: list[Schedule] = []


def start_scheduler(settings: Settings) -> Schedule:
    """Scan now and every scan_interval seconds in the process that holds the leader lock."""
    schedule = Schedule(settings)
    schedule.scheduler.start()
    _running.append(schedule)
    return schedule


def stop_running() -> None:
    """Stop the schedules this process started; a serving process calls it as it exits, before
    its interpreter shuts down. Left running, the scheduler's thread may hand a job (the
    every-second follow) to its pool once the shutdown has begun, which refuses it with a
    traceback in the log ('cannot schedule new futures after interpreter shutdown')."""
    while _running:
        _running.pop().stop()

"""Scan the content folder: read what changed, commit it, and report what failed.

A scan is incremental: one stat per file (walk.py); a file whose size and mtime are those
the catalog remembers is not read again. A changed file is read and normalized in a child
process within the time limit (reading.py); its content hash decides whether `updated`
moves. A bad file never stops the scan: it becomes a line in the ScanReport and keeps its
last good entry. An id is held by one file, a slug made unique, and a file renamed keeps
the history of the file it was. scan_once is the step every caller runs: under the scan
lock, in one transaction.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from .catalog_files import open_lock
from .config import Settings
from .errors import NotAnArticle, ReadError
from .media import MISSING
from .model import FileProblem, FileRecord, FileState, Identity, ScanReport
from .problems import warning_counts
from .reading import problem_message, read_files, start_forkserver
from .scan_context import scan_context
from .scan_records import Deduplicator, Recorder, derive, state_after
from .readers.site import Site, load_site
from .store import Store
from .topics import RULES_FILE, TopicRule, load_rules, rule_labels
from .walk import Walk, content_problem, walk

logger = logging.getLogger(__name__)

MAX_LOGGED_ERRORS = 5  # a scan's log line names this many failed files, then counts the rest
MAX_LOGGED_REASON = 200

Progress = Callable[[int, int], None]  # (files read so far, files to read)


class Sink(Protocol):
    """Where a scan writes what changed, as it goes (Store.begin_scan gives one)."""

    def remove(self, paths: Sequence[str]) -> None: ...

    def add(self, record: FileRecord) -> None: ...


@dataclass
class ScanResult:
    read: dict[str, FileState] = field(default_factory=dict)  # files written: new or changed
    removed: set[str] = field(default_factory=set)  # known files that are gone
    failed_paths: set[str] = field(default_factory=set)  # files whose last good entry is kept
    context: str = ""  # what every entry was derived with besides its file
    labels: dict[str, str] = field(default_factory=dict)  # topics.toml's labels, by slug
    report: ScanReport = field(default_factory=ScanReport)
    fatal: str = ""  # set when the folder itself is unusable: nothing may be committed


@contextmanager
def scan_lock(settings: Settings) -> Iterator[None]:
    """Hold the scan lock; wait while another process scans."""
    if settings.database_url:
        from .store.pg_session import SCAN_LOCK, SessionLock

        lock = SessionLock(settings.database_url, SCAN_LOCK)
        lock.acquire(wait=True)
        try:
            yield
        finally:
            lock.release()
        return
    fd = open_lock(settings.database, "scan")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def scan_once(
    settings: Settings, store: Store | None = None, progress: Progress | None = None,
    quiet: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ScanReport:
    """Scan the content folder and commit what changed in one transaction.

    The outcome is logged, unless quiet: the caller shows the report itself. clock: the
    time articles are published and expire by (tests give a fake one).
    """
    store = store or Store(settings.catalog)
    with scan_lock(settings):
        started, began = clock(), time.monotonic()
        now = started.replace(microsecond=0)  # dates in feeds are whole seconds
        states, known_context = store.file_states(), store.context()
        commit = store.begin_scan()
        try:
            result = scan(settings, states, store.identity, known_context, now, commit, progress)
        except BaseException:
            commit.abort()
            raise
        report = result.report
        report.started, report.finished = started, started + timedelta(seconds=time.monotonic() - began)
        if result.fatal:
            commit.abort()
            store.save_report(report)
            if not quiet:
                logger.error("scan failed in %.2fs, catalog unchanged: %s", report.duration, result.fatal)
            return report
        version = commit.finish(report, result.context, result.read, result.removed, result.labels)
    if not quiet:
        log_scan(report, version)
    return report


def log_scan(report: ScanReport, version: object) -> None:
    """One line per scan: its counts, and when files failed, at WARNING, the first few of them."""
    summary = (
        f"scan: {report.files} files, {report.read} read, {report.removed} removed, "
        f"{report.published} published, {report.drafts} drafts, {report.skipped} skipped, "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
        f"{f' ({warning_counts(report.warnings)})' if report.warnings else ''} in {report.duration:.2f}s "
        f"(version {version})"
    )
    if not report.errors:
        logger.info("%s", summary)
        return
    named = "; ".join(f"{problem.path}: {problem.reason[:MAX_LOGGED_REASON]}"
                      for problem in report.errors[:MAX_LOGGED_ERRORS])
    more = len(report.errors) - MAX_LOGGED_ERRORS
    rest = f"; and {more} more (all of them: /status or feedsvc scan)" if more > 0 else ""
    logger.warning("%s; could not read %s%s", summary, named, rest)


def scan(
    settings: Settings,
    states: Mapping[str, FileState],
    remembered: Callable[[str], Identity | None],
    known_context: str,
    now: datetime,
    sink: Sink,
    progress: Progress | None = None,
) -> ScanResult:
    """Read the new and changed articles under the content folder; report on every file.

    states: what the catalog remembers of each file; remembered(path): its identity;
    known_context: the context the catalog was built with (when it differs, read all);
    sink: receives the removed paths, then each file read, in path order.
    """
    return _Scan(settings, states, remembered, now, sink, progress).run(known_context)


@dataclass
class _Scan:
    """One scan: what the catalog remembers, where the changes go, and what is found."""

    settings: Settings
    states: Mapping[str, FileState]
    remembered: Callable[[str], Identity | None]
    now: datetime
    sink: Sink
    progress: Progress | None
    result: ScanResult = field(init=False)

    def run(self, known_context: str) -> ScanResult:
        result = self.result = ScanResult(report=ScanReport(started=self.now))
        loaded = _rules_and_site(self.settings, result)
        if loaded is None:
            return result
        rules, site = loaded
        result.context = scan_context(self.settings, rules, site)
        result.labels = rule_labels(rules)
        if not self.states:  # a first scan reads every file it finds: readers start meanwhile
            start_forkserver(site)
        found = walk(self.settings.content_dir, result.report, site)
        result.report.files = len(found.files)
        changed, kept = _changed(found, self.states, result.context != known_context, self.now)
        result.removed = {path for path in self.states if path not in found.files and found.covers(path)}
        removed_ids = _identities(result.removed, self.remembered)
        for path, state in self.states.items():
            if path not in found.files and path not in result.removed:
                kept[path] = state  # not seen this time (folder unlisted, walk cut): it stays
        self.sink.remove(sorted(result.removed))
        recorder = Recorder(removed_ids, self.now)
        unique = Deduplicator(kept, {path: self.states[path] for path in changed if path in self.states})
        self.read(changed, found, rules, site, recorder, unique)
        for path in result.failed_paths:
            if path in self.states:  # failing now: its last good entry stays
                kept[path] = self.states[path]
        _count(result, kept)
        return result

    def read(
        self, changed: list[str], found: Walk, rules: list[TopicRule], site: Site, recorder: Recorder,
        unique: Deduplicator,
    ) -> None:
        """Read the changed files in path order (the first claimant of an id wins); write each
        to the sink, or report it."""
        report = self.result.report
        report.read = len(changed)
        # identities are looked up as files are sent to be read
        tasks = ((rel, None, self.identity(rel)) for rel in changed)
        reads = read_files(tasks, len(changed), self.settings, rules, site, self.now, dict(recorder.removed),
                           partial(derive, self.settings, self.now))
        for done, ((rel, _real, identity), read) in enumerate(reads, 1):
            try:
                record = unique.check(recorder.record(rel, found.files[rel], read, identity))
            except NotAnArticle as exc:  # an emptied file keeps its last good entry
                report.skipped_files.append(FileProblem(rel, str(exc)))
                self.result.failed_paths.add(rel)
            except Exception as exc:  # one bad file must never stop the scan
                report.errors.append(FileProblem(rel, problem_message(rel, exc)))
                self.result.failed_paths.add(rel)
            else:
                self.sink.add(record)
                self.result.read[rel] = state_after(record, self.states.get(rel))
            if self.progress is not None:
                self.progress(done, len(changed))

    def identity(self, rel: str) -> Identity | None:
        """The identity the catalog remembers for a file; a new file has none: no query for it."""
        return self.remembered(rel) if rel in self.states else None


def _rules_and_site(settings: Settings, result: ScanResult) -> tuple[list[TopicRule], Site] | None:
    """The topic rules and site configuration every entry derives from; None, with the scan
    marked fatal, when the folder or either of them is unusable (the last good catalog stays)."""
    report = result.report
    problem = content_problem(settings)
    if problem:  # reported as the site configuration is, for the folder itself ("."), named once
        result.fatal = problem
        report.errors.append(FileProblem(".", problem))
        return None
    try:
        rules = load_rules(settings.content_dir)
    except ReadError as exc:  # rules apply to every entry: keep the catalog built with the last good
        result.fatal = f"{RULES_FILE}: {exc}"
        report.errors.append(FileProblem(RULES_FILE, str(exc)))
        return None
    try:
        site = load_site(settings.content_dir)
    except (ReadError, OSError, UnicodeDecodeError) as exc:  # as for rules: keep the last good catalog
        result.fatal = f"site configuration: {exc}"
        report.errors.append(FileProblem(".", result.fatal))
        return None
    return rules, site


def _changed(
    found: Walk, states: Mapping[str, FileState], everything: bool, now: datetime,
) -> tuple[list[str], dict[str, FileState]]:
    """The files to read, in path order, and the states of the files found that stay as they are."""
    changed = []
    kept: dict[str, FileState] = {}
    now_ts = now.timestamp()
    for rel, stat in found.files.items():
        state = states.get(rel)
        if state is None or everything or (state.size, state.mtime_ns) != stat or 0 < state.due <= now_ts \
                or (state.media and _media_changed(state, found)):
            changed.append(rel)
        else:
            kept[rel] = state
    changed.sort()
    return changed, kept


def _identities(removed: set[str], remembered: Callable[[str], Identity | None]) -> dict[str, Identity]:
    """The identities of the removed files, by id: a new file with one of these ids was renamed."""
    removed_ids = {}
    for path in removed:
        identity = remembered(path)
        if identity is not None:
            removed_ids[identity.entry_id] = identity
    return removed_ids


def _media_changed(state: FileState, found: Walk) -> bool:
    """True when a media file the article was made from changed, appeared or went away."""
    return any(found.media.get(path, MISSING) != (size, mtime_ns) for path, size, mtime_ns in state.media)


def _count(result: ScanResult, kept: Mapping[str, FileState]) -> None:
    """Fill the report's counts for the whole catalog, read or not; sort its lists by path."""
    report = result.report
    for path, state in kept.items():
        if state.warnings:
            report.warnings.extend(FileProblem(path, warning) for warning in state.warnings)
    for path, state in result.read.items():
        report.warnings.extend(FileProblem(path, warning) for warning in state.warnings)
    published = sum(1 for state in kept.values() if state.published)
    published += sum(1 for state in result.read.values() if state.published)
    report.published = published
    report.drafts = len(kept) + len(result.read) - published
    report.removed = len(result.removed)
    for problems in (report.errors, report.warnings, report.skipped_files):
        problems.sort(key=lambda problem: problem.path)  # stable: a file's own order stays

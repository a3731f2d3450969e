"""Read files in child processes, each file within a time limit.

A file that takes too long to read (a pattern gone quadratic in some parser, a library
stuck in a loop) must not stop the scan, and a loop that holds the GIL can only be stopped
from outside: a scan runs in a thread of a serving process, where no signal reaches it. So
every file is read in a child process, which the kernel stops once reading one file has
taken the limit in processor time (ITIMER_PROF, whose signal ends the process: no Python
code has to run for it). Processor time, not time on the clock, so that a busy machine does
not turn a long article into an error; a child that waits instead (for a disk that does not
answer) is killed by the parent after WALL_FACTOR times the limit on the clock. Either way
the file is reported as an error and a new child reads the files after it.

Files go to a child in batches, and come back so: a message per file cost the scan process
more than reading them cost the children. When a child is stopped, which file of its batch
was being read is not known: each of them is sent again alone, so that the one over its
limit is the one reported (it is read twice, the others are read again).

Children are forked by multiprocessing's fork server, which has imported the readers once:
a new child starts in milliseconds, and none is a fork of a process holding SQLite
connections or other threads' locks. A scan starts its children when it first has a file to
read and stops them when it ends; a small scan uses one, a large one one per core.

What reading one file means is here too (read_file: decode, read, normalize, topics, when
it is shown), so that the whole of it runs in the child, within the limit, for every file a
scan or `feedsvc check` reads: a renamed file's second derivation included.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from .config import Settings
from .errors import ReaderDied, ReadersUnavailable, ReadError, TimeLimitExceeded, UnexpectedError
from .links import media_dependencies
from .logs import configure_logging
from .media import Dependency
from .model import DRAFT, SCHEDULED, Entry, Identity, RawArticle, fingerprint
from .normalize import normalize
from .publication import Publication, publication
from .readers import READING_MODULES, read_article, supported_reader
from .readers.site import Site, load_site
from .topics import TopicRule, assign_topics

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
# Files sent to a child and not answered yet: enough that it keeps reading while the scan
# writes a batch to the catalog (with 8, a first scan of 10,000 files took 4.4 s instead of
# 2.4 s; with 64, 2.5 s), few enough that the results of a busy scan wait in small numbers.
AHEAD = 64
# Files sent to a child in one message (and results sent back in one). A first scan of 10,000
# files took the scan process 2.5-3.2 s of processor time with 1, 2.0-2.2 s with 16.
BATCH = 16
WALL_FACTOR = 12  # a child waiting this many times the limit on the clock is stopped too
STARTUP_SECONDS = 60
# Files are read in one process per core when a scan reads this many: below it, starting
# the processes costs more than they save.
POOL_MIN_FILES = 1000
READY = "ready"
# Imported once by the fork server: everything a child reads with, and the main module (as
# multiprocessing does by default), which a child would otherwise import again when it starts.
PRELOAD = ["__main__", __name__, *READING_MODULES]
# and for a Jekyll site, its Liquid, which the readers import only when first needed: 0.07 s
# more before the first child starts, which a scan of another site would wait for in vain
JEKYLL_PRELOAD = ["feedsvc.readers.liquid"]


def _serve(connection: Connection, function: Callable[[Any], Any], limit: float) -> None:
    """A child: read each batch of tasks sent, answer with their results, until told to stop
    (None). The time limit is per task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    configure_logging()  # a new process starts without the parent's logging
    signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the timer's signal ends the process
    connection.send(READY)
    while (batch := connection.recv()) is not None:
        results = []
        for task in batch:
            signal.setitimer(signal.ITIMER_PROF, limit)
            results.append(function(task))
            signal.setitimer(signal.ITIMER_PROF, 0)
        connection.send(results)


@dataclass
class _Child(Generic[T]):
    process: Any
    connection: Connection
    sent: deque[list[tuple[int, T]]] = field(default_factory=deque)  # batches of (index, task), oldest first
    tasks: int = 0  # in the batches sent
    since: float = 0.0  # when the oldest batch sent began: sent, or the one before it answered

    def send(self, batch: list[tuple[int, T]]) -> None:
        if not self.sent:
            self.since = time.monotonic()
        self.sent.append(batch)
        self.tasks += len(batch)
        self.connection.send([task for _index, task in batch])

    def oldest(self) -> list[tuple[int, T]]:
        """The oldest batch, taken off those sent."""
        batch = self.sent.popleft()
        self.tasks -= len(batch)
        return batch

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def start_forkserver(site: Site | None = None) -> Any:
    """Start the fork server unless it runs, and return its context. Started early, it imports
    the readers while the caller does other work (a first scan walks the folder meanwhile): the
    first child otherwise waits for it, 0.3-0.4 s. Once started, it serves every later run of
    the process, with what it imported for the site of the first."""
    context = multiprocessing.get_context("forkserver")
    jekyll = site is not None and site.kind == "jekyll"
    context.set_forkserver_preload(PRELOAD + JEKYLL_PRELOAD if jekyll else PRELOAD)
    multiprocessing.forkserver.ensure_running()
    return context


def _start_child(function: Callable[[T], R], limit: float) -> _Child[T]:
    context = start_forkserver()
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, function, limit), daemon=True,
                              name="feedsvc-reader")
    try:
        process.start()
    except (EOFError, OSError) as exc:  # the fork server is gone (stopped with the service)
        ours.close()
        raise ReadersUnavailable(f"no process to read files could be started: {exc}") from None
    finally:
        theirs.close()
    # Starting (importing what the function needs) is not reading: limits count from here.
    try:
        if not ours.poll(STARTUP_SECONDS) or ours.recv() != READY:
            raise EOFError
    except (EOFError, OSError):
        process.kill()
        process.join()
        ours.close()
        raise ReadersUnavailable(f"a process to read files did not start within {STARTUP_SECONDS} s "
                                 f"(exit code {process.exitcode})") from None
    return _Child(process, ours)


class _Supervisor(Generic[T, R]):
    """The children of one run and the results they sent that are not taken yet."""

    def __init__(self, function: Callable[[T], R], processes: int, limit: float):
        self.function, self.processes, self.limit = function, processes, limit
        self.children: list[_Child[T]] = []
        self.results: dict[int, tuple[T, R | Exception]] = {}
        # tasks of a stopped child, sent again one at a time: a failure then names its task
        self.retry: deque[tuple[int, T]] = deque()

    def idle_child(self) -> _Child[T] | None:
        """The child with the fewest tasks sent, if one can take another (started if need be)."""
        if len(self.children) < self.processes and all(child.sent for child in self.children):
            self.children.append(_start_child(self.function, self.limit))
        child = min(self.children, key=lambda child: child.tasks)
        return child if child.tasks < AHEAD else None

    def take_answers(self) -> None:
        """Wait for an answer or the earliest limit; take every answer; stop overdue children."""
        busy = [child for child in self.children if child.sent]
        if not busy:
            return
        wall = self.limit * WALL_FACTOR
        deadline = min(child.since for child in busy) + wall
        ready = wait([child.connection for child in busy], max(0.0, deadline - time.monotonic()))
        now = time.monotonic()
        for child in busy:
            if child.connection in ready:
                self.answer(child, now)
            elif now >= child.since + wall and not child.connection.poll():
                self.end(child, TimeLimitExceeded(self.limit, WALL_FACTOR))

    def answer(self, child: _Child[T], now: float) -> None:
        try:
            result = child.connection.recv()
        except (EOFError, OSError):
            child.process.join()
            stopped = child.process.exitcode == -signal.SIGPROF
            self.end(child, TimeLimitExceeded(self.limit) if stopped else ReaderDied(child.process.exitcode))
            return
        for (index, task), one in zip(child.oldest(), result, strict=True):
            self.results[index] = (task, one)
        child.since = now  # the next task began when this one was answered, or later

    def end(self, child: _Child[T], failure: Exception) -> None:
        """A task of the oldest batch failed: if it is the only one, it has its failure, else
        every task of it is sent again alone; the child is stopped, its other tasks sent again."""
        child.stop()
        self.children.remove(child)
        batch = child.oldest()
        if len(batch) == 1:
            index, task = batch[0]
            self.results[index] = (task, failure)
            batch = []
        again = batch + [item for later in child.sent for item in later]
        self.retry.extendleft(reversed(again))

    def stop(self) -> None:
        for child in self.children:
            child.stop()
        self.children.clear()


def read_in_children(
    function: Callable[[T], R], tasks: Iterable[T], processes: int, limit: float, batch: int = BATCH,
) -> Iterator[tuple[T, R | Exception]]:
    """Each task with function's result, in order, computed in child processes; a task that
    takes limit seconds of processor time (or WALL_FACTOR times that on the clock) gets
    TimeLimitExceeded. function must be picklable
    (a module-level function, or a functools.partial of one). Tasks are taken from the
    iterable only as children have room for them, and at most a window of them ahead of
    the first result not yet taken (a slow file must not make the others' results pile up).
    batch: the most tasks sent to a child in one message."""
    supervisor: _Supervisor[T, R] = _Supervisor(function, max(1, processes), limit)
    window = max(1, processes) * AHEAD * 2
    remaining = iter(tasks)
    taken = sent = 0  # results taken by the caller; tasks sent
    upcoming = next(remaining, _END)  # looked at first: no child starts for no task
    try:
        while True:
            while supervisor.retry or (upcoming is not _END and sent < taken + window):
                child = supervisor.idle_child()
                if child is None:
                    break
                if supervisor.retry:
                    child.send([supervisor.retry.popleft()])
                    continue
                sending: list[tuple[int, T]] = []
                while upcoming is not _END and len(sending) < batch and sent < taken + window:
                    sending.append((sent, upcoming))
                    sent += 1
                    upcoming = next(remaining, _END)
                child.send(sending)
            while taken in supervisor.results:
                yield supervisor.results.pop(taken)
                taken += 1
            if upcoming is _END and taken == sent:
                return
            supervisor.take_answers()
    finally:
        supervisor.stop()


_END: Any = object()


@dataclass(frozen=True)
class FileResult:
    """One file read and normalized: its entry (with topics), whether and until when it is
    shown, warnings."""

    entry: Entry
    publication: Publication
    warnings: list[str]
    fingerprint: str
    media: tuple[Dependency, ...] = ()  # media files it links to, with their stats
    # Derived again with the identity of a removed file that had its id: a rename, which
    # keeps that file's history. Whether it is one, the scan decides (see scan_records.Recorder).
    renamed: FileResult | None = None


def read_file(
    rel: str, real: Path, settings: Settings, rules: list[TopicRule],
    remembered: Identity | None, now: datetime, removed: Mapping[str, Identity] | None = None,
    site: Site | None = None,
) -> FileResult:
    """Read, normalize and assign topics to one file; raises ReadError for a bad file.
    removed: identities of removed files by id, for a new file that may be one renamed;
    site: the site configuration to read it with (loaded here when not given)."""
    supported_reader(rel)
    with real.open("rb") as file:
        stat = os.fstat(file.fileno())
        size = stat.st_size
        if size > settings.max_file_size:
            raise ReadError(f"file is {size} bytes, over the limit of {settings.max_file_size}")
        # As much as fstat said and a byte more: asking for the limit's worth at once allocated
        # that much (5 MB) for each file, which took three times as long as reading it.
        data = file.read(size + 1)
        if len(data) > size:  # it grew meanwhile: on to the limit and a byte, no more
            data += file.read(settings.max_file_size - size)
    site = load_site(settings.content_dir) if site is None else site
    article = read_article(rel, data, site, stat.st_mtime)
    result = _derive(article, data, settings, rules, not site.kind, remembered, now)
    former = removed.get(result.entry.id) if removed and remembered is None else None
    if former is None:
        return result
    return replace(result, renamed=_derive(article, data, settings, rules, not site.kind, former, now))


def _derive(
    article: RawArticle, data: bytes, settings: Settings, rules: list[TopicRule], folder_topic: bool,
    remembered: Identity | None, now: datetime,
) -> FileResult:
    """The result of an article read, derived with the identity the catalog remembers."""
    topics = partial(assign_topics, article.path, article.metadata, rules, folder_topic)
    entry, warnings = normalize(article, data, settings, remembered, now, topics)
    media = media_dependencies(entry, settings.content_dir, settings.base_url)
    shown = publication(article.metadata, entry, settings, now)
    if shown.state in {DRAFT, SCHEDULED}:  # marked on the pages of a preview
        entry = replace(entry, status=shown.state)
    return FileResult(entry, shown, warnings, fingerprint(entry), media)


# A file to read: its path as reported (relative to the content folder), its real path (None:
# that path in the content folder, made by the reading process: a scan's ten thousand paths
# cost the scanning process more to make and send than the relative ones), and the identity
# the catalog remembers for it.
Task = tuple[str, Path | None, Identity | None]


def _attempt(
    settings: Settings, rules: list[TopicRule], now: datetime, removed: Mapping[str, Identity],
    site: Site | None, convert: Callable[[FileResult], Any] | None, task: Task,
) -> Any:
    """read_file, converted, with its failure returned (so it can come back from another process)."""
    rel, real, remembered = task
    try:
        real = settings.content_dir / rel if real is None else real
        result = read_file(rel, real, settings, rules, remembered, now, removed, site)
        return result if convert is None else convert(result)
    except (ReadError, OSError) as exc:
        return exc
    except Exception as exc:  # logged here, in the process that met it
        return UnexpectedError(problem_message(rel, exc))


def read_files(
    tasks: Iterable[Task], count: int, settings: Settings, rules: list[TopicRule], site: Site | None,
    now: datetime, removed: Mapping[str, Identity] | None = None,
    convert: Callable[[FileResult], Any] | None = None,
) -> Iterator[tuple[Task, Any]]:
    """Read and normalize count files, in order, each within the time limit per file, in
    child processes: one for a few files, one per core for many; each gives a FileResult, or
    what convert (a picklable function) makes of it there, or the exception that stopped it.
    The site configuration is loaded once by the caller (None: each file loads it, and reports
    what is wrong with it)."""
    processes = 1 if count < POOL_MIN_FILES else min(os.cpu_count() or 1, 4)
    read = partial(_attempt, settings, rules, now, removed or {}, site, convert)
    batch = max(1, min(BATCH, count // (2 * processes)))  # a few files: each process gets some
    if count:
        start_forkserver(site)
    yield from read_in_children(read, tasks, processes, settings.read_timeout, batch)


def problem_message(rel: str, exc: Exception) -> str:
    """What is wrong with a file that could not be read, as scans and `feedsvc check` report it."""
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    logger.error("could not process %s", rel, exc_info=exc)
    return f"internal error: {type(exc).__name__}: {exc}"

"""The delivery queue of the scanning process: POSTs to callbacks and to an external hub.

One job per key (a subscription, or a feed to publish): a newer job replaces a waiting one,
since only the newest feed matters, so the queue holds at most one job per subscription and
feed. A few threads send; a request that fails is tried again after retry_seconds, then twice
as long each time, until websub_attempts tries, then given up and counted as a failure. A job
asks before each try whether it is still wanted (a subscription unsubscribed or expired
meanwhile receives nothing more).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .config import Settings
from .hub_http import HubRequestError, send

logger = logging.getLogger(__name__)

# The names a job's outcome is counted under: success, given up.
DELIVERY = ("deliveries", "delivery_failures")
PUBLICATION = ("publications", "publication_failures")
SENDERS = 4  # requests in flight at once
MAX_JOBS = 100_000  # waiting jobs; past it new ones are dropped (and counted as failures)


@dataclass(eq=False)
class Job:
    """One POST to make until it succeeds or is given up."""

    key: tuple[str, str]
    url: str
    body: bytes
    headers: Mapping[str, str]
    counted_as: tuple[str, str]  # DELIVERY or PUBLICATION
    # Before each try: the headers to add (a signature with the current secret), or None when
    # the job is no longer wanted.
    prepare: Callable[[bytes], Mapping[str, str] | None]
    check_address: bool = True  # False for the hub the operator configured
    gone: Callable[[], None] | None = None  # called on 410 Gone (the subscriber ended it)
    attempt: int = 0
    due: float = field(default_factory=time.monotonic)


class Deliverer:
    """Send jobs in SENDERS threads, retry failures with doubling waits, count outcomes."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.counts: Counter[str] = Counter()  # taken by take_counts()
        self._changed = threading.Condition()
        self._waiting: dict[tuple[str, str], Job] = {}  # by key; the heap orders them by due
        self._heap: list[tuple[float, int, Job]] = []
        self._order = itertools.count()
        self._busy: set[tuple[str, str]] = set()
        for number in range(SENDERS):
            threading.Thread(target=self._send_forever, name=f"websub-send-{number}",
                             daemon=True).start()

    def submit(self, job: Job) -> None:
        """Queue a job, replacing the waiting job of its key (a retry included)."""
        with self._changed:
            if job.key not in self._waiting and len(self._waiting) >= MAX_JOBS:
                logger.warning("WebSub queue full (%d jobs): dropped the POST to %s", MAX_JOBS, job.url)
                self.counts[job.counted_as[1]] += 1
                return
            self._queue(job)

    def _queue(self, job: Job) -> None:
        self._waiting[job.key] = job
        heapq.heappush(self._heap, (job.due, next(self._order), job))
        if len(self._heap) > 2 * len(self._waiting) + 64:  # replaced jobs' entries: drop them
            self._heap = [entry for entry in self._heap if self._waiting.get(entry[2].key) is entry[2]]
            heapq.heapify(self._heap)
        self._changed.notify()

    def take_counts(self) -> dict[str, int]:
        with self._changed:
            counts, self.counts = dict(self.counts), Counter()
        return counts

    def _next_job(self) -> Job:
        """Wait for the first due job whose key has no request in flight, and take it."""
        with self._changed:
            while True:
                now = time.monotonic()
                job, next_due = self._take_due(now)
                if job is not None:
                    return job
                # A key in flight wakes the senders when its request ends (notify_all).
                self._changed.wait(None if next_due is None else next_due - now)

    def _take_due(self, now: float) -> tuple[Job | None, float | None]:
        """The first due job whose key is not in flight, else when the next one is due."""
        parked = []  # jobs of keys in flight, back in the heap once it is searched
        job, next_due = None, None
        while self._heap:
            due, _order, candidate = self._heap[0]
            if self._waiting.get(candidate.key) is not candidate:
                heapq.heappop(self._heap)  # replaced by a newer job
            elif candidate.key in self._busy:
                parked.append(heapq.heappop(self._heap))
            elif due <= now:
                job = heapq.heappop(self._heap)[2]
                del self._waiting[job.key]
                self._busy.add(job.key)
                break
            else:
                next_due = due
                break
        for entry in parked:
            heapq.heappush(self._heap, entry)
        return job, next_due

    def _send_forever(self) -> None:
        while True:
            job = self._next_job()
            try:
                retry = self._try(job)
            except Exception:  # a bug must not take the sender thread with it
                logger.exception("WebSub request to %s failed", job.url)
                retry = False
            with self._changed:
                self._busy.discard(job.key)
                if retry and job.key not in self._waiting:  # a newer job supersedes the retry
                    job.attempt += 1
                    job.due = time.monotonic() + self.settings.websub_retry_seconds * 2 ** (job.attempt - 1)
                    self._queue(job)
                self._changed.notify_all()

    def _try(self, job: Job) -> bool:
        """One try; True when it should be tried again."""
        extra = job.prepare(job.body)
        if extra is None:
            return False
        settings = self.settings
        try:
            answer = send("POST", job.url, body=job.body, headers={**job.headers, **extra},
                          timeout=settings.websub_timeout, allow_private=settings.websub_allow_private,
                          check_address=job.check_address)
            problem = "" if 200 <= answer.status < 300 else f"answered {answer.status}"
        except (HubRequestError, OSError) as error:
            answer, problem = None, str(error) or type(error).__name__
        if not problem:
            self._count(job.counted_as[0])
            return False
        if answer is not None and answer.status == 410 and job.gone is not None:
            job.gone()  # Spec: WebSub §7, a callback answering 410 ended its subscription
            return False
        if job.attempt + 1 < settings.websub_attempts:
            logger.info("WebSub POST to %s %s (try %d); trying again", job.url, problem, job.attempt + 1)
            return True
        logger.warning("WebSub POST to %s %s; given up after %d tries", job.url, problem, job.attempt + 1)
        self._count(job.counted_as[1])
        return False

    def _count(self, name: str) -> None:
        with self._changed:
            self.counts[name] += 1

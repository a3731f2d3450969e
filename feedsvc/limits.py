"""Bounds on what clients can make a serving process do: renders, and admin token guesses.

Knows nothing of Flask: the web package asks these objects before the costly or sensitive work and
turns a refusal into its HTTP answer (503 or 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import select
import socket
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
RENDER_NICENESS = 10


class Refused(Exception):
    """The work was not done; the client may try again after retry_after seconds."""

    def __init__(self, reason: str, retry_after: int):
        super().__init__(reason)
        self.retry_after = retry_after


def client_gone(environ: dict[str, Any]) -> bool:
    """True when the client closed its side of the connection: nobody would read the answer.

    gunicorn hands the application its socket. A peek that returns no bytes means the
    client sent FIN (as clients that send a request and close at once do); bytes (a
    pipelined request) or nothing yet mean it is still there. Like nginx, a half-close
    counts as gone. Never blocks.
    """
    sock = environ.get("gunicorn.socket")
    if not isinstance(sock, socket.socket):
        return False  # not under gunicorn (a test client): nothing to look at
    # Polled first: a socket with a timeout waits for data inside recv, whatever its flags.
    readable = select.poll()
    readable.register(sock, select.POLLIN)
    try:
        if not readable.poll(0):
            return False  # connected, nothing sent since the request
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True  # reset, or closed already


class RenderQueue:
    """Renders of documents this process has not rendered before: one at a time, on a thread
    of its own, at a lower CPU priority than the threads that answer polls.

    A flood of queries never asked before (each a cache miss costing a full render) would
    otherwise take every thread and core, and the polls of cached feeds would wait behind
    it. Up to `queue` more documents wait for their turn; requests for others are refused
    at once, so they hold no thread. Requests for a document already rendering or waiting
    wait for that render: many readers asking for one new URL cost one render and are all
    answered. One thread also keeps the memory such renders churn through in one malloc
    arena. Documents rendered before (the feeds readers poll, rendered again after a
    catalog change) are not queued here.
    """

    def __init__(self, queue: int):
        self._admitted = threading.Semaphore(1 + queue)  # documents rendering or waiting
        self._thread = ThreadPoolExecutor(1, "new-renders", initializer=_lower_priority)
        self._flights: dict[str, Future[Any]] = {}  # by key: renders admitted, not finished
        self._lock = threading.Lock()

    def run(self, key: str, render: Callable[[], T]) -> T:
        """render's result, or that of the render of the same key under way."""
        with self._lock:
            flight = self._flights.get(key)
            owner = flight is None
            if flight is None:
                if not self._admitted.acquire(blocking=False):
                    raise Refused("too many new queries at once", retry_after=1)
                flight = self._flights[key] = self._thread.submit(render)
        if owner:  # outside the lock: a finished render calls back at once, in this thread
            flight.add_done_callback(lambda _done: self._land(key))
        return flight.result()  # type: ignore[no-any-return]

    def _land(self, key: str) -> None:
        with self._lock:
            del self._flights[key]
        self._admitted.release()


def _lower_priority() -> None:
    """Yield the CPU to the serving threads when cores are short (Linux sets it per thread)."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), RENDER_NICENESS)


class TokenGuard:
    """Constant-time token checks, with a growing wait for addresses that keep failing.

    An address may fail `free` times; each failure after that makes it wait twice as long
    as the one before (1 s, 2 s, 4 s … up to `longest`), during which every attempt from it
    is refused unchecked. A success forgets its failures. At most `addresses` are
    remembered (the longest unseen first out), so memory stays bounded whatever the
    number of addresses; per process, like every bound here.
    """

    def __init__(self, token: str, free: int = 3, longest: int = 60, addresses: int = 4096,
                 clock: Callable[[], float] = time.monotonic):
        self._digest = hashlib.sha256(token.encode()).digest()
        self.free, self.longest, self.addresses, self.clock = free, longest, addresses, clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # count, locked until
        self._lock = threading.Lock()

    def check(self, address: str, given: str) -> bool:
        """True for the right token; raises Refused while the address must wait."""
        now = self.clock()
        with self._lock:
            count, until = self._failures.get(address, (0, 0.0))
            if now < until:
                raise Refused("too many wrong tokens", retry_after=math.ceil(until - now))
        # Digests of equal length: the comparison time says nothing of the token or its length.
        if hmac.compare_digest(hashlib.sha256(given.encode()).digest(), self._digest):
            with self._lock:
                self._failures.pop(address, None)
            return True
        with self._lock:
            count += 1
            wait = min(2 ** (count - self.free - 1), self.longest) if count > self.free else 0
            self._failures[address] = (count, now + wait)
            self._failures.move_to_end(address)
            while len(self._failures) > self.addresses:
                self._failures.popitem(last=False)
        return False

"""The gunicorn worker of `feedsvc serve`: gthread, with deadlines for slow clients.

A gthread worker gives each connection a thread from a small pool while it reads the request
and writes the answer. Without deadlines a few clients that send their request a byte at a
time (or never read the answer) hold every thread of every worker, and nobody else is served.
Here a request's head must arrive within client_timeout seconds (FEEDSVC_CLIENT_TIMEOUT) of
the connection being queued for a thread (accepted, or readable again), and each write of the
answer must finish within three times that; a connection past either is closed. Counting from
the queueing means slow clients that waited in the queue are dropped soon after a thread takes
them (GRACE_SECONDS), while a request that is already complete is read at once and served.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

CHECK_SECONDS = 0.2  # how often late connections are looked for
GRACE_SECONDS = 1.0  # at least this long to read a head once a thread has the connection
# How long a thread keeps the GIL while another waits for it (Python's default is 5 ms): a
# poll waits for it several times while a render runs on another thread of the worker.
SWITCH_SECONDS = 0.001
SEND_FACTOR = 3  # each write of an answer (a whole feed is one) may take this many timeouts


class DeadlineThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, closing connections whose request head or answer is too slow."""

    def init_process(self) -> None:
        sys.setswitchinterval(SWITCH_SECONDS)
        self.head_seconds = self.app.settings.client_timeout  # server.FeedServer's
        self.head_deadlines: dict[Any, float] = {}  # connection -> when its head is late
        self.deadlines_lock = threading.Lock()
        threading.Thread(target=self._close_late_connections, name="head-deadlines",
                         daemon=True).start()
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        conn.head_deadline = time.monotonic() + self.head_seconds
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        # A request that waited in the queue longer than the timeout may be complete already:
        # it gets a moment (read at once), a slow one loses its thread soon after.
        deadline = max(conn.head_deadline, time.monotonic() + min(GRACE_SECONDS, self.head_seconds))
        with self.deadlines_lock:
            self.head_deadlines[conn] = deadline
        try:
            return super().handle(conn)
        finally:
            self._head_arrived(conn)

    def handle_request(self, req: Any, conn: Any) -> bool:
        self._head_arrived(conn)
        conn.sock.settimeout(self.head_seconds * SEND_FACTOR)  # sendall: the total of one write
        try:
            return bool(super().handle_request(req, conn))
        except TimeoutError:
            self.log.info("Closed a connection whose client read the answer too slowly")
            return False

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        # gunicorn answers requests it cannot parse itself (400, 414, 431): with our headers too
        super().handle_error(req, HeadersAdded(client), addr, exc)

    def _head_arrived(self, conn: Any) -> None:
        with self.deadlines_lock:
            self.head_deadlines.pop(conn, None)

    def _close_late_connections(self) -> None:
        """Shut late connections down: the blocked read returns and the thread is free."""
        while True:
            time.sleep(CHECK_SECONDS)
            now = time.monotonic()
            with self.deadlines_lock:
                late = [conn for conn, deadline in self.head_deadlines.items() if deadline < now]
                for conn in late:
                    del self.head_deadlines[conn]
            for conn in late:
                self.log.info("Closed a connection whose request head took over %ss", self.head_seconds)
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed by the client
                    pass


class HeadersAdded:
    """A client socket as gunicorn's own error answers see it: the headers every answer of
    feedsvc carries are added after the status line of the one answer written to it."""

    def __init__(self, sock: socket.socket):
        self._sock = sock

    def sendall(self, data: bytes) -> None:
        from .web.cache import EVERY_RESPONSE  # loaded in the worker already, kept out of the master

        status_line, separator, rest = data.partition(b"\r\n")
        headers = b"".join(f"{name}: {value}\r\n".encode() for name, value in EVERY_RESPONSE)
        self._sock.sendall(status_line + separator + headers + rest if separator else data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

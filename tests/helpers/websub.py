"""The other side of WebSub for tests, written from the W3C Recommendation: a subscriber with
its callback server, and a stand-in external hub that records publish requests."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from helpers.server import fetch

LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def links(header: str) -> dict[str, str]:
    """rel -> URL of an HTTP Link header (RFC 8288), as far as the tests need it."""
    return {rel: url for url, rel in LINK.findall(header)}


def post_form(url: str, fields: dict[str, str]) -> tuple[int, str]:
    """POST an application/x-www-form-urlencoded body; the status and the body of the answer."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@dataclass(frozen=True)
class Received:
    """A request the server received."""

    method: str
    query: dict[str, str]
    headers: dict[str, str]  # names lowercased
    body: bytes
    at: float  # time.monotonic()


class Recorder:
    """An HTTP server on 127.0.0.1 that records every request and answers with answer()."""

    def __init__(self, answer: Callable[[Received], tuple[int, bytes]]):
        self.received: list[Received] = []
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                parts = urllib.parse.urlsplit(self.path)
                request = Received(self.command, dict(urllib.parse.parse_qsl(parts.query)),
                                   {name.lower(): value for name, value in self.headers.items()},
                                   self.rfile.read(length), time.monotonic())
                with recorder.lock:
                    recorder.received.append(request)
                status, body = answer(request)
                self.send_response(status)
                # Spec: WebSub §5.3.1 and §8.2, a safe media type for the challenge echo
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def requests(self, method: str) -> list[Received]:
        with self.lock:
            return [request for request in self.received if request.method == method]

    def wait_for(self, method: str, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests(method)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests(method)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Subscriber(Recorder):
    """A subscriber (WebSub §5.1, §5.3.1, §7.1): it echoes the challenge of the intents it
    holds, answers deliveries with delivery_status (after delivery_delay seconds), and checks
    their signatures."""

    def __init__(self, delivery_status: int = 200, echo: bool = True, delivery_delay: float = 0):
        super().__init__(self._answer)
        self.callback = f"{self.url}/callback/{secrets.token_urlsafe(12)}?sub=1"
        self.secret = secrets.token_urlsafe(24)
        self.intents: set[tuple[str, str]] = set()
        self.delivery_status = delivery_status
        self.echo = echo
        self.delivery_delay = delivery_delay

    def _answer(self, request: Received) -> tuple[int, bytes]:
        if request.method == "POST":
            time.sleep(self.delivery_delay)
            return self.delivery_status, b""
        intent = (request.query.get("hub.mode", ""), request.query.get("hub.topic", ""))
        if intent[0] == "denied":
            return 200, b""
        if intent in self.intents and self.echo:
            return 200, request.query["hub.challenge"].encode()
        if intent in self.intents:  # a callback that answers but never echoes
            return 200, b"ok"
        return 404, b""

    @staticmethod
    def discover(feed_url: str) -> tuple[str, str]:
        """Spec: §4, the hub and self URLs from the Link headers of the topic."""
        status, _body, headers = fetch(feed_url)
        assert status == 200, status
        found = links(headers.get("Link", ""))
        return found["hub"], found["self"]

    def request(self, mode: str, hub: str, topic: str, **extra: str) -> tuple[int, str]:
        """Spec: §5.1, a (un)subscription request with this subscriber's callback and secret."""
        self.intents.add((mode, topic))
        fields = {"hub.mode": mode, "hub.topic": topic, "hub.callback": self.callback}
        if mode == "subscribe":
            fields["hub.secret"] = self.secret
        return post_form(hub, {**fields, **extra})

    def verifications(self, mode: str) -> list[dict[str, str]]:
        return [request.query for request in self.requests("GET") if request.query.get("hub.mode") == mode]

    def wait_verification(self, mode: str, timeout: float = 10) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while not self.verifications(mode) and time.monotonic() < deadline:
            time.sleep(0.05)
        found = self.verifications(mode)
        assert found, f"no {mode} request reached the callback"
        return found[-1]

    def signed(self, delivery: Received) -> bool:
        """Spec: §7.1.2, the X-Hub-Signature of a delivery recomputed with the secret."""
        method, _, given = delivery.headers.get("x-hub-signature", "").partition("=")
        if method not in {"sha1", "sha256", "sha384", "sha512"}:
            return False
        expected = hmac.new(self.secret.encode(), delivery.body, getattr(hashlib, method)).hexdigest()
        return hmac.compare_digest(given, expected)

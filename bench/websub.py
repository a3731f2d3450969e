"""WebSub delivery latency: how soon a subscriber of the built-in hub hears of a new article.

Starts `feedsvc serve` (built-in hub, FEEDSVC_WATCH=1) on generated articles, subscribes a
callback server on 127.0.0.1 to the site's Atom feed and to each topic's, then adds articles
one at a time. For each it measures, from the moment the file is written:
- the baseline: when the served feed first carries the article (polled every 20 ms, the
  best a polling reader could do);
- when the signed delivery of that feed reaches the subscriber.
The ratio is the median delivery time over the median baseline (the hub's cost on top of
the scan that publishes the article); target at most 1.5, and every delivery within 2 s.

    .venv/bin/python bench/websub.py [--articles 2000] [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rescan import FOLDERS, generate  # noqa: E402

POLL_SECONDS = 0.02


class Callback(BaseHTTPRequestHandler):
    """Echo challenges; note when each delivery arrives and whether it holds the marker."""

    deliveries: list[tuple[float, bytes]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        self._answer(query.get("hub.challenge", "").encode())

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Callback.deliveries.append((time.monotonic(), body))
        self._answer(b"")

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FEEDSVC_CONTENT_DIR": str(root / "content"),
           "FEEDSVC_DATABASE": str(root / "feedsvc.db"), "FEEDSVC_WEBSUB_HUB": "builtin",
           "FEEDSVC_WEBSUB_ALLOW_PRIVATE": "1", "FEEDSVC_WATCH": "1", "FEEDSVC_SCAN_INTERVAL": "60"}
    server = subprocess.Popen([sys.executable, "-m", "feedsvc", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    for _ in range(600):
        try:
            get(f"http://127.0.0.1:{port}/readyz")
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not become ready")


def subscribe(base: str, callback: str, topics: list[str]) -> None:
    for topic in topics:
        form = urllib.parse.urlencode({"hub.mode": "subscribe", "hub.topic": topic,
                                       "hub.callback": f"{callback}/{secrets.token_hex(4)}",
                                       "hub.secret": secrets.token_hex(16)}).encode()
        urllib.request.urlopen(urllib.request.Request(base + "/websub", data=form), timeout=10).close()
    deadline = time.monotonic() + 30
    while b'"subscriptions":%d' % len(topics) not in get(base + "/status").replace(b" ", b""):
        if time.monotonic() > deadline:
            raise SystemExit("the subscriptions were not verified")
        time.sleep(0.1)


def one_round(root: Path, base: str, number: int) -> tuple[float, float]:
    """Add one article; seconds until the feed shows it, and until its delivery arrives."""
    marker = f"Bench marker {number} {secrets.token_hex(4)}"
    seen_before = len(Callback.deliveries)
    path = root / "content" / FOLDERS[0] / f"bench-{number}.txt"
    written = time.monotonic()
    path.write_text(f"date 2030-01-01 {marker}\n\nNews.\n", encoding="utf-8")
    visible = delivered = 0.0
    while not (visible and delivered) and time.monotonic() - written < 30:
        if not visible and marker.encode() in get(base + "/feeds/atom.xml"):
            visible = time.monotonic() - written
        arrived = [at for at, body in Callback.deliveries[seen_before:] if marker.encode() in body]
        if arrived and not delivered:
            delivered = arrived[0] - written
        time.sleep(POLL_SECONDS)
    time.sleep(0.5)  # let the other topics' deliveries of this round arrive
    return visible or float("inf"), delivered or float("inf")  # inf: not within 30 s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    callbacks = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=callbacks.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="feedsvc-websub-bench-") as folder:
        root = Path(folder)
        generate(root / "content", args.articles)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = start_server(root, port)
        try:
            topics = [f"{base}/feeds/atom.xml"] + [f"{base}/topics/{name}/atom.xml" for name in FOLDERS]
            subscribe(base, f"http://127.0.0.1:{callbacks.server_address[1]}/cb", topics)
            rounds = [one_round(root, base, number) for number in range(args.rounds)]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    visible = statistics.median(seen for seen, _ in rounds)
    delivered = statistics.median(arrived for _, arrived in rounds)
    print(f"{args.articles} articles, {len(topics)} subscriptions, {args.rounds} new articles")
    print(f"feed shows the article: median {visible:.3f} s; delivery: median {delivered:.3f} s, "
          f"slowest {max(arrived for _, arrived in rounds):.3f} s")
    print(f"RESULT websub_delivery ratio={delivered / visible:.2f} target=<=1.5")


if __name__ == "__main__":
    main()

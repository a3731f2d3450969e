"""Cache-miss flood: do cached polls keep their latency while others send unique queries?

Starts `feedsvc serve` on generated articles, then measures the median latency of a poller
fetching a cached feed (a conditional GET answered 304, on a new connection each time, as
feed readers poll): first quiet, then while a separate process floods the server. The
flood is what an attacker needs no credentials for: eight clients sending feed queries
that were never asked before (`?limit=500&since=2015-01-01T00:00:01Z`, the seconds
changing each time, so every one is a cache miss costing a full render), and 30 requests
a second of the same kind from clients that close the connection right after sending.
Prints both medians, the flood's answers by status, the workers' resident memory (before,
at its peak, and after the flood), the server's counts of refused and skipped renders,
and the ratio of the cached poll's median under flood to its median when quiet.

    .venv/bin/python bench/flood.py [--articles 2000] [--workers 2] [--threads 4]
                                    [--clients 8] [--close-rate 30] [--quiet 10] [--flood 15]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from serve import fetch
from soak import Server, children, memory_kb
from vs_pelican import generate

POLLED = "/feeds/atom.xml"
POLL_INTERVAL = 0.05
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
TARGET = 2  # the cached poll's median under flood, at most twice its quiet median


def unique_query(number: int) -> str:
    """A feed URL no one asked before: 500 entries since a second that differs each time."""
    since = (EPOCH + timedelta(seconds=number)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"/feeds/atom.xml?limit=500&since={since}"


def flooder(port: int, first: int, stride: int, stop: threading.Event, statuses: Counter[str]) -> None:
    """Send unique queries one after the other, reading each answer in full. The numbers
    (seconds after 2015-01-01) stay small: every query asks for all 500 entries."""
    number = first
    while not stop.is_set():
        try:
            status = fetch(port, unique_query(number))[0]
            statuses[str(status)] += 1
        except OSError as exc:
            statuses[type(exc).__name__] += 1
        number += stride


def send_and_close(port: int, rate: float, stop: threading.Event, statuses: Counter[str]) -> None:
    """Connect, send a unique query and close at once, rate times a second."""
    number = 1_000_000  # above any flooder's
    while not stop.wait(1 / rate):
        request = f"GET {unique_query(number)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        number += 1
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(request)
            statuses["sent and closed"] += 1
        except OSError as exc:
            statuses[type(exc).__name__] += 1


def flood(port: int, clients: int, rate: float, seconds: float, results: multiprocessing.Queue) -> None:
    """The flood, in a process of its own so its threads do not slow the poller's."""
    stop = threading.Event()
    statuses: Counter[str] = Counter()
    threads = [threading.Thread(target=flooder, args=(port, first, clients, stop, statuses))
               for first in range(1, clients + 1)]
    threads.append(threading.Thread(target=send_and_close, args=(port, rate, stop, statuses)))
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    results.put(dict(statuses))


def poll(port: int, etag: str, seconds: float) -> list[float]:
    """Latencies of conditional GETs of the cached feed, each on a new connection."""
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status = fetch(port, POLLED, **{"If-None-Match": etag})[0]
        except TimeoutError:  # no answer within fetch's 30 s: counted as that long
            status = 304
        latencies.append(time.perf_counter() - started)
        if status != 304:
            raise SystemExit(f"cached poll answered {status}, not 304")
        time.sleep(POLL_INTERVAL)
    return latencies


def rss_mb(server: Server) -> dict[int, float]:
    """Each worker's resident memory now, in MB."""
    return {pid: memory_kb(pid, "VmRSS") / 1024 for pid in children(server.process.pid)}


def sample_peaks(server: Server, stop: threading.Event, peaks: dict[int, float]) -> None:
    """The largest resident memory of each worker while the flood runs."""
    while not stop.wait(0.25):
        for pid, mb in rss_mb(server).items():
            peaks[pid] = max(peaks.get(pid, 0), mb)


def refusals(port: int) -> str:
    """The server's own counts of renders refused or skipped (absent before they existed)."""
    body = fetch(port, "/metrics")[1].decode()
    found = re.findall(r"^(feedsvc_render\w*_total)(\{[^}]*\})? ([0-9.e+]+)$", body, re.MULTILINE)
    return ", ".join(f"{name}{labels} {float(value):.0f}" for name, labels, value in found) or "none"


def show_mb(values: dict[int, float]) -> str:
    return ", ".join(f"{value:.1f}" for value in sorted(values.values(), reverse=True)) + " MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--close-rate", type=float, default=30, help="send-and-close requests a second")
    parser.add_argument("--quiet", type=float, default=10, help="seconds of polling alone")
    parser.add_argument("--flood", type=float, default=15, help="seconds of polling under flood")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feedsvc-flood-") as folder:
        work = Path(folder)
        generate(work / "content", args.articles)
        server = Server(work / "content", work, args.workers, args.threads, scan_interval=3600)
        try:
            server.wait_ready(timeout=600)
            measure(server, args)
        finally:
            server.stop()


def measure(server: Server, args: argparse.Namespace) -> None:
    status, _body, headers = fetch(server.port, POLLED)
    assert status == 200, status
    etag = headers["ETag"]
    for _ in range(4 * args.workers):  # every worker has the polled feed cached
        fetch(server.port, POLLED)
    quiet = poll(server.port, etag, args.quiet)
    rss_quiet = rss_mb(server)
    results: multiprocessing.Queue = multiprocessing.Queue()
    flooding = multiprocessing.get_context("fork").Process(
        target=flood, args=(server.port, args.clients, args.close_rate, args.flood, results))
    rss_peak: dict[int, float] = {}
    sampled = threading.Event()
    sampler = threading.Thread(target=sample_peaks, args=(server, sampled, rss_peak), daemon=True)
    flooding.start()
    sampler.start()
    flooded = poll(server.port, etag, args.flood)
    answers = results.get()
    flooding.join()
    sampled.set()
    sampler.join()
    time.sleep(5)
    rss_after = rss_mb(server)

    quiet_ms, flooded_ms = statistics.median(quiet) * 1000, statistics.median(flooded) * 1000
    p90 = statistics.quantiles(flooded, n=10, method="inclusive")[-1]
    print(f"flood: {args.workers} workers x {args.threads} threads, {args.articles} articles; "
          f"{args.clients} clients of unique queries and {args.close_rate:g} send-and-close "
          f"requests a second for {args.flood:g} s")
    print("flood answers: " + ", ".join(f"{kind}={n}" for kind, n in sorted(answers.items())))
    print(f"cached poll (304): quiet median {quiet_ms:.1f} ms ({len(quiet)} polls), "
          f"under flood median {flooded_ms:.1f} ms, p90 {p90 * 1000:.1f} ms, "
          f"max {max(flooded) * 1000:.1f} ms ({len(flooded)} polls)")
    print(f"worker RSS: quiet {show_mb(rss_quiet)}; peak {show_mb(rss_peak)}; "
          f"5 s after the flood {show_mb(rss_after)}")
    print(f"renders refused or skipped: {refusals(server.port)}")
    print(f"RESULT flood ratio={flooded_ms / quiet_ms:.2f} target=<={TARGET}")


if __name__ == "__main__":
    main()

"""Soak: a real multi-worker gunicorn under concurrent clients while the articles keep changing.

Starts `feedsvc serve` (several workers, scans every second) on a generated folder, then for
a bounded time runs client threads that mix plain 200s, conditional GETs that should be
304s, filtered and paged feeds, gzip and HTML pages, while an editor thread keeps editing,
adding and deleting articles. Every answer is checked: status, and a 200's body must parse
(strict XML, or JSON). At the end the editor stops and the served catalog must match the
folder. Prints requests, errors (must be 0), p50/p99 latency, the workers' peak resident
memory and that of their child processes (the fork server of the scan's reading processes,
those processes, and multiprocessing's resource tracker), and exits with status 1 on any error.

    .venv/bin/python bench/soak.py [--seconds 60] [--workers 3] [--clients 8] [--articles 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree
from serve import fetch, free_port
from vs_pelican import CATEGORIES, article_fields, article_text, generate, tag_pool

STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
TOPICS = [category.lower() for category in CATEGORIES]
WORDS = ("harbour", "budget", "comet", "election", "festival", "railway", "solar", "museum")
FEEDS = ("atom.xml", "rss.xml", "feed.json")
TITLE = re.compile(r"^Title: (.+)$", re.MULTILINE)
TARGET_MB = 150  # DESIGN §9: resident memory of a serving process with 10,000 articles
CHILD_KINDS = {"resource_tracker": "resource tracker", "forkserver": "fork server"}


def memory_kb(pid: int, field: str) -> int:
    """A VmRSS or VmHWM figure of a process, in kB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def children(pid: int) -> list[int]:
    """Child processes of every thread of pid (a pool started by a scan thread is that thread's)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def child_kind(command: str) -> str:
    return next((kind for marker, kind in CHILD_KINDS.items() if marker in command), "other child")


def descendants(pid: int) -> Iterator[tuple[int, str, str]]:
    """The children of pid, each with its command line and kind, and the fork server's own
    children: the processes that read files (forks of it, so with its command line)."""
    own = command_line(pid)
    for child in children(pid):
        command = command_line(child)
        if command == own:  # forked and, most likely, a moment from starting its own program
            time.sleep(0.1)
            command = command_line(child)
        if not command:  # gone meanwhile
            continue
        kind = child_kind(command)
        yield child, command, kind
        if kind == "fork server":
            yield from ((reader, command, "reading process") for reader in children(child))


@dataclass
class Tally:
    """What the clients saw; one lock, since every client thread adds to it."""

    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retried: int = 0  # requests answered 503 with Retry-After, then sent again
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float, error: str = "") -> None:
        with self.lock:
            self.kinds[kind] += 1
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def request(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """One GET on a new connection, as most feed readers poll; header names lowercased."""
    status, body, answer = fetch(port, path, **(headers or {}))
    return status, body, {name.lower(): value for name, value in answer.items()}


def check_body(path: str, body: bytes, headers: dict[str, str]) -> None:
    """Raise when a 200's body is not what its type promises."""
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    content_type = headers.get("content-type", "")
    if "json" in content_type:
        json.loads(body)
    elif "xml" in content_type:
        etree.fromstring(body, STRICT)
    elif not body.lstrip().lower().startswith(b"<!doctype html"):
        raise ValueError(f"unexpected {content_type!r}")


def pick_request(rng: random.Random, etags: dict[str, str]) -> tuple[str, str, dict[str, str]]:
    """(kind, path, headers) of the next request in the mix."""
    feed = rng.choice(FEEDS)
    base = rng.choice(["/feeds/", f"/topics/{rng.choice(TOPICS)}/"])
    roll = rng.random()
    if roll < 0.25:
        return "plain", base + feed, {}
    if roll < 0.55:
        path = base + feed
        return "conditional", path, {"If-None-Match": etags[path]} if path in etags else {}
    if roll < 0.70:
        query = rng.choice([f"topic={rng.choice(TOPICS)},{rng.choice(TOPICS)}", f"q={rng.choice(WORDS)}",
                            "since=2020-01-01", f"exclude={rng.choice(TOPICS)}&limit=10",
                            f"author=Desk+{rng.randint(0, 6)}"])
        return "filtered", f"/feeds/{feed}?{query}", {}
    if roll < 0.85:
        return "paged", f"/feeds/{feed}?limit=20&page={rng.randint(1, 3)}", {}
    if roll < 0.95:
        return "gzip", base + feed, {"Accept-Encoding": "gzip"}
    return "page", rng.choice(["/", f"/topics/{rng.choice(TOPICS)}/"]), {}


def request_politely(port: int, path: str, headers: dict[str, str], tally: Tally
                     ) -> tuple[int, bytes, dict[str, str], float]:
    """request, coming back after a 503's Retry-After as feed readers do (at most 3 times):
    a worker refuses new queries past its render queue. Returns the answer and the seconds
    the last attempt took."""
    for _attempt in range(3):
        start = time.perf_counter()
        status, body, answer = request(port, path, headers)
        if status != 503 or "retry-after" not in answer:
            break
        with tally.lock:
            tally.retried += 1
        time.sleep(int(answer["retry-after"]))
    return status, body, answer, time.perf_counter() - start


def client(port: int, seed: int, stop: threading.Event, tally: Tally) -> None:
    rng = random.Random(seed)
    etags: dict[str, str] = {}
    while not stop.is_set():
        kind, path, headers = pick_request(rng, etags)
        start = time.perf_counter()
        try:
            status, body, answer, seconds = request_politely(port, path, headers, tally)
            if status == 200:
                check_body(path, body, answer)
                if kind in {"plain", "conditional"}:
                    etags[path] = answer["etag"]
            elif status != 304 or kind != "conditional":
                raise ValueError(f"status {status}: {body[:200]!r}")
            tally.add(kind, status, seconds)
        except Exception as exc:  # every failure is counted and shown, none stops the soak
            tally.add(kind, 0, time.perf_counter() - start, f"{path}: {type(exc).__name__}: {exc}")


class Editor:
    """Keeps changing the folder: edits one article, adds one, deletes an added one, in turn."""

    def __init__(self, content: Path, interval: float, first_number: int):
        self.content, self.interval = content, interval
        self.rng = random.Random(5)
        self.tags = tag_pool()
        self.number = first_number
        self.base = sorted(content.rglob("*.md"))
        self.added: list[Path] = []
        self.done: Counter[str] = Counter()

    def run(self, stop: threading.Event) -> None:
        actions = (self.edit, self.add, self.delete)
        turn = 0
        while not stop.wait(self.interval):
            actions[turn % len(actions)]()
            turn += 1

    def edit(self) -> None:
        path = self.rng.choice(self.base)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n").rsplit("\n", 1)[0] + f"\nEdited {self.done['edited']}.\n",
                        encoding="utf-8")
        self.done["edited"] += 1

    def add(self) -> None:
        fields = article_fields(self.rng, self.number, self.tags)
        path = self.content / fields["category"].lower() / f"added-{self.number:06d}.md"
        path.write_text(article_text(fields), encoding="utf-8")
        self.added.append(path)
        self.number += 1
        self.done["added"] += 1

    def delete(self) -> None:
        if len(self.added) > 5:
            self.added.pop(0).unlink()
            self.done["deleted"] += 1


class Server:
    """`feedsvc serve` in its own process group; the workers are its children."""

    def __init__(self, content: Path, work: Path, workers: int, threads: int, scan_interval: int = 1):
        self.port = free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("FEEDSVC_")}
        env.update(FEEDSVC_CONTENT_DIR=str(content), FEEDSVC_DATABASE=str(work / "catalog.db"),
                   FEEDSVC_SCAN_INTERVAL=str(scan_interval))
        self.log = (work / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "feedsvc", "serve", "--port", str(self.port),
             "--workers", str(workers), "--threads", str(threads)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        self.peak_rss: dict[int, int] = {}  # worker pid: kB
        self.child_peaks: dict[int, tuple[str, int]] = {}  # child pid: (kind, kB)
        self.peak_tree: dict[int, int] = {}  # worker pid: kB of the worker and its children at once
        # Sampled from start-up on: the first scan (and its pool of processes) is included.
        self._sampling_done = threading.Event()
        self._sampler = threading.Thread(target=self.sample_memory, args=(self._sampling_done,))
        self._sampler.start()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited with {self.process.returncode}; see its log")
            try:
                if request(self.port, "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"server not ready after {timeout}s")

    def sample_memory(self, stop: threading.Event) -> None:
        """Record the peak resident memory (VmHWM) of each worker and of its children."""
        while not stop.wait(0.25):
            for pid in children(self.process.pid):
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), memory_kb(pid, "VmHWM"))
                tree, worker_command = memory_kb(pid, "VmRSS"), command_line(pid)
                for child, command, kind in descendants(pid):
                    if command == worker_command:  # forked, not yet executed: the worker's own pages
                        continue
                    kind, peak = self.child_peaks.get(child) or (kind, 0)
                    self.child_peaks[child] = kind, max(peak, memory_kb(child, "VmHWM"))
                    tree += memory_kb(child, "VmRSS")
                self.peak_tree[pid] = max(self.peak_tree.get(pid, 0), tree)

    def stop_sampling(self) -> None:
        self._sampling_done.set()
        self._sampler.join()

    def status(self) -> dict:
        code, body, _ = request(self.port, "/status")
        if code != 200:
            raise RuntimeError(f"/status answered {code}")
        return json.loads(body)

    def stop(self) -> None:
        self.stop_sampling()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def settle(server: Server, edited_until: float, timeout: float = 60) -> dict:
    """Wait for a scan that started after the last edit, served by every worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scan = server.status().get("last_scan") or {}
        if scan.get("started") and datetime.fromisoformat(scan["started"]).timestamp() > edited_until:
            time.sleep(1.5)  # workers pick a new catalog version up within a second
            return scan
        time.sleep(0.3)
    raise RuntimeError("no scan after the last edit")


def committed_scans(server: Server) -> int:
    """The catalog's count of committed scans, from /metrics."""
    _status, body, _ = request(server.port, "/metrics")
    found = re.search(rb'^feedsvc_scans_total\{outcome="committed"\} ([0-9.e+]+)$', body, re.MULTILINE)
    if found is None:
        raise RuntimeError("/metrics has no feedsvc_scans_total")
    return int(float(found.group(1)))


def final_check(server: Server, content: Path, edited_until: float) -> str:
    """'' when the served catalog matches the folder, else what differs."""
    scan = settle(server, edited_until)
    titles = {TITLE.search(path.read_text(encoding="utf-8")).group(1) for path in content.rglob("*.md")}
    if scan["published"] != len(titles) or scan["errors"]:
        return (f"last scan published {scan['published']} with {len(scan['errors'])} errors; "
                f"the folder has {len(titles)}")
    if len(titles) <= 500:
        served: set[str] = set()
        for _ in range(3):  # the answer may come from any worker: ask several times
            status, body, _ = request(server.port, "/feeds/feed.json?limit=500")
            served = {item["title"] for item in json.loads(body)["items"]} if status == 200 else set()
            if served != titles:
                return f"served feed differs from the folder by {len(served ^ titles)} titles"
    return ""


def describe_children(peaks: dict[int, tuple[str, int]]) -> str:
    """'none', or per kind of child: how many there were and the largest peak."""
    by_kind: dict[str, list[int]] = {}
    for kind, kb in peaks.values():
        by_kind.setdefault(kind, []).append(kb)
    return "; ".join(f"{kind} x{len(kbs)}, at most {max(kbs) / 1024:.1f} MB each"
                     for kind, kbs in sorted(by_kind.items())) or "none"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edit-interval", type=float, default=0.3, help="seconds between edits")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feedsvc-soak-") as folder:
        work = Path(folder)
        content = work / "content"
        generate(content, args.articles)
        server = Server(content, work, args.workers, args.threads)
        try:
            server.wait_ready(timeout=600)
            errors = soak(server, content, args)
        finally:
            server.stop()
        if errors:
            print("server log tail:\n" + (work / "server.log").read_text(errors="replace")[-3000:])
    sys.exit(1 if errors else 0)


def soak(server: Server, content: Path, args: argparse.Namespace) -> int:
    """Run clients and the editor for the time asked; print the figures; return the errors."""
    tally, stop, stop_editor = Tally(), threading.Event(), threading.Event()
    editor = Editor(content, args.edit_interval, first_number=args.articles)
    started = time.time()
    versions_before, scans_before = server.status()["version"], committed_scans(server)
    threads = [threading.Thread(target=client, args=(server.port, seed, stop, tally))
               for seed in range(args.clients)]
    threads.append(threading.Thread(target=editor.run, args=(stop_editor,)))
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop_editor.set()
    stop.set()
    for thread in threads:
        thread.join()
    server.stop_sampling()
    elapsed = time.time() - started
    edited_until = time.time()
    scans = committed_scans(server) - scans_before
    mismatch = final_check(server, content, edited_until)
    errors = len(tally.errors) + (1 if mismatch else 0)
    requests = sum(tally.kinds.values())

    print(f"soak: {args.workers} workers x {args.threads} threads, {args.clients} clients, "
          f"{elapsed:.0f} s, {args.articles} articles, a scan every second")
    print(f"requests {requests} ({requests / elapsed:.1f}/s): "
          + ", ".join(f"{status or 'failed'}={n}" for status, n in sorted(tally.statuses.items())))
    print("by kind: " + ", ".join(f"{kind}={n}" for kind, n in sorted(tally.kinds.items())))
    print(f"sent again after a 503 with Retry-After: {tally.retried}")
    print(f"edits: {editor.done['edited']} edited, {editor.done['added']} added, "
          f"{editor.done['deleted']} deleted; scans during the run: {scans}; "
          f"catalog version changed: {server.status()['version'] != versions_before}")
    print(f"latency p50 {statistics.median(tally.latencies) * 1000:.1f} ms, "
          f"p99 {percentile(tally.latencies, 0.99) * 1000:.1f} ms")
    peaks = sorted(server.peak_rss.values(), reverse=True)
    print("peak RSS per worker: " + ", ".join(f"{kb / 1024:.1f} MB" for kb in peaks))
    print(f"peak RSS of the workers' child processes: {describe_children(server.child_peaks)}")
    print("peak RSS of a worker and its children together (sampled): "
          f"{max(server.peak_tree.values(), default=0) / 1024:.1f} MB")
    print(f"final catalog matches the folder: {'no: ' + mismatch if mismatch else 'yes'}")
    for error in tally.errors[:20]:
        print(f"error: {error}")
    print(f"errors {errors}")
    print(f"RESULT soak_memory ratio={max(peaks, default=0) / 1024 / TARGET_MB:.3f} target=<1")
    print(f"RESULT soak ratio={errors / max(requests, 1):.6f} target=<=0")
    return errors


if __name__ == "__main__":
    main()

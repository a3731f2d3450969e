"""Many processes, one writer: real gunicorn workers on 127.0.0.1, leader takeover, SIGKILL mid-scan."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import time
from datetime import datetime
from pathlib import Path

from helpers.content import BASE_URL, age, write
from helpers.metrics import metric_samples, route_of
from helpers.server import LiveServer

from feedsvc.catalog_files import lock_path
from feedsvc.config import load_settings
from feedsvc.scan import scan_once
from feedsvc.store import Store
from feedsvc.web import create_app

WORKERS = 3
GENERATED = 1000  # articles: a scan of them takes long enough to be killed in flight


def status(server: LiveServer) -> dict:
    code, body, _ = server.get("/status")
    assert code == 200, body
    return json.loads(body)


def finished_at(scan: dict) -> float:
    return datetime.fromisoformat(scan["finished"]).timestamp()


def scans_since(server: LiveServer, since: float) -> list[dict]:
    """Scans that finished after a wall-clock time, oldest first."""
    return [scan for scan in reversed(status(server)["recent_scans"]) if finished_at(scan) > since]


def first_new_version_by_worker(server: LiveServer, old: str, deadline: float) -> tuple[str, dict]:
    """Poll /status until every worker serves a version other than old; when each first did."""
    first_seen: dict[int, float] = {}
    new = ""
    while time.time() < deadline and (len(first_seen) < WORKERS):
        answer = status(server)
        if answer["served_version"] != old:
            new = new or answer["served_version"]
            assert answer["served_version"] == new  # never a third version in between
            first_seen.setdefault(answer["pid"], time.time())
    return new, first_seen


def started_at(scan: dict) -> float:
    return datetime.fromisoformat(scan["started"]).timestamp()


def assert_one_writer(scans: list[dict], interval: float) -> None:
    """One process scanned, once per tick: never two scans within the same tick. A scan that
    ran past the next tick (a process's first reading starts the fork server of its reading
    processes) is followed at once by the tick it missed, which is no second writer."""
    assert len({scan["pid"] for scan in scans}) == 1, scans
    gaps = [finished_at(b) - finished_at(a) for a, b in zip(scans, scans[1:], strict=False)]
    assert gaps and max(gaps) < interval * 2.5, gaps
    for previous, gap in zip(scans, gaps, strict=False):
        ran_long = finished_at(previous) - started_at(previous) > interval / 2
        assert gap > interval / 2 or ran_long, (gaps, scans)


def test_three_workers_scan_once_per_tick_and_agree_within_two_seconds(content: Path, tmp_path: Path) -> None:
    age(write(content, "science/comet.md", "---\ntitle: A comet\ndate: 2023-02-01\n---\nLook west.\n"))
    server = LiveServer(content, tmp_path / "catalog.db", tmp_path / "serve.log", workers=WORKERS,
                        scan_interval=1, extra_env={"FEEDSVC_BASE_URL": BASE_URL})
    with server:
        # A worker's first scan that reads a file also starts the fork server of its reading
        # processes, and may run past the next tick, which APScheduler then runs at once (no
        # second writer, but two scans close together): watch from after that catch-up.
        time.sleep(1.5)
        watch_from = time.time()
        time.sleep(3.5)
        scans = scans_since(server, watch_from)
        assert 2 <= len(scans) <= 5, scans
        assert_one_writer(scans, interval=1)
        leader = scans[-1]["pid"]
        before = len(status(server)["recent_scans"])
        log_lines = [line for line in server.log().splitlines() if "feedsvc.scan: scan:" in line]
        after = len(status(server)["recent_scans"])
        assert before <= len(log_lines) <= after  # one log line per scan (one may come meanwhile)

        old_etag = server.get("/feeds/atom.xml")[2]["ETag"]
        feed_requests = 1
        old = status(server)["version"]
        write(content, "science/later.md", "---\ntitle: Added later\ndate: 2024-01-01\n---\nNew.\n")
        new, first_seen = first_new_version_by_worker(server, old, time.time() + 6)
        assert len(first_seen) == WORKERS, first_seen
        commit = max(finished_at(scan) for scan in scans_since(server, watch_from))
        slowest = max(first_seen.values()) - commit
        assert slowest < 2, f"a worker served the new catalog {slowest:.2f}s after the commit"
        etags = {server.get("/feeds/atom.xml")[2]["ETag"] for _ in range(20)}
        feed_requests += 20
        assert len(etags) == 1 and etags != {old_etag}

        os.kill(leader, signal.SIGKILL)  # the leader dies; another worker takes over
        killed_at = time.time()
        time.sleep(3.5)
        after = scans_since(server, killed_at)
        assert after and after[0]["pid"] != leader
        assert finished_at(after[0]) - killed_at < 2.5, after
        assert_one_writer(after, interval=1)
        write(content, "science/third.md", "---\ntitle: Third\ndate: 2024-02-01\n---\nMore.\n")
        newer, first_seen = first_new_version_by_worker(server, new, time.time() + 6)
        assert len(first_seen) == WORKERS and leader not in first_seen  # the replacement serves too
        assert newer not in {old, new}

        # /metrics from any worker sums the requests of all, the killed leader's included
        feed = (("method", "GET"), ("route", route_of(create_app(), "/feeds/atom.xml")), ("status", "200"))
        for _ in range(3):
            samples = metric_samples(server.get("/metrics")[1].decode())
            assert samples[("feedsvc_http_requests_total", feed)] == feed_requests


def generate(content: Path, count: int, updated: str = "") -> None:
    """Dated articles in three topic folders; updated adds an explicit Updated header."""
    for number in range(count):
        header = f"Title: Article {number}\nDate: 2023-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
        if updated:
            header += f"Updated: {updated}\n"
        body = f"Paragraph {number} about the harbour and the council.\n" * 5
        folder = ("world", "science", "economy")[number % 3]
        write(content, f"{folder}/{number:05d}.txt", header + "\n" + body)


def scan_lock_held(settings) -> bool:
    """True while a scan is in flight (the probe holds the lock for an instant when it is free)."""
    fd = os.open(lock_path(settings.database, "scan"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def kill_mid_scan(server: LiveServer, settings, delay: float) -> None:
    """Start the server, SIGKILL all its processes once its start-up scan is in flight."""
    server.start(wait=False)
    deadline = time.monotonic() + 30
    while not scan_lock_held(settings):
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.005)
    time.sleep(delay)
    assert scan_lock_held(settings), "the scan ended before the kill: raise GENERATED"
    server.stop(signal.SIGKILL)


def reference(content: Path, tmp_path: Path, name: str) -> tuple[str, str, int]:
    """Version, feed ETag and entry count of a clean build of the same content."""
    config = {"content_dir": content, "database": tmp_path / name / "catalog.db", "base_url": BASE_URL}
    settings = load_settings(overrides=config)
    report = scan_once(settings)
    assert report.errors == []
    etag = create_app(settings).test_client().get("/feeds/atom.xml").headers["ETag"]
    return Store(config["database"]).version(), etag, report.published


def test_sigkill_mid_scan_loses_nothing(content: Path, tmp_path: Path) -> None:
    generate(content, GENERATED)
    age(*content.rglob("*.txt"))
    database = tmp_path / "catalog.db"
    settings = load_settings(overrides={"content_dir": content, "database": database, "base_url": BASE_URL})
    server = LiveServer(content, database, tmp_path / "serve.log", workers=1, scan_interval=3600,
                        extra_env={"FEEDSVC_BASE_URL": BASE_URL})

    kill_mid_scan(server, settings, delay=0.2)  # the first scan ever: nothing was committed
    assert Store(database).last_report() is None

    expected_version, expected_etag, expected_count = reference(content, tmp_path, "first")
    with server:  # restarted: its first scan completes the work
        answer = status(server)
        assert (answer["last_scan"]["published"], answer["version"]) == (expected_count, expected_version)
        assert server.get("/feeds/atom.xml")[2]["ETag"] == expected_etag

    # a rescan killed in flight: the last committed catalog stays whole, the next one completes
    generate(content, GENERATED, updated="2024-06-01")
    age(*content.rglob("*.txt"), seconds=3600)
    kill_mid_scan(server, settings, delay=0.1)
    assert Store(database).version() == expected_version
    assert Store(database).scan_counts()["committed"] == 1

    expected_version, expected_etag, expected_count = reference(content, tmp_path, "second")
    with server:
        answer = status(server)
        assert answer["last_scan"]["read"] == GENERATED
        assert (answer["last_scan"]["published"], answer["version"]) == (expected_count, expected_version)
        assert server.get("/feeds/atom.xml")[2]["ETag"] == expected_etag

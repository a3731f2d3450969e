"""SIGKILL during heavy serving: the restarted service serves the full catalog, byte for byte.

(SIGKILL in the middle of a scan is tests/test_processes.py's.) Here every process of a
two-worker server is killed while clients keep it busy and scans run every second; a new
server on the same catalog must serve every article and the same bytes and ETags for every
feed, with and without gzip, and the catalog must pass SQLite's integrity check.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import time
from pathlib import Path

from helpers.content import write
from helpers.server import LiveServer

BASE = "https://news.example.org"  # fixed, so a restart on another port serves the same bytes
TOPICS = ("world", "science", "economy", "culture")
ARTICLES = 240
PATHS = [
    "/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/feeds.opml", "/api/topics",
    "/feeds/atom.xml?limit=20&page=3", "/feeds/feed.json?topic=science,world&q=harbour",
    *(f"/topics/{topic}/{name}" for topic in TOPICS for name in ("atom.xml", "rss.xml", "feed.json")),
]


def generate(content: Path) -> set[str]:
    """Write the articles; return their ids as the catalog must hold them."""
    ids = set()
    for number in range(ARTICLES):
        topic = TOPICS[number % len(TOPICS)]
        date = f"2023-{1 + number % 12:02d}-{1 + number % 28:02d}"
        write(content, f"{topic}/a{number:04d}.md", (
            f"---\ntitle: Article {number} from the {topic} desk\ndate: {date}T{number % 24:02d}:00:00Z\n"
            f"author: Desk {number % 5}\n---\n\nThe harbour story number {number}, told again.\n"))
        ids.add(f"tag:news.example.org,{date}:/{topic}/a{number:04d}")
    return ids


def snapshot(server: LiveServer) -> dict[tuple[str, str], tuple[str, bytes]]:
    """(ETag, body) of every path, plain and gzip."""
    seen = {}
    for path in PATHS:
        for encoding in ("identity", "gzip"):
            status, body, headers = server.get(path, {"Accept-Encoding": encoding})
            assert status == 200, (path, status, body[:200])
            seen[(path, encoding)] = (headers["ETag"], body)
    return seen


def metrics_owners(temp: Path) -> list[str]:
    """The process ids that name the metrics folders in temp."""
    return [folder.name.rsplit("-", 2)[1] for folder in temp.glob("feedsvc-metrics-*")]


def hammer(server: LiveServer, stop: threading.Event, answers: list[int]) -> None:
    """Keep the server busy with full and conditional requests until told to stop."""
    etags: dict[str, str] = {}
    number = 0
    while not stop.is_set():
        path = PATHS[number % len(PATHS)]
        number += 1
        try:
            status, _body, headers = server.get(path, {"If-None-Match": etags.get(path, '"none"')})
        except OSError:
            if stop.is_set():
                return
            continue  # the kill came while connecting: requests after it fail by design
        answers.append(status)
        if status == 200:
            etags[path] = headers["ETag"]


def test_sigkill_under_load_then_restart_serves_the_same_bytes(content: Path, tmp_path: Path) -> None:
    ids = generate(content)
    database = tmp_path / "catalog.db"
    temp = tmp_path / "temp"  # where each server keeps its metrics folder
    temp.mkdir()
    env = {"FEEDSVC_BASE_URL": BASE, "TMPDIR": str(temp)}
    first = LiveServer(content, database, tmp_path / "first.log", workers=2, extra_env=env).start()
    try:
        before = snapshot(first)
        stop, answers = threading.Event(), []
        clients = [threading.Thread(target=hammer, args=(first, stop, answers)) for _ in range(6)]
        for client in clients:
            client.start()
        time.sleep(3)  # heavy serving, with a scan every second
        served = len(answers)
        first.stop(signal.SIGKILL)  # master and workers at once, mid-request
        stop.set()
        for client in clients:
            client.join(timeout=30)
    finally:
        first.stop(signal.SIGKILL)
    assert served > 50
    assert set(answers) <= {200, 304}, sorted(set(answers))

    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert metrics_owners(temp) == [str(first.process.pid)]
    with LiveServer(content, database, tmp_path / "second.log", workers=2, extra_env=env) as second:
        # the killed master's folder is gone; the new one's is there
        assert metrics_owners(temp) == [str(second.process.pid)]
        after = snapshot(second)
        status, body, _ = second.get("/feeds/feed.json?limit=500")
        assert status == 200
        assert {item["id"] for item in json.loads(body)["items"]} == ids  # the full catalog
    for key, (etag, body) in before.items():
        assert after[key][0] == etag, key
        assert after[key][1] == body, key

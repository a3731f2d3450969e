"""Two real `feedsvc serve` (gunicorn) on different ports sharing one PostgreSQL catalog."""

from __future__ import annotations

import json
import signal
import time
from datetime import datetime
from pathlib import Path

from helpers.content import BASE_URL, age, write
from helpers.corpus import write_corpus
from helpers.postgres import wait_for
from helpers.server import LiveServer

SCAN_INTERVAL = 2
PATHS = ("/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/topics/science/atom.xml",
         "/topics/economy/rss.xml", "/feeds/atom.xml?q=harbour", "/feeds/atom.xml?page=2&limit=3", "/")


def status(server: LiveServer) -> dict:
    answer = server.get("/status")
    assert answer[0] == 200, answer
    return json.loads(answer[1])


def scanning_pids(server: LiveServer) -> set[int]:
    return {scan["pid"] for scan in status(server)["recent_scans"]}


def serves(server: LiveServer, title: str) -> bool:
    answer = server.get("/feeds/atom.xml")
    return answer[0] == 200 and title.encode() in answer[1]


def publish(content: Path, name: str, title: str) -> None:
    write(content, f"{name}.md", f"---\ntitle: {title}\ndate: 2020-02-02\n---\nNews.\n")


def committed_at(server: LiveServer, title_shown_by: list[LiveServer], title: str) -> float:
    """Seconds from the commit of the scan that published title to both servers serving it."""
    assert wait_for(lambda: all(serves(each, title) for each in title_shown_by), 20), title
    served = time.time()
    finished = datetime.fromisoformat(status(server)["last_scan"]["finished"]).timestamp()
    return served - finished


def test_two_servers_one_catalog_one_scanner_and_a_takeover(content, tmp_path, pg_url) -> None:
    write_corpus(content)
    age(*content.rglob("*.md"))
    env = {"FEEDSVC_BASE_URL": BASE_URL}
    first = LiveServer(content, pg_url, tmp_path / "first.log", scan_interval=SCAN_INTERVAL, extra_env=env)
    second = LiveServer(content, pg_url, tmp_path / "second.log", scan_interval=SCAN_INTERVAL, extra_env=env)
    with first, second:
        servers = {status(server)["pid"]: server for server in (first, second)}  # one worker each
        for path in PATHS:
            (status_a, body_a, headers_a), (status_b, body_b, headers_b) = first.get(path), second.get(path)
            assert status_a == status_b == 200, path
            assert (body_a, headers_a.get("ETag")) == (body_b, headers_b.get("ETag")), path
        assert wait_for(lambda: len(status(first)["recent_scans"]) >= 3, 20)
        [leader_pid] = scanning_pids(first)  # every scan so far by one process
        leader = servers[leader_pid]
        other = second if leader is first else first

        publish(content, "fresh", "Fresh from the press")
        assert committed_at(leader, [first, second], "Fresh from the press") <= 2

        leader.stop(signal.SIGKILL)
        killed = time.time()
        assert wait_for(lambda: scanning_pids(other) - {leader_pid}, SCAN_INTERVAL + 3)
        taken_over = min(datetime.fromisoformat(scan["started"]).timestamp()
                         for scan in status(other)["recent_scans"] if scan["pid"] != leader_pid)
        assert taken_over - killed <= SCAN_INTERVAL + 1  # at its next tick
        publish(content, "later", "Later news")
        assert wait_for(lambda: serves(other, "Later news"), SCAN_INTERVAL * 3)

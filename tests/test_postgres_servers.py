"""Real `feedsvc serve` (gunicorn) processes on different ports sharing one PostgreSQL catalog."""

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


def test_servers_on_one_catalog_one_scanner_a_takeover_and_an_outage(
        content, tmp_path, pg_url, postgres_server) -> None:
    write_corpus(content)
    age(*content.rglob("*.md"))
    env = {"FEEDSVC_BASE_URL": BASE_URL}
    first = LiveServer(content, pg_url, tmp_path / "first.log", scan_interval=SCAN_INTERVAL, extra_env=env)
    second = LiveServer(content, pg_url, tmp_path / "second.log", scan_interval=SCAN_INTERVAL, extra_env=env)
    reader = LiveServer(tmp_path / "no-content-here", pg_url, tmp_path / "reader.log",
                        scan_interval=SCAN_INTERVAL, extra_env=env, options=("--no-scan",))
    with first, second, reader:
        servers = {status(server)["pid"]: server for server in (first, second, reader)}  # one worker each
        for path in PATHS:
            answers = [server.get(path) for server in (first, second, reader)]
            assert {answer[0] for answer in answers} == {200}, path
            assert len({(body, headers.get("ETag")) for _status, body, headers in answers}) == 1, path
        assert wait_for(lambda: len(status(first)["recent_scans"]) >= 3, 20)
        [leader_pid] = scanning_pids(first)  # every scan so far by one process
        leader = servers[leader_pid]
        assert leader is not reader
        other = second if leader is first else first

        publish(content, "fresh", "Fresh from the press")
        assert committed_at(leader, [first, second, reader], "Fresh from the press") <= 2

        leader.stop(signal.SIGKILL)
        killed = time.time()
        assert wait_for(lambda: scanning_pids(other) - {leader_pid}, SCAN_INTERVAL + 3)
        taken_over = min(datetime.fromisoformat(scan["started"]).timestamp()
                         for scan in status(other)["recent_scans"] if scan["pid"] != leader_pid)
        assert taken_over - killed <= SCAN_INTERVAL + 1  # at its next tick
        assert scanning_pids(other) <= {leader_pid, status(other)["pid"]}  # not the reader's
        publish(content, "later", "Later news")
        assert wait_for(lambda: all(serves(each, "Later news") for each in (other, reader)), 6)
        outage_then_recovery(postgres_server, content, other, reader)


def outage_then_recovery(postgres_server, content: Path, *servers: LiveServer) -> None:
    """PostgreSQL stopped: what each server has cached is still served, the rest is a 503 with
    Retry-After, /readyz and /status say so; started again: everything recovers by itself."""
    cached = {server: server.get("/feeds/atom.xml") for server in servers}
    postgres_server.stop()
    try:
        for server in servers:
            assert wait_for(lambda server=server: server.get("/readyz")[0] == 503, 10)
            assert b"database cannot be reached" in server.get("/readyz")[1]
            assert server.get("/feeds/atom.xml")[:2] == cached[server][:2]
            uncached = server.get("/feeds/atom.xml?q=outage")
            assert (uncached[0], uncached[2].get("Retry-After")) == (503, "5"), uncached
            assert server.get("/status")[0] == 503
    finally:
        postgres_server.start()
    publish(content, "after", "After the outage")
    for server in servers:
        assert wait_for(lambda server=server: server.get("/readyz")[0] == 200, 10)
        assert wait_for(lambda server=server: serves(server, "After the outage"), SCAN_INTERVAL * 5)

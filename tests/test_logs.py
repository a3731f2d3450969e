"""Logs of a real `feedsvc serve`: one format for gunicorn's lines and ours, no scheduler chatter,
no health probes in the access log, failed files named at WARNING; `feedsvc scan` reports once."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers.content import write
from helpers.feeds import parse_feed
from helpers.metrics import metric_samples
from helpers.server import LiveServer

from feedsvc.logs import configure_logging
from feedsvc.model import FileProblem, ScanReport
from feedsvc.scan import log_scan

# time [pid] LEVEL logger: message
LOG_LINE = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[(\d+)\] (INFO|WARNING|ERROR|CRITICAL) ([\w.]+): \S")
BROKEN = [f"broken/b{number}.md" for number in range(7)]  # more than a log line names


def write_content(content: Path) -> None:
    write(content, "sea/harbour.md", "---\ntitle: Harbour news\ndate: 2024-03-01\n---\nShips.\n")
    for path in BROKEN:
        write(content, path, "---\ntitle: [unclosed\n---\nText.\n")


def test_a_real_server_logs_in_one_format_without_chatter_or_probes(tmp_path: Path) -> None:
    write_content(tmp_path / "content")
    server = LiveServer(tmp_path / "content", tmp_path / "catalog.db", tmp_path / "serve.log", workers=2,
                        scan_interval=1)
    with server:
        for _ in range(5):
            assert server.get("/healthz")[0] == server.get("/readyz")[0] == 200
        status, body, _ = server.get("/feeds/atom.xml", headers={"User-Agent": "log-test"})
        assert status == 200
        assert [entry.title for entry in parse_feed(body).entries] == ["Harbour news"]
        metrics = metric_samples(server.get("/metrics")[1].decode())
        time.sleep(3.5)  # three more ticks of the schedule in each worker
        assert server.statuses(0, "log-test", expected=1) == {"/feeds/atom.xml": [200]}
        log = server.log()
    lines = log.splitlines()
    assert [line for line in lines if not LOG_LINE.match(line)] == []  # no other format, no traceback
    loggers = {LOG_LINE.match(line)[3] for line in lines}  # type: ignore[index]
    assert {"gunicorn.error", "gunicorn.access", "feedsvc.scan"} <= loggers
    # the master and both workers (a worker a loaded machine's timeout replaced adds one more)
    assert len({LOG_LINE.match(line)[1] for line in lines}) >= 3  # type: ignore[index]
    assert "Running job" not in log and "executed successfully" not in log
    assert not any(name.startswith("apscheduler") for name in loggers)
    targets = [line["target"] for line in server.access_log()]
    assert "/feeds/atom.xml" in targets and "/metrics" in targets
    assert "/healthz" not in targets and "/readyz" not in targets

    scans = [line for line in lines if "feedsvc.scan: scan:" in line]
    assert len(scans) >= 3
    reason = "front matter: invalid YAML: while parsing a flow sequence"
    named = "; ".join(f"{path}: {reason}" for path in BROKEN[:5])
    for line in scans:
        assert " WARNING feedsvc.scan: scan: 8 files, " in line
        assert line.endswith(f"; could not read {named}; and 2 more (all of them: /status or feedsvc scan)")

    routes = {dict(labels).get("route") for name, labels in metrics if name == "feedsvc_http_requests_total"}
    assert "/feeds/{file_name}" in routes and "/readyz" in routes
    assert not any("<" in route for route in routes if route)


def test_a_clean_scan_logs_at_info_and_errors_are_bounded(caplog) -> None:
    caplog.set_level(logging.INFO, logger="feedsvc.scan")
    report = ScanReport(files=3, read=3, published=3)
    log_scan(report, 7)
    report.errors = [FileProblem(f"f{number}.md", "x" * 500) for number in range(6)]
    log_scan(report, 8)
    (clean, failed) = caplog.records
    assert (clean.levelname, failed.levelname) == ("INFO", "WARNING")
    assert "0 errors" in clean.getMessage() and "could not read" not in clean.getMessage()
    message = failed.getMessage()
    assert "6 errors" in message and "f4.md: " + "x" * 200 + ";" in message
    assert "f5.md" not in message and message.endswith("; and 1 more (all of them: /status or feedsvc scan)")


def test_the_scan_command_reports_once(tmp_path: Path) -> None:
    write_content(tmp_path / "content")
    env = {**os.environ, "FEEDSVC_CONTENT_DIR": str(tmp_path / "content"),
           "FEEDSVC_DATABASE": str(tmp_path / "catalog.db")}
    result = subprocess.run([sys.executable, "-m", "feedsvc", "scan"], env=env, capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert result.stdout.startswith("published 1, drafts 0, skipped 0, errors 7, warnings 0 in ")
    assert output.count("published 1,") == 1
    assert "feedsvc.scan:" not in output and "scan: 8 files" not in output
    for path in BROKEN:
        assert output.count(path) == 1


def test_a_tick_skipped_while_the_scan_runs_is_not_a_warning(caplog) -> None:
    """The scan job runs one at a time: a tick during a long scan is skipped, as meant."""
    from apscheduler.schedulers.background import BackgroundScheduler

    configure_logging()
    caplog.set_level(logging.WARNING)
    release, runs = threading.Event(), []
    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: (runs.append(1), release.wait(10)), "interval", seconds=0.1,
                      coalesce=True, max_instances=1)
    scheduler.start()
    try:
        time.sleep(0.6)  # several ticks while the first run waits
    finally:
        release.set()
        scheduler.shutdown()
    assert len(runs) == 1  # the ticks were skipped...
    assert caplog.records == []  # ...without a word
    logging.getLogger("apscheduler.scheduler").warning("Scheduler started with a broken job store")
    assert [record.getMessage() for record in caplog.records] == ["Scheduler started with a broken job store"]

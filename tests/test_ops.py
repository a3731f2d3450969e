"""Operations through the real app: /status, /metrics, POST /admin/rescan, scan logs and progress."""

from __future__ import annotations

import logging
import os
import platform
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.content import age, write
from helpers.feeds import parse_feed
from helpers.metrics import metric_samples, route_of

from feedsvc import memory
from feedsvc.cli import PROGRESS_MIN_FILES, main
from feedsvc.config import load_settings
from feedsvc.scheduler import Schedule, start_scheduler
from feedsvc.store import Store

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def corpus(content: Path) -> Path:
    write(content, "science/comet.md", "---\ntitle: A comet\ndate: 2023-02-01\n---\nLook west.\n")
    write(content, "economy/ports.txt", "Title: Ports at night\nDate: 2022-03-04\n\nCranes.\n")
    write(content, "economy/broken.md", "---\ntitle: [oops\n---\nBroken.\n")
    (content / "odd.txt").write_bytes("Title: Odd bytes\nDate: 2021-01-01\n\nCafé crème\n".encode("cp1252"))
    age(*content.rglob("*.*"))
    return content


def test_status_reports_the_last_scan_and_who_ran_it(corpus, scan, make_app) -> None:
    client = make_app().test_client()  # first: ready counts a scan finished since the app started
    report = scan()
    response = client.get("/status")
    assert response.status_code == 200 and response.is_json
    status = response.get_json()
    last = status["last_scan"]
    assert (last["published"], last["files"], last["read"]) == (3, 4, 4)
    assert [error["path"] for error in last["errors"]] == ["economy/broken.md"]
    assert [warning["path"] for warning in last["warnings"]] == [w.path for w in report.warnings]
    assert last["started"] == report.started.isoformat()
    assert last["duration"] == round(report.duration, 3)
    assert status["version"] == status["served_version"] == last["version"] != ""
    assert status["ready"] is True
    assert [(scan["pid"], scan["committed"], scan["published"]) for scan in status["recent_scans"]] == [
        (os.getpid(), True, 3)]


def test_status_and_warnings_survive_an_unchanged_rescan(corpus, scan, make_app) -> None:
    first = scan()
    again = scan()
    assert again.read == 1  # only the broken file, which is read until it is fixed
    assert again.warnings == first.warnings
    status = make_app().test_client().get("/status").get_json()
    assert len(status["recent_scans"]) == 2
    assert status["last_scan"]["warnings"] == [{"path": w.path, "reason": w.reason} for w in first.warnings]


def test_metrics_count_requests_by_route_and_status(corpus, scan, make_app) -> None:
    scan()
    app = make_app()
    client = app.test_client()
    feed_route = route_of(app, "/feeds/atom.xml")
    assert route_of(app, "/feeds/rss.xml") == feed_route == "/feeds/{file_name}"
    for _ in range(2):
        assert client.get("/feeds/atom.xml").status_code == 200
    assert client.get("/feeds/rss.xml").status_code == 200
    assert client.get("/topics/atlantis/atom.xml").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    samples = metric_samples(response.get_data(as_text=True))
    feed = (("method", "GET"), ("route", feed_route), ("status", "200"))
    assert samples[("feedsvc_http_requests_total", feed)] == 3
    topic = (("method", "GET"), ("route", "/topics/{slug}/{file_name}"), ("status", "404"))
    assert samples[("feedsvc_http_requests_total", topic)] == 1
    unmatched = (("method", "GET"), ("route", "(unmatched)"), ("status", "404"))
    assert samples[("feedsvc_http_requests_total", unmatched)] == 1
    assert samples[("feedsvc_http_request_duration_seconds_count", (("route", feed_route),))] == 3
    assert samples[("feedsvc_entries", ())] == 3
    assert samples[("feedsvc_scan_errors", ())] == 1
    assert samples[("feedsvc_scans_total", (("outcome", "committed"),))] == 1
    assert samples[("feedsvc_last_scan_files_read", ())] == 4


def test_admin_rescan_is_absent_without_a_token(corpus, make_app) -> None:
    client = make_app().test_client()
    assert client.post("/admin/rescan", headers={"Authorization": "Bearer anything"}).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"])
def test_admin_rescan_refuses_without_the_token(corpus, make_app, config, header) -> None:
    client = make_app(admin_token=TOKEN).test_client()
    response = client.post("/admin/rescan", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="feedsvc"'
    assert Store(load_settings(overrides=config).database).last_report() is None  # nothing scanned


def test_admin_rescan_scans_at_once(corpus, scan, make_app) -> None:
    scan()
    client = make_app(admin_token=TOKEN).test_client()
    before = client.get("/feeds/atom.xml")
    write(corpus, "science/late.md", "---\ntitle: Late news\ndate: 2024-05-05\n---\nJust in.\n")
    response = client.post("/admin/rescan", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["published"], body["read"]) == (4, 2)  # the new file and the broken one
    after = client.get("/feeds/atom.xml")  # this process sees the new catalog at once
    assert after.headers["ETag"] != before.headers["ETag"]
    assert parse_feed(after.data).entries[0].title == "Late news"
    assert client.get("/status").get_json()["version"] == body["version"]


def test_one_log_line_per_scan(corpus, scan, caplog) -> None:
    caplog.set_level(logging.INFO, logger="feedsvc.scan")
    scan()
    scan()
    lines = [record.getMessage() for record in caplog.records if record.name == "feedsvc.scan"]
    assert len(lines) == 2
    assert lines[0].startswith("scan: 4 files, 4 read, 0 removed, 3 published, 0 drafts, 0 skipped, 1 errors")
    assert " in " in lines[0] and "(version " in lines[0]


def test_failed_scan_logs_one_error_line(tmp_path, scan, caplog) -> None:
    caplog.set_level(logging.INFO, logger="feedsvc.scan")
    report = scan(content_dir=tmp_path / "missing")
    assert report.errors and report.published == 0
    lines = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert len(lines) == 1 and lines[0][0] == "ERROR"
    assert "catalog unchanged: content folder" in lines[0][1]


def test_scan_command_shows_progress_on_large_folders(content, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "db.sqlite"))
    age(*(write(content, f"many/{number:04d}.txt", f"date 2020-01-01 Article {number}\n\nText.\n")
          for number in range(PROGRESS_MIN_FILES)))
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 0, result.output
    assert "Reading articles" in result.stderr
    assert result.stdout.startswith(f"published {PROGRESS_MIN_FILES}, ")
    write(content, "many/extra.txt", "date 2020-01-02 One more\n\nText.\n")
    small = CliRunner().invoke(main, ["scan"])  # reads a few files: no bar
    assert "Reading articles" not in small.stderr


def test_stopping_while_a_scan_plans_the_next_returns(config, scan) -> None:
    """The scheduler's shutdown holds its job store lock while it waits for the running job:
    a job that plans (get_job, add_job) after shutdown began must not wait for that lock."""
    scan()
    schedule = Schedule(load_settings(overrides={**config, "scan_interval": 3600}))
    planning, go_on = threading.Event(), threading.Event()

    def next_due() -> None:  # the start-up scan plans: it waits here until stopping began
        planning.set()
        go_on.wait(10)

    schedule.store.next_due = next_due  # type: ignore[method-assign]
    schedule.scheduler.start()
    assert planning.wait(10), "the start-up scan did not plan the next one"
    stopper = threading.Thread(target=schedule.stop, daemon=True)
    stopper.start()
    stopper.join(0.5)  # time to reach the scheduler's shutdown, were stop() not to wait for the plan
    go_on.set()
    stopper.join(10)
    assert not stopper.is_alive(), "stop() never returned: the planning job waits for the shutdown"


def test_watching_scans_within_a_second_of_a_change(corpus, scan, config) -> None:
    scan()
    settings = load_settings(overrides={**config, "watch": True, "scan_interval": 3600})
    store = Store(settings.database)
    schedule = start_scheduler(settings)
    try:
        deadline = time.monotonic() + 10
        while len(store.scan_history()) < 2 and time.monotonic() < deadline:  # the start-up scan
            time.sleep(0.05)
        version = store.version()
        time.sleep(0.3)  # the start-up scan's own events have settled
        scans = len(store.scan_history())
        write(corpus, "science/new.md", "---\ntitle: Fresh\ndate: 2024-01-01\n---\nText.\n")
        written = time.monotonic()
        while store.version() == version and time.monotonic() - written < 5:
            time.sleep(0.02)
        elapsed = time.monotonic() - written
        time.sleep(1)
        history = store.scan_history()
    finally:
        schedule.stop()
    assert elapsed < 1.5, f"scan came {elapsed:.2f}s after the change"
    assert len(history) == scans + 1  # one scan for the change; reading files triggers none


def test_a_folder_that_cannot_be_watched_is_still_scanned(tmp_path, config, caplog) -> None:
    settings = load_settings(overrides={**config, "content_dir": tmp_path / "not-yet", "watch": True})
    store = Store(settings.database)
    schedule = start_scheduler(settings)
    try:
        deadline = time.monotonic() + 10
        while not store.scan_history() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        schedule.stop()
    assert [scan["committed"] for scan in store.scan_history()] == [False]  # scanned, and reported
    assert any(record.getMessage().startswith("cannot watch") for record in caplog.records)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_can_be_given_back_to_the_system() -> None:
    """Scans and catalog changes trim malloc's arenas: the call must be found, not silently skipped."""
    assert memory.MALLOC_TRIM is not None
    memory.release_free_memory()


def test_a_scan_without_reading_processes_is_a_warning_not_a_crash(config, scan, monkeypatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """When the service is stopped by signalling its process group, the fork server goes first:
    a scan running then cannot start a reading process. That is said once, without a traceback,
    and the catalog keeps serving what it had."""
    from feedsvc import scheduler
    from feedsvc.errors import ReadersUnavailable

    scan()
    schedule = Schedule(load_settings(overrides={**config, "scan_interval": 3600}))
    version = schedule.store.version()

    def stopped_readers(*_args: object) -> None:
        raise ReadersUnavailable("no process to read files could be started: [Errno 111] refused")

    monkeypatch.setattr(scheduler, "scan_once", stopped_readers)
    with caplog.at_level(logging.WARNING, logger="feedsvc.scheduler"):
        schedule.scan()
    [record] = [record for record in caplog.records if record.name == "feedsvc.scheduler"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "scan not done, the next tick tries again: no process to read files" in record.getMessage()
    assert schedule.store.version() == version


def test_a_serving_process_stops_its_schedule_before_it_exits(scan, config) -> None:
    """gunicorn's worker_exit hook stops the worker's schedule: left running to the
    interpreter's shutdown, its every-second job was refused by the pool with a traceback in
    the log. Stopping twice (by its owner, then at the end) is no error."""
    from feedsvc import scheduler
    from feedsvc.server import options

    scan()
    schedule = start_scheduler(load_settings(overrides={**config, "scan_interval": 3600}))
    assert schedule.scheduler.running
    options("127.0.0.1", 8000, 1, 1)["worker_exit"](None, None)
    assert not schedule.scheduler.running and schedule.stopped and not schedule.leader.held
    assert scheduler._running == []
    schedule.stop()

"""The time limit per file: a file still being read when it passes is reported as an error
naming the file and the limit, and every other file is still published, whether the scan
runs from the command line, in `feedsvc check`, or in a thread of a serving process.

A loop that holds the GIL can only be stopped from outside, so the supervisor is tested
with real ones: a pure-Python loop and a regular expression backtracking in C.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.content import age, write
from helpers.feeds import parse_feed
from helpers.server import LiveServer, served_guid

from feedsvc import reading
from feedsvc.cli import main
from feedsvc.config import load_settings
from feedsvc.errors import ConfigError, ReaderDied, TimeLimitExceeded
from feedsvc.reading import read_in_children

LIMIT = 0.25  # seconds of processor time: a small article takes a few milliseconds, heavy_page 0.7 s or more
REASON = (f"reading took more than {LIMIT:g} s of processor time (the time limit per file, "
          "FEEDSVC_READ_TIMEOUT); it was stopped")
GOOD = ("world/good.md", "---\ntitle: A good article\ndate: 2024-05-01\n---\n\nIt reads at once.\n")


def heavy_page() -> str:
    """A real article within every limit that takes 0.7 s or more to read: a reStructuredText
    list of 10,000 items (docutils builds each at about 70 µs), over LIMIT on a fast machine too
    (pages of HTML read faster than they did, and their counts are bounded)."""
    return "Heavy\n#####\n\n:date: 2024-05-01\n\n" + "".join(f"- item {k}\n" for k in range(10_000))


def stuck_on(number: int) -> int:
    """2 * number, except for 3 (a pure-Python loop) and 5 (a regex backtracking in C)."""
    if number == 3:
        while True:
            pass
    if number == 5:
        re.match(r"(a+)+$", "a" * 64 + "b")
    return 2 * number


def sleeps_on(number: int) -> int:
    if number == 1:  # waiting uses no processor time
        time.sleep(600)
    return 2 * number


def waits_a_while(number: int) -> int:
    time.sleep(0.4)
    return 2 * number


def dies_on(number: int) -> int:
    if number == 2:
        os._exit(7)
    return 2 * number


@pytest.mark.parametrize("processes", [1, 2])
def test_stuck_tasks_are_stopped_and_the_others_still_done(processes: int) -> None:
    started = time.monotonic()
    results = list(read_in_children(stuck_on, range(8), processes, limit=0.5))
    assert time.monotonic() - started < 20
    assert [task for task, _result in results] == list(range(8))
    for task, result in results:
        if task in (3, 5):
            assert isinstance(result, TimeLimitExceeded), (task, result)
            assert str(result) == ("reading took more than 0.5 s of processor time (the time limit "
                                   "per file, FEEDSVC_READ_TIMEOUT); it was stopped")
        else:
            assert result == 2 * task


def test_a_task_waiting_without_end_is_stopped_on_the_clock() -> None:
    started = time.monotonic()
    results = dict(read_in_children(sleeps_on, range(3), 1, limit=0.1))
    assert time.monotonic() - started < 20
    assert str(results.pop(1)) == ("reading took more than 1.2 s on the clock (12 times the time limit "
                                   "per file, FEEDSVC_READ_TIMEOUT); it was stopped")
    assert results == {0: 0, 2: 4}


def test_a_batch_over_the_clock_is_read_again_file_by_file() -> None:
    """Each task is well within the limit on the clock (1.2 s), the batch of all of them is
    not: its process is stopped, and each task sent again alone is done."""
    assert reading.BATCH >= 8
    results = dict(read_in_children(waits_a_while, range(8), 1, limit=0.1))
    assert results == {number: 2 * number for number in range(8)}


def test_a_reading_process_that_dies_fails_only_its_file() -> None:
    results = dict(read_in_children(dies_on, range(5), 1, limit=30))
    assert isinstance(results.pop(2), ReaderDied)
    assert results == {0: 0, 1: 2, 3: 6, 4: 8}


@pytest.fixture
def slow_site(content: Path) -> Path:
    write(content, *GOOD)
    write(content, "world/heavy.rst", heavy_page())
    age(*content.rglob("*.*"))
    return content


def test_a_scan_reports_the_slow_file_and_publishes_the_rest(slow_site: Path, scan, make_app) -> None:
    report = scan(read_timeout=LIMIT)
    assert [(problem.path, problem.reason) for problem in report.errors] == [
        ("world/heavy.rst", REASON)]
    assert report.published == 1
    feed = parse_feed(make_app().test_client().get("/feeds/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["A good article"]
    assert scan(read_timeout=300).published == 2  # given time, the same page is read


def test_check_reports_the_slow_file(slow_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(slow_site))
    monkeypatch.setenv("FEEDSVC_READ_TIMEOUT", str(LIMIT))
    result = CliRunner().invoke(main, ["check", str(slow_site)])
    assert result.exit_code == 1, result.output
    assert f"world/heavy.rst: error: {REASON}" in result.output
    assert "heavy.rst" in result.output
    assert "2 files: 1 published, 0 drafts, 0 skipped, 1 errors" in result.output


def test_the_servers_scans_keep_the_limit(slow_site: Path, tmp_path: Path) -> None:
    """Scans run in a thread of a gunicorn worker, where no signal can stop a read."""
    env = {"FEEDSVC_READ_TIMEOUT": str(LIMIT)}
    with LiveServer(slow_site, tmp_path / "live.db", tmp_path / "live.log", extra_env=env) as server:
        server.wait_for_catalog({served_guid(GOOD[0], "2024-05-01")})
        status, body, _ = server.get("/status")
        assert status == 200
        errors = json.loads(body)["last_scan"]["errors"]
        assert errors == [{"path": "world/heavy.rst",
                           "reason": REASON}]
        assert server.get("/healthz")[0] == 200


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "4000"])
def test_a_bad_time_limit_names_the_setting(value: str) -> None:
    with pytest.raises(ConfigError, match="FEEDSVC_READ_TIMEOUT"):
        load_settings(environ={"FEEDSVC_READ_TIMEOUT": value})


def test_a_scan_with_nothing_to_read_starts_no_reading_process(
    slow_site: Path, scan, monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = []
    start_child = reading._start_child
    monkeypatch.setattr(reading, "_start_child", lambda *args: started.append(1) or start_child(*args))
    assert scan(read_timeout=300).read == 2
    assert started == [1]
    assert scan(read_timeout=300).read == 0
    assert started == [1]

"""Shared fixtures: a temporary content folder, a catalog on disk, the real app."""

from __future__ import annotations

import html
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import feedparser
import pytest
from prometheus_client.parser import text_string_to_metric_families

from feedsvc.config import load_settings
from feedsvc.metrics import route_label
from feedsvc.scheduler import scan_once
from feedsvc.web import create_app

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BASE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No FEEDSVC_* setting or feedsvc.toml of the machine leaks into a test."""
    for key in list(os.environ):
        if key.startswith("FEEDSVC_") or key == "PORT":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.fixture
def config(tmp_path: Path, content: Path) -> dict[str, object]:
    return {
        "content_dir": content,
        "database": tmp_path / "instance" / "feedsvc.db",
        "base_url": BASE_URL,
        "title": "Example News",
    }


@pytest.fixture
def make_app(config: dict[str, object]) -> Callable[..., object]:
    def factory(**overrides: object):
        return create_app({**config, **overrides})

    return factory


@pytest.fixture
def scan(config: dict[str, object]) -> Callable[..., object]:
    def run(**overrides: object):
        return scan_once(load_settings(overrides={**config, **overrides}))

    return run


@pytest.fixture
def seeds() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed articles at {SEEDS} (a user's clone has no ../shared)")
    return files


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def age(*paths: Path, seconds: int = 86_400) -> None:
    """Move modification times into the past, as for files written long before a scan.

    A file modified within a second or two of a scan is read again by the next one.
    """
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def copy_seeds(seeds: list[Path], target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(seed, target / seed.name)) for seed in seeds]


def parse_feed(body: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


ATOM = "{http://www.w3.org/2005/Atom}"  # the Atom namespace, as lxml writes element names


def atom_text(element: Any) -> str:
    """The text of an Atom text construct (an lxml element): type="html" holds it escaped once more."""
    text = element.text or ""
    return html.unescape(text) if element.get("type") == "html" else text


def shown_text(value: str, detail: feedparser.FeedParserDict) -> str:
    """The text a reader shows for a feedparser value: HTML ones (type="html") unescaped."""
    return html.unescape(value) if detail.type == "text/html" else value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes, dict[str, str]]:
    """GET over real HTTP; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@contextmanager
def running_server(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Run `feedsvc serve` on a free 127.0.0.1 port until ready; yield its base URL; stop it."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "feedsvc", "serve", "--port", str(port)],
            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            status = 0
            while time.monotonic() < deadline and status != 200:
                time.sleep(0.2)
                try:
                    status = http_get(base + "/readyz", timeout=2)[0]
                except OSError:
                    assert process.poll() is None, log_path.read_text()
            assert status == 200, log_path.read_text()
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def metric_samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def route_of(app, path: str) -> str:
    """The label requests for a path are counted under: the URL rule the app matches, readable."""
    rule, _ = app.url_map.bind("localhost").match(path, return_rule=True)
    return route_label(str(rule.rule))

"""A real `feedsvc serve` process on 127.0.0.1 for end-to-end tests: start, fetch, read its log, stop."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.feeds import parse_feed

# An access log line (feedsvc.logs.ACCESS_FORMAT): ... "GET /path HTTP/1.1" 304 0 "-" "agent" 1ms
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<target>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+ "[^"]*" "(?P<agent>[^"]*)"'
)


Answer = tuple[int, bytes, dict[str, str]]
AUTHORITY = "127.0.0.1"  # host of the base URL `feedsvc serve` derives from the address served


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def served_guid(path: str, date: str) -> str:
    """The id a LiveServer gives the article at path (content-relative) dated date."""
    return f"tag:{AUTHORITY},{date}:/{path.rsplit('.', 1)[0]}"


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> Answer:
    """GET a URL; HTTP errors are answers too, returned rather than raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def run_feedsvc(args: list[str], env: dict[str, str], timeout: float = 60, prefix: tuple[str, ...] = (),
                **options: object) -> subprocess.CompletedProcess[str]:
    """Run the `feedsvc` command in a process of its own (after a prefix command such as
    setpriv; options go to subprocess.run)."""
    return subprocess.run([*prefix, sys.executable, "-m", "feedsvc", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout, check=False, **options)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    """The command failed with one line of error holding every part, and no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for part in parts:
        assert part in errors[0], (part, errors[0])


class LiveServer:
    """`python -m feedsvc serve` in its own process group, its output in a log file."""

    def __init__(self, content: Path, database: Path, log: Path, workers: int = 1,
                 scan_interval: int = 1, extra_env: dict[str, str] | None = None,
                 options: tuple[str, ...] = ()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.env = {
            **os.environ,
            "FEEDSVC_CONTENT_DIR": str(content),
            "FEEDSVC_DATABASE": str(database),
            "FEEDSVC_SCAN_INTERVAL": str(scan_interval),
            **(extra_env or {}),
        }
        self.workers = workers
        self.options = options  # more options of `feedsvc serve`
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout: float = 60, wait: bool = True) -> LiveServer:
        """Start the server; unless wait is false, return once /readyz answers 200."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "feedsvc", "serve", "--port", str(self.port),
                 "--workers", str(self.workers), *self.options],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        if wait:
            self.wait_ready(ready_timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            try:
                if fetch(self.base + "/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server not ready after {timeout}s:\n{self.log()}")

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return fetch(self.base + path, headers)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def traceback(self) -> str:
        """The first traceback in the server's log with the lines before it ('' if none)."""
        log = self.log()
        start = log.find("Traceback")
        return "" if start < 0 else log[max(0, log.rfind("\n", 0, max(0, start - 1500))):start + 4000]

    def access_log(self, since: int = 0) -> list[re.Match[str]]:
        """Access-log lines written after byte offset `since` of the log file."""
        text = self.log_path.read_bytes()[since:].decode("utf-8", errors="replace")
        return [match for match in map(ACCESS_LINE.search, text.splitlines()) if match]

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def statuses(self, since: int, agent: str, expected: int, timeout: float = 10) -> dict[str, list[int]]:
        """Statuses of the requests of one client (its User-Agent prefix), per path, from the
        access log after offset `since`. gunicorn writes a request's log line after answering
        it, so this waits for `expected` of them."""
        deadline = time.monotonic() + timeout
        while True:
            seen: dict[str, list[int]] = {}
            for line in self.access_log(since):
                if line["agent"].startswith(agent):
                    seen.setdefault(line["target"], []).append(int(line["status"]))
            if sum(map(len, seen.values())) >= expected or time.monotonic() > deadline:
                return seen
            time.sleep(0.1)

    def wait_for_catalog(self, expected: set[str] | dict[str, str], timeout: float = 30) -> None:
        """Poll until the all-entries feed carries exactly these ids (a dict: these ids with these
        titles, for an edit that keeps every id), then let every worker see it."""
        deadline = time.monotonic() + timeout
        found: dict[str, str] = {}
        while time.monotonic() < deadline:
            status, body, _ = self.get("/feeds/atom.xml")
            found = {entry.id: entry.title for entry in parse_feed(body).entries} if status == 200 else {}
            if (found if isinstance(expected, dict) else set(found)) == expected:
                if self.workers > 1:
                    time.sleep(1.5)  # the other workers check the catalog version every half second
                return
            time.sleep(0.3)
        raise AssertionError(f"scan did not publish the change: {found} instead of {expected}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal the whole process group (master and workers) and wait for the master."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if sig == signal.SIGKILL:
            _wait_group_gone(self.process.pid)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _wait_group_gone(pgid: int, timeout: float = 10) -> None:
    """After SIGKILL of a group, wait until no process of it is left (workers die with it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


@dataclass(frozen=True)
class RawAnswer:
    """One answer read off a socket."""

    status: int
    headers: dict[str, str]  # names lowercased
    body: bytes


def raw_request(target: str = "/feeds/atom.xml", method: str = "GET", headers: tuple[str | bytes, ...] = (),
                version: str = "HTTP/1.1", host: bool = True, close: bool = True) -> bytes:
    """A request's bytes exactly as given (an HTTP library would normalize or refuse them)."""
    lines = [f"{method} {target} {version}".encode("latin-1")]
    lines += [b"Host: feeds.example"] if host else []
    lines += [line if isinstance(line, bytes) else line.encode("latin-1") for line in headers]
    lines += [b"Connection: close"] if close else []
    return b"\r\n".join(lines) + b"\r\n\r\n"


def exchange(port: int, data: bytes, timeout: float = 10, source: str = "127.0.0.1") -> list[RawAnswer]:
    """Send raw bytes from a loopback address, read until the server closes, and split the
    answers it sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):  # the server answered and closed early
            pass
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return parse_answers(received)


def parse_answers(data: bytes) -> list[RawAnswer]:
    """The answers in bytes read off a connection, each cut at its Content-Length."""
    answers = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, data[:300]
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in
                   (line.partition(":") for line in header_lines)}
        length = int(headers.get("content-length", len(rest)))
        answers.append(RawAnswer(int(status_line.split()[1]), headers, rest[:length]))
        data = rest[length:]
    return answers


def debian_command(package: str, command: str) -> str:
    """Return a command's path, installing its Debian package when it is absent (as root)."""
    found = shutil.which(command)
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.skip(f"{command} is not installed and cannot be: needs apt-get run as root")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    install = [apt, *lock, "install", "-y", "-q", "--no-install-recommends", package]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, capture_output=True, timeout=600).returncode != 0:
        subprocess.run([apt, *lock, "update", "-q"], env=env, capture_output=True, timeout=600)
        result = subprocess.run(install, env=env, capture_output=True, timeout=600, text=True)
        if result.returncode != 0:
            pytest.skip(f"{package} could not be installed: {result.stderr.strip()[-300:]}")
    found = shutil.which(command)
    if not found:
        pytest.skip(f"{package} package installed but no {command} command on PATH")
    return found

"""Run the app under gunicorn (gthread workers), the production server behind `feedsvc serve`."""

from __future__ import annotations

import errno
import glob
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.errors import AppImportError

from .config import Settings
from .logs import ACCESS_FORMAT, LOG_FORMAT, PROBE_PATHS


class ListenError(OSError):
    """The address and port cannot be listened on; the message says why and what to do."""


class FeedServer(BaseApplication):  # type: ignore[misc]
    """gunicorn making the app in each worker, after the fork (no preload), from the settings
    `feedsvc serve` loaded and checked once: workers inherit the object, not variables.

    load_app: another app to serve in the same way (bench/serve.py's reference app).
    """

    def __init__(self, options: dict[str, Any], settings: Settings, metrics_dir: Path | None = None,
                 load_app: Callable[[], Any] | None = None):
        self.options = options
        self.settings = settings  # read by the worker class too (worker.py)
        self.metrics_dir = metrics_dir
        self.load_app = load_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        if self.load_app is not None:
            return self.load_app()
        from .errors import CatalogError
        from .web import create_app  # imports prometheus_client: in the worker, never the master

        try:
            return create_app(self.settings, scheduler=self.settings.scan, metrics_dir=self.metrics_dir)
        except CatalogError as exc:  # gunicorn prints it in one line, then stops
            raise AppImportError(str(exc)) from None


class GunicornLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's error and access logs in feedsvc's one format, without health probes."""

    error_fmt = LOG_FORMAT
    access_fmt = LOG_FORMAT
    datefmt = None  # logging's default, as in feedsvc's own lines

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if environ.get("PATH_INFO") in PROBE_PATHS:
            return
        super().access(resp, req, environ, request_time)


# Where workers keep their metric values so /metrics can sum them. prometheus_client reads
# this variable itself, once, when a worker imports it: the only setting that travels through
# the environment, set here only (before the fork); the app is handed the folder.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

# A server's own metrics folder is named after its host and its master's process id, so the
# next start can tell the folders of masters that were killed (SIGKILL, the OOM killer: no
# `finally` ran) from those of servers still running; those of other hosts (containers sharing
# a /tmp, whose process ids this one cannot see) are left alone.
METRICS_PREFIX = "feedsvc-metrics-"


def _metrics_dir() -> tuple[Path, bool]:
    """Return the folder for worker metrics, emptied, and whether this server created it."""
    configured = os.environ.get(METRICS_DIR_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):  # counts of an earlier run would be added to ours
            stale.unlink()
        return folder, False
    _remove_orphaned_metrics(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=f"{_own_prefix()}{os.getpid()}-"))
    os.environ[METRICS_DIR_ENV] = str(folder)
    return folder, True


def _own_prefix() -> str:
    return f"{METRICS_PREFIX}{socket.gethostname()}-"


def _remove_orphaned_metrics(temp: Path) -> None:
    """Remove the metrics folders of this user's servers on this host whose master is gone."""
    for folder in temp.glob(glob.escape(_own_prefix()) + "*-*"):
        pid = folder.name[len(_own_prefix()):].partition("-")[0]
        try:
            ours = folder.lstat().st_uid == os.getuid() and folder.is_dir() and not folder.is_symlink()
        except OSError:  # removed meanwhile by another server starting
            continue
        # an id of ours is a killed master's whose id came round again (containers start at 1)
        if ours and pid.isdigit() and (int(pid) == os.getpid() or not _running(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or no id we can ask about: not ours to judge
    return True


def check_port(host: str, port: int) -> None:
    """Bind the address as gunicorn will, and let go: a busy port is one clear error, not
    gunicorn's minute of retries."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = port + 1 if port < 65535 else port - 1
                raise ListenError(
                    f"port {port} on {host} is already in use (another feedsvc serve, or another "
                    f"program); pick a free one with --port {other} or PORT={other}"
                ) from None
            if exc.errno == errno.EACCES:
                raise ListenError(f"not allowed to listen on port {port} (ports below 1024 need "
                                  "privileges); pick one above 1023 with --port or PORT") from None
            raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                              "check --host (an address of this machine)") from None


def run(settings: Settings, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until stopped (`feedsvc serve` has checked the port with check_port)."""
    metrics_dir, created = _metrics_dir()
    master = os.getpid()
    try:
        FeedServer(options(host, port, workers, threads), settings, metrics_dir).run()
    finally:
        if created and os.getpid() == master:  # workers leave through here too
            shutil.rmtree(metrics_dir, ignore_errors=True)


def options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of `feedsvc serve` (bench/serve.py gives its reference app the same)."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "feedsvc.worker.DeadlineThreadWorker",  # gthread with slow-client deadlines
        "preload_app": False,  # the scheduler must start after the fork
        "control_socket_disable": True,  # several servers may run side by side
        "accesslog": "-",
        "access_log_format": ACCESS_FORMAT,
        "logger_class": "feedsvc.server.GunicornLogger",  # one format for all logs, no health probes
        "timeout": 60,
        "graceful_timeout": 10,
        "worker_exit": _stop_schedules,
    }


def _stop_schedules(_arbiter: Any, _worker: Any) -> None:
    """gunicorn's hook in a worker that is exiting: its scan schedule stops first (see
    scheduler.stop_running). A worker that never scheduled scans never imported the module."""
    scheduler = sys.modules.get("feedsvc.scheduler")
    if scheduler is not None:
        scheduler.stop_running()

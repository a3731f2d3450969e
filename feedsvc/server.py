"""Run the app under gunicorn (gthread workers), the production server behind `feedsvc serve`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication


class FeedServer(BaseApplication):  # type: ignore[misc]
    """gunicorn loading create_app() in each worker, after the fork (no preload)."""

    def __init__(self, options: dict[str, Any], load_app: Callable[[], Any] | None = None):
        self.options = options
        self.load_app = load_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        if self.load_app is not None:
            return self.load_app()
        from .web import create_app

        return create_app()


# Where workers keep their metric values so /metrics can sum them. Set here, before any
# worker imports prometheus_client, which reads it once at import.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _metrics_dir() -> tuple[Path, bool]:
    """Return the folder for worker metrics, emptied, and whether this server created it."""
    configured = os.environ.get(METRICS_DIR_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):  # counts of an earlier run would be added to ours
            stale.unlink()
        return folder, False
    folder = Path(tempfile.mkdtemp(prefix="feedsvc-metrics-"))
    os.environ[METRICS_DIR_ENV] = str(folder)
    return folder, True


def run(host: str, port: int, workers: int, threads: int) -> None:
    metrics_dir, created = _metrics_dir()
    master = os.getpid()
    try:
        FeedServer(options(host, port, workers, threads)).run()
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
        "timeout": 60,
        "graceful_timeout": 10,
    }

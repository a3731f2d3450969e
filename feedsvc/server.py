"""Run the app under gunicorn (gthread workers), the production server behind `feedsvc serve`."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class FeedServer(BaseApplication):  # type: ignore[misc]
    """gunicorn loading create_app() in each worker, after the fork (no preload)."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .web import create_app

        return create_app()


def run(host: str, port: int, workers: int, threads: int) -> None:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    FeedServer({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": False,  # the scheduler must start after the fork
        "control_socket_disable": True,  # several servers may run side by side
        "accesslog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
    }).run()

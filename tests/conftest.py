"""Shared fixtures: a temporary content folder, a catalog on disk (or on PostgreSQL), the real app.

A module marked both_catalogs runs each test using config twice, on SQLite and on PostgreSQL
(a test marked sqlite_only, which reads or writes the SQLite file, on SQLite alone).

Shared functions and classes are in helpers/."""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.content import BASE_URL, SEEDS
from helpers.postgres import BACKENDS, PostgresServer, bin_dir, unprivileged_user
from helpers.server import free_port

from feedsvc.config import load_settings
from feedsvc.scan import scan_once
from feedsvc.web import create_app


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
def config(tmp_path: Path, content: Path, request: pytest.FixtureRequest) -> dict[str, object]:
    on_postgresql = "catalog" in request.fixturenames and request.getfixturevalue("catalog") == "postgresql"
    database = request.getfixturevalue("pg_url") if on_postgresql else tmp_path / "instance" / "feedsvc.db"
    return {
        "content_dir": content,
        "database": database,
        "base_url": BASE_URL,
        "title": "Example News",
    }


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_catalogs") and "config" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.fixturenames.append("catalog")
        metafunc.parametrize("catalog", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True)


@pytest.fixture
def catalog(request: pytest.FixtureRequest) -> str:
    """The backend of a both_catalogs test's catalog."""
    return str(request.param)


_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL (skipped, saying why, where it is not installed or cannot start)."""
    programs, runner = bin_dir(), unprivileged_user()
    if programs is None:
        pytest.skip("PostgreSQL is not installed (no pg_ctl on PATH nor in /usr/lib/postgresql/*/bin): "
                    "the PostgreSQL catalog's tests need its server, e.g. Debian's postgresql package")
    if runner is None:
        pytest.skip("running as root with no 'postgres' nor 'nobody' user: initdb refuses root")
    try:
        server = PostgresServer(programs, runner, free_port())
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"PostgreSQL's initdb failed: {getattr(exc, 'stderr', '') or exc}")
    atexit.register(server.remove)  # even when the session is cut short:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # by a kill too, not only Ctrl-C
    try:
        server.start()
    except (subprocess.SubprocessError, OSError) as exc:
        server.remove()
        pytest.skip(f"PostgreSQL did not start: {getattr(exc, 'stderr', '') or exc}")
    yield server
    server.remove()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    from feedsvc.store.pg_session import POOLS

    name = f"catalog_{next(_database_numbers)}"
    postgres_server.admin(f"CREATE DATABASE {name}")
    yield postgres_server.url(name)
    POOLS.close(postgres_server.url(name))
    postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def make_app(config: dict[str, object]) -> Callable[..., object]:
    def factory(**overrides: object):
        return create_app(load_settings(overrides={**config, **overrides}))

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

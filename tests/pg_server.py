"""The suite's PostgreSQL server (pg_cluster), and fixtures running tests on both catalogs.

The server is started once per session on a free port and removed at the end; where
PostgreSQL is not installed, or cannot start, the tests that need it are skipped, saying why.

A module runs its tests using config on both catalogs with
    from pg_server import backend, backend_config, parametrize_backends, pg_url, postgres_server
    pytest_generate_tests = parametrize_backends
(a test marked sqlite_only runs on SQLite alone).
"""

from __future__ import annotations

import atexit
import itertools
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from helpers.server import free_port
from pg_cluster import PostgresServer, bin_dir, unprivileged_user

BACKENDS = ("sqlite", "postgresql")
_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
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
    name = f"catalog_{next(_database_numbers)}"
    postgres_server.admin(f"CREATE DATABASE {name}")
    yield postgres_server.url(name)
    from feedsvc.store.postgres import POOLS

    POOLS.close(postgres_server.url(name))
    postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(name="config")
def backend_config(config: dict[str, object], backend: str,
                   request: pytest.FixtureRequest) -> dict[str, object]:
    """The test's settings, with its catalog on this backend."""
    if backend == "postgresql":
        return {**config, "database": request.getfixturevalue("pg_url")}
    return config


def parametrize_backends(metafunc: pytest.Metafunc) -> None:
    """Run each test using config on both catalogs, a test marked sqlite_only on SQLite's."""
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True)


def wait_for(condition: Callable[[], object], seconds: float = 15) -> bool:
    """Whether condition holds within seconds (polled every 50 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True

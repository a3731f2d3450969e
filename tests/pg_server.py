"""A PostgreSQL server of the suite's own, and fixtures running tests on both catalogs.

The server is started once per session in a temporary folder, on a free port of 127.0.0.1,
by an unprivileged user (initdb refuses root: as root, the tests run it as 'postgres' or
'nobody'), and stopped at the end (pg_ctl stop, then the postmaster's PID if that fails).
initdb looks its user up: where /etc is closed to other users, its programs run in a mount
namespace of their own whose /etc holds only a passwd and a group file naming that user.
Where PostgreSQL is not installed the tests that need it are skipped, saying so.

A module runs its tests using config on both catalogs with
    from pg_server import backend, backend_config, parametrize_backends, pg_url, postgres_server
    pytest_generate_tests = parametrize_backends
(a test marked sqlite_only runs on SQLite alone).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.server import free_port

BACKENDS = ("sqlite", "postgresql")
USER = "feedsvc"  # the server's superuser, trusted on 127.0.0.1 and its socket
_database_numbers = itertools.count()


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(installed[-1]).parent if installed else None


def _unprivileged() -> pwd.struct_passwd | None:
    """Who runs the server: this user, unless it is root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


class PostgresServer:
    """One PostgreSQL cluster in a folder of its own; start() and stop() may repeat."""

    def __init__(self, bin_dir: Path, runner: pwd.struct_passwd):
        self.bin_dir, self.runner = bin_dir, runner
        self.folder = Path(tempfile.mkdtemp(prefix="feedsvc-pg-"))
        os.chown(self.folder, runner.pw_uid, runner.pw_gid)
        self.data = self.folder / "data"
        self.port = free_port()
        self.etc = self._user_files() if os.geteuid() == 0 and not os.stat("/etc").st_mode & 0o005 else None
        try:
            self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _user_files(self) -> Path:
        etc = self.folder / "etc"
        etc.mkdir(mode=0o755)
        runner = self.runner
        (etc / "passwd").write_text(f"root:x:0:0::/root:/bin/sh\n{runner.pw_name}:x:{runner.pw_uid}:"
                                    f"{runner.pw_gid}::{self.folder}:/bin/sh\n")
        (etc / "group").write_text(f"root:x:0:\n{runner.pw_name}:x:{runner.pw_gid}:\n")
        return etc

    def _run(self, program: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command, as_runner = [str(self.bin_dir / program), *args], {}
        if self.etc is not None:
            switch = 'mount --bind "$1" /etc && shift && exec setpriv "$@"'
            command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", switch, "sh",
                       str(self.etc), f"--reuid={self.runner.pw_uid}", f"--regid={self.runner.pw_gid}",
                       "--clear-groups", *command]
        elif os.geteuid() == 0:
            as_runner = {"user": self.runner.pw_uid, "group": self.runner.pw_gid, "extra_groups": []}
        return subprocess.run(command, cwd=self.folder, capture_output=True, text=True, timeout=timeout,
                              check=True, **as_runner)  # type: ignore[arg-type]

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server: a fast shutdown, else a kill of the postmaster."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
        except (subprocess.SubprocessError, OSError):
            self._kill()

    def _kill(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return  # not running
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(statement)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir, runner = _bin_dir(), _unprivileged()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no pg_ctl on PATH nor in /usr/lib/postgresql/*/bin): "
                    "the PostgreSQL catalog's tests need its server, e.g. Debian's postgresql package")
    if runner is None:
        pytest.skip("running as root with no 'postgres' nor 'nobody' user: initdb refuses root")
    try:
        server = PostgresServer(bin_dir, runner)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"PostgreSQL's initdb failed: {getattr(exc, 'stderr', '') or exc}")
    atexit.register(server.remove)  # even when the session is cut short
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

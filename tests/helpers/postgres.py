"""A throwaway PostgreSQL cluster (the test suite's, bench/postgres.py's), and waiting on it.

It lives in a temporary folder, listens on 127.0.0.1 and in that folder, and is run by an
unprivileged user (initdb refuses root: as root, by 'postgres' or 'nobody'). stop() is a
fast shutdown, else a kill of the postmaster; remove() also deletes the folder. initdb
looks its user up: where /etc is closed to other users, the programs run in a mount
namespace of their own whose /etc holds only a passwd and a group file naming that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BACKENDS = ("sqlite", "postgresql")  # the catalogs a test marked both_catalogs runs on
USER = "feedsvc"  # the server's superuser, trusted on 127.0.0.1 and its socket


def bin_dir() -> Path | None:
    """Where PostgreSQL's programs are, if it is installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(installed[-1]).parent if installed else None


def unprivileged_user() -> pwd.struct_passwd | None:
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

    def __init__(self, bin_dir: Path, runner: pwd.struct_passwd, port: int):
        self.bin_dir, self.runner, self.port = bin_dir, runner, port
        self.folder = Path(tempfile.mkdtemp(prefix="feedsvc-pg-"))
        os.chown(self.folder, runner.pw_uid, runner.pw_gid)
        self.data = self.folder / "data"
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


def wait_for(condition: Callable[[], object], seconds: float = 15) -> bool:
    """Whether condition holds within seconds (polled every 50 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True

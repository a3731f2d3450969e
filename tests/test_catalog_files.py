"""The catalog's files: private to the user running feedsvc, marked as feedsvc's, and every
trouble with them refused in one line naming FEEDSVC_DATABASE, through the real command."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.content import write
from helpers.server import assert_one_line_error, free_port, run_feedsvc

from feedsvc.catalog_files import lock_path
from feedsvc.config import load_settings
from feedsvc.scan import scan_once
from feedsvc.schema import APPLICATION_ID
from feedsvc.store import Store

OTHER_USER = "nobody"
COMMANDS = (["scan"], ["build", "site"], ["serve"])  # serve stops before gunicorn starts


def with_free_port(command: list[str]) -> list[str]:
    return [*command, "--port", str(free_port())] if command == ["serve"] else command


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def as_other_user(code: str, *args: str) -> subprocess.Popen[str]:
    """Run Python code as another local user (only root can), with the system's Python."""
    if os.geteuid() != 0:
        pytest.skip("acting as another user needs root")
    if not os.access("/usr/bin/python3", os.X_OK):
        pytest.skip("no system Python (/usr/bin/python3) for another user to run")
    return subprocess.Popen(["/usr/bin/python3", "-c", code, *args],
                            user=OTHER_USER, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def catalog_files(database: Path) -> list[Path]:
    names = [database, Path(f"{database}-wal"), Path(f"{database}-shm"),
             lock_path(database, "scan"), lock_path(database, "leader")]
    return [path for path in names if path.exists()]


@pytest.fixture
def env(content: Path, tmp_path: Path) -> dict[str, str]:
    write(content, "news/a.txt", "date 2024-03-01 First\n\nText.\n")
    return {"FEEDSVC_CONTENT_DIR": str(content), "FEEDSVC_DATABASE": str(tmp_path / "data" / "feeds.db"),
            "FEEDSVC_BASE_URL": "https://news.example.org"}


def test_a_new_catalog_is_private_and_marked_as_ours(env, tmp_path: Path) -> None:
    result = run_feedsvc(["scan"], env)
    assert result.returncode == 0, result.stderr
    database = Path(env["FEEDSVC_DATABASE"])
    assert mode(database.parent) == 0o700
    files = catalog_files(database)
    # SQLite removes the -wal file when the last connection closes, so it may be gone by now;
    # when present it was created, as SQLite creates it, with the database's mode.
    assert database in files and lock_path(database, "scan") in files
    assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def _as_earlier_version(database: Path) -> None:
    """Leave the catalog as versions before this one did: 0755 folder, 0644 files, no mark."""
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA application_id = 0")
    os.chmod(database.parent, 0o755)
    for path in catalog_files(database):
        os.chmod(path, 0o644)


def test_an_earlier_catalog_is_tightened_and_marked_keeping_its_entries(env) -> None:
    assert run_feedsvc(["scan"], env).returncode == 0
    database = Path(env["FEEDSVC_DATABASE"])
    slugs_before = Store(database).article_slugs()
    _as_earlier_version(database)
    result = run_feedsvc(["scan"], env)
    assert result.returncode == 0, result.stderr
    assert mode(database.parent) == 0o700
    assert {path.name: mode(path) for path in catalog_files(database)} == {
        path.name: 0o600 for path in catalog_files(database)}
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert Store(database).article_slugs() == slugs_before == ["news-a"]


def test_a_lock_held_through_a_readable_old_lock_file_stops_no_scan(env) -> None:
    """Anyone could open the old 0644 lock file read-only and hold its lock: the file is
    replaced by a private one, so such a handle locks nothing feedsvc uses."""
    settings = load_settings(overrides={"content_dir": env["FEEDSVC_CONTENT_DIR"],
                                        "database": env["FEEDSVC_DATABASE"]})
    scan_once(settings)
    database = settings.database
    _as_earlier_version(database)
    old_lock = lock_path(database, "scan")
    handle = os.open(old_lock, os.O_RDONLY)  # as any local user could
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_feedsvc(["scan"], env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert os.fstat(handle).st_ino != old_lock.stat().st_ino
    finally:
        os.close(handle)
    assert mode(old_lock) == 0o600


def test_another_user_can_open_none_of_the_catalog_files(env) -> None:
    assert run_feedsvc(["scan"], env).returncode == 0
    database = Path(env["FEEDSVC_DATABASE"])
    # the folder is opened up so that only the files' own modes stand in the way
    os.chmod(database.parent, 0o755)
    opener = "import sys\nfor path in sys.argv[1:]:\n" \
             "    try:\n        open(path, 'rb')\n        print('opened', path)\n" \
             "    except PermissionError:\n        print('refused', path)\n"
    files = [str(path) for path in catalog_files(database)]
    out, err = as_other_user(opener, *files).communicate(timeout=30)
    assert out.split("\n")[:-1] == [f"refused {path}" for path in files], err
    # the WAL and its index are checked when there: the last connection closed may remove both
    assert {str(database), str(lock_path(database, "scan"))} <= set(files)


def test_a_lock_file_of_another_user_is_refused(env, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    database = Path(env["FEEDSVC_DATABASE"])
    assert run_feedsvc(["scan"], env).returncode == 0
    os.chown(lock_path(database, "scan"), 65534, 65534)  # nobody
    result = run_feedsvc(["scan"], env)
    assert_one_line_error(result, f"FEEDSVC_DATABASE={database}", str(lock_path(database, "scan")),
                          "belongs to another user (uid 65534)")


# -- database trouble, through each command ------------------------------------------------


def _random_bytes(database: Path) -> str:
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(hashlib.sha512(b"not a database").digest() * 64)
    return "is not an SQLite database (file is not a database)"


def _other_application(database: Path) -> str:
    database.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE invoices (number INTEGER PRIMARY KEY, total REAL)")
        db.execute("CREATE TABLE files (path TEXT)")  # one name in common with feedsvc's
        db.execute("INSERT INTO invoices VALUES (1, 9.5)")
    return "is another application's SQLite database (tables: files, invoices)"


def _damaged_page(database: Path) -> str:
    settings = load_settings(overrides={"database": database, "content_dir": database.parent})
    Store(settings.database).close()
    db = sqlite3.connect(database, isolation_level=None)  # a catalog of several pages
    db.execute("CREATE TABLE padding (x)")
    db.executemany("INSERT INTO padding VALUES (?)", [("x" * 3000,) for _ in range(40)])
    db.close()  # the last connection copies the WAL into the file and removes it
    with database.open("r+b") as file:
        file.seek(4096 * 4)
        file.write(b"\xde\xad\xbe\xef" * 1024)
    return "is damaged ("


CASES = {"random bytes": _random_bytes, "another application": _other_application,
         "damaged page": _damaged_page}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
@pytest.mark.parametrize("case", sorted(CASES))
def test_database_trouble_is_one_line_naming_the_setting(env, tmp_path: Path, command, case) -> None:
    database = Path(env["FEEDSVC_DATABASE"])
    problem = CASES[case](database)
    before = database.read_bytes()
    result = run_feedsvc(with_free_port(command), env, cwd=tmp_path, timeout=60)
    assert_one_line_error(result, f"FEEDSVC_DATABASE={database} {problem}")
    assert "Worker failed to boot" not in result.stderr
    assert database.read_bytes() == before  # untouched
    assert not Path(f"{database}-wal").exists()
    assert not (tmp_path / "site").exists()


def test_another_applications_file_keeps_its_tables_and_journal(env, tmp_path: Path) -> None:
    database = Path(env["FEEDSVC_DATABASE"])
    _other_application(database)
    assert run_feedsvc(["scan"], env).returncode == 1
    with sqlite3.connect(database) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master ORDER BY name")]
        assert tables == ["files", "invoices"]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("SELECT * FROM invoices").fetchall() == [(1, 9.5)]


@pytest.fixture
def unwritable_folder() -> Iterator[tuple[Path, tuple[str, ...]]]:
    """A 0555 folder, and the prefix that runs a command bound by its mode: root writes
    anywhere unless it gives up overriding file modes (setpriv)."""
    folder = Path(tempfile.mkdtemp(prefix="feedsvc-unwritable-"))
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores folder modes, and setpriv (util-linux) is not installed")
        prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--")
    os.chmod(folder, 0o555)
    try:
        yield folder, prefix
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_an_unwritable_folder_is_named_with_the_fix(unwritable_folder, content: Path, tmp_path: Path,
                                                    command) -> None:
    folder, prefix = unwritable_folder
    write(content, "a.txt", "date 2024-03-01 First\n\nText.\n")
    database = folder / "catalog" / "feeds.db"
    env = {"FEEDSVC_CONTENT_DIR": str(content), "FEEDSVC_DATABASE": str(database),
           "FEEDSVC_BASE_URL": "https://news.example.org"}
    result = run_feedsvc(with_free_port(command), env, prefix=prefix, cwd=tmp_path)
    assert_one_line_error(result, f"FEEDSVC_DATABASE={database}: cannot create or write the catalog",
                          f"make {folder / 'catalog'} writable by this user")
    assert not database.exists() and not (tmp_path / "site").exists()


def test_a_file_in_the_way_of_the_folder_is_named(env, tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file, not a folder")
    result = run_feedsvc(["scan"], env)
    assert_one_line_error(result, f"FEEDSVC_DATABASE={tmp_path / 'data' / 'feeds.db'}: "
                                  f"{tmp_path / 'data'} cannot be a folder")

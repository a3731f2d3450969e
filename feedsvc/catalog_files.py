"""The catalog's files on disk: private to the user running feedsvc, and named in every error.

The database folder is created 0700 and every file in it 0600: the database, its WAL and
shared-memory files (SQLite gives them the database file's mode) and the lock files. Another
local user can neither read the catalog nor open a lock file; flock needs no write access,
so a lock file anyone can open is one anyone can hold to stop all scanning. Files left
0644 by earlier versions are tightened when the catalog is opened; a lock file others could
open is replaced by a new one (a handle opened on the old file locks nothing we use).

Every problem is a CatalogError: one line naming FEEDSVC_DATABASE, what is wrong and the fix.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from pathlib import Path

from .errors import CatalogError

LOCK_NAMES = ("scan", "leader")
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
REBUILD_HINT = (
    "the next scan rebuilds the catalog from the content folder, with the same ids except for "
    "articles without a date (theirs came from the time they were first seen) and ids kept "
    "since a change of date or base URL (docs/operations.md: 'The catalog')"
)


def lock_path(database: Path, name: str) -> Path:
    return Path(f"{database}.{name}.lock")


def catalog_error(database: Path, exc: BaseException) -> CatalogError:
    """The one-line message for an error met opening or using the catalog."""
    where = f"FEEDSVC_DATABASE={database}"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in reason or "encrypted" in reason):
        return CatalogError(f"{where} is not an SQLite database ({reason}); feedsvc leaves it "
                            "untouched: set FEEDSVC_DATABASE to feedsvc's catalog or to a new file")
    if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in reason or "corrupt" in reason):
        return damaged(database, reason)
    if isinstance(exc, OSError) or any(
        sign in reason for sign in ("unable to open", "readonly", "disk I/O", "read-only")
    ):
        return CatalogError(f"{where}: cannot create or write the catalog ({reason}): make "
                            f"{database.parent} writable by this user, or set FEEDSVC_DATABASE to a "
                            "writable path")
    return CatalogError(f"{where}: {reason}")


def damaged(database: Path, detail: str) -> CatalogError:
    detail = " ".join(detail.replace("*** in database main ***", "").split())[:200]
    return CatalogError(f"FEEDSVC_DATABASE={database} is damaged ({detail}): stop feedsvc and move "
                        f"it away with its -wal and -shm files; {REBUILD_HINT}")


def foreign(database: Path, tables: list[str]) -> CatalogError:
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return CatalogError(f"FEEDSVC_DATABASE={database} is another application's SQLite database "
                        f"(tables: {shown or 'none'}); feedsvc leaves it untouched: set "
                        "FEEDSVC_DATABASE to a new file for feedsvc's catalog")


def prepare(database: Path) -> None:
    """Create the catalog's folder (0700) and an empty database file (0600) if missing."""
    _private_folder(database)
    try:  # created here: SQLite would create it 0644, and its WAL and SHM files alike
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
    except FileExistsError:
        pass


def tighten(database: Path) -> None:
    """Make the files of an earlier version's catalog 0600 (once the file is known to be ours)."""
    for suffix in SQLITE_SUFFIXES:
        _tighten(Path(f"{database}{suffix}"))


def renew_locks(database: Path) -> None:
    """Replace lock files others could open. Called inside a write transaction of the catalog,
    so two processes never replace one lock file in turn (each would lock its own file)."""
    for name in LOCK_NAMES:
        _renew_lock(database, lock_path(database, name))


def _private_folder(database: Path) -> None:
    folder = database.parent
    if not folder.is_dir():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise CatalogError(f"FEEDSVC_DATABASE={database}: {folder} cannot be a folder, a file "
                               "is in the way: set FEEDSVC_DATABASE to a path in a folder") from None
        os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask; 0700 is the most it keeps
        return
    info = folder.stat()
    # A folder an earlier version created (it holds nothing but the catalog's files) is
    # tightened; a shared folder (/tmp, say) is not ours to change: the files stay 0600.
    ours = info.st_uid == os.geteuid() and not info.st_mode & stat.S_ISVTX
    if ours and info.st_mode & 0o077 and all(
        child.name.startswith(database.stem) for child in folder.iterdir()
    ):
        os.chmod(folder, 0o700)


def _tighten(path: Path) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and info.st_mode & 0o077:
        os.chmod(path, 0o600)


def _renew_lock(database: Path, path: Path) -> None:
    """Replace a lock file others could open (or a link) by a new private one."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode) and info.st_uid != os.geteuid():
        raise _lock_owned_by(database, path, info.st_uid)
    if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077:
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # 0600
    os.close(fd)
    os.replace(temporary, path)  # rename: a handle on the old file locks nothing we use


def _lock_owned_by(database: Path, path: Path, uid: int) -> CatalogError:
    return CatalogError(
        f"FEEDSVC_DATABASE={database}: the lock file {path} belongs to another user (uid {uid}), "
        f"who could hold it and stop all scanning: run feedsvc as the catalog's owner, or remove "
        "the file if nothing of that user should use this catalog"
    )


def open_lock(database: Path, name: str) -> int:
    """Open a lock file no one else can open (created 0600; an unsafe one is refused)."""
    path = lock_path(database, name)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise catalog_error(database, exc) from None
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o077:
        os.close(fd)
        if info.st_uid != os.geteuid():
            raise _lock_owned_by(database, path, info.st_uid)
        raise CatalogError(f"FEEDSVC_DATABASE={database}: the lock file {path} can be opened by "
                           f"other users (mode {oct(info.st_mode & 0o777)}): remove it")
    return fd


"""The output folder of `feedsvc build`, touched only through descriptors that never follow
a symbolic link.

Each path below OUT is a chain of real folders, opened one at a time relative to the
previous one (O_NOFOLLOW | O_DIRECTORY); files are read, written, renamed and removed
relative to their folder's descriptor. A link (or any non-folder) where a folder must be,
or a link or special file where a file is written, is refused, never followed: a link
placed inside OUT cannot make a build write or delete anything outside it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import ExportError

TEMP_SUFFIX = ".feedsvc-tmp"
READ_CHUNK = 1024 * 1024
FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO planted where a file is written must not hang the build at open.
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def _parts(out: Path, relative: str) -> tuple[str, ...]:
    """The names of a relative path inside out; anything that could climb out is refused."""
    path = PurePosixPath(relative)
    if not path.parts or path.is_absolute() or ".." in path.parts:
        raise ExportError(f"refusing to touch {relative!r}, outside {out}")
    return path.parts


def _close(chain: list[int]) -> None:
    for fd in chain:
        os.close(fd)


class OutputFolder:
    """OUT, opened once (a link at OUT itself is the user's choice and is followed)."""

    def __init__(self, out: Path):
        self.out = out
        self.fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    def close(self) -> None:
        os.close(self.fd)

    def _refuse(self, parts: tuple[str, ...], what: str) -> ExportError:
        return ExportError(f"{self.out.joinpath(*parts)} is {what}: feedsvc writes only real folders "
                           f"and files under {self.out}; remove it, or build into another folder")

    def _folders(self, parts: tuple[str, ...], create: bool) -> list[int] | None:
        """Descriptors of OUT and each folder of parts, in order (None if one is missing)."""
        chain = [os.dup(self.fd)]
        try:
            for depth, name in enumerate(parts, 1):
                if create:
                    with suppress(FileExistsError):
                        os.mkdir(name, dir_fd=chain[-1])
                try:
                    chain.append(os.open(name, FOLDER_FLAGS, dir_fd=chain[-1]))
                except FileNotFoundError:
                    _close(chain)
                    return None
                except OSError as exc:
                    if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                        raise
                    raise self._refuse(parts[:depth], "a symbolic link or not a folder") from None
        except BaseException:
            _close(chain)
            raise
        return chain

    def _open_file(self, folder: int, parts: tuple[str, ...]) -> int | None:
        """A descriptor of the regular file parts[-1] in folder; None when there is none."""
        try:
            fd = os.open(parts[-1], FILE_FLAGS, dir_fd=folder)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise self._refuse(parts, "a symbolic link") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise self._refuse(parts, "not a regular file")
        return fd

    def _digest(self, folder: int, parts: tuple[str, ...], size: int) -> str | None:
        """The SHA-256 of a regular file of this size; None when there is none, or it has
        another size (it differs)."""
        fd = self._open_file(folder, parts)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as file:
            if os.fstat(fd).st_size != size:
                return None
            digest = hashlib.sha256()
            while chunk := file.read(READ_CHUNK):
                digest.update(chunk)
            return digest.hexdigest()

    def read(self, relative: str) -> bytes | None:
        """A regular file's bytes; None when there is none."""
        parts = _parts(self.out, relative)
        chain = self._folders(parts[:-1], create=False)
        if chain is None:
            return None
        try:
            fd = self._open_file(chain[-1], parts)
        finally:
            _close(chain)
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as file:
            return file.read()

    def write_if_changed(self, relative: str, data: bytes) -> bool:
        """Replace the file with data by rename, unless it already holds exactly these bytes."""
        return self.replace_unless_same(relative, hashlib.sha256(data).hexdigest(), len(data),
                                        lambda file: file.write(data))

    def replace_unless_same(self, relative: str, digest: str, size: int,
                            write: Callable[[BinaryIO], object]) -> bool:
        """Unless the file holds bytes of this size and SHA-256, write them (by write) under a
        temporary name and rename it over the file; return whether it was written."""
        parts = _parts(self.out, relative)
        chain = self._folders(parts[:-1], create=True)
        assert chain is not None
        folder, name = chain[-1], parts[-1]
        try:
            if self._digest(folder, parts, size) == digest:
                return False
            temporary = f".{name}{TEMP_SUFFIX}"
            with suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)  # left by a build killed mid-write
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o666, dir_fd=folder)
            with os.fdopen(fd, "wb") as file:
                write(file)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
            return True
        finally:
            _close(chain)

    def remove(self, relative: str) -> None:
        """Delete a file and the folders it leaves empty, up to OUT."""
        parts = _parts(self.out, relative)
        chain = self._folders(parts[:-1], create=False)
        if chain is None:
            return
        try:
            with suppress(FileNotFoundError):
                os.unlink(parts[-1], dir_fd=chain[-1])  # a link itself, never what it points at
            for depth in range(len(parts) - 1, 0, -1):
                try:
                    os.rmdir(parts[depth - 1], dir_fd=chain[depth - 1])
                except OSError:  # not empty
                    break
        finally:
            _close(chain)

    def is_empty(self) -> bool:
        return not os.listdir(self.fd)

    def sweep(self, written: set[str]) -> list[str]:
        """Remove temporary files of a killed build; return the files feedsvc did not write.
        os.fwalk descends into no linked folder."""
        foreign = []
        for folder, _folders, files, folder_fd in os.fwalk(self.out):
            for name in sorted(files):
                relative = (Path(folder) / name).relative_to(self.out).as_posix()
                if name.endswith(TEMP_SUFFIX):
                    os.unlink(name, dir_fd=folder_fd)
                elif relative not in written:
                    foreign.append(relative)
        return sorted(foreign)

"""Files beside articles (images, audio, video, documents): which are published, and reading
them with the same confinement as articles.

A media file is any file under the content folder whose extension is in MEDIA_TYPES, not
hidden, not empty, at most FEEDSVC_MAX_MEDIA_SIZE bytes, and whose real path (symlinks
followed) stays inside the content folder. It is served at /media/<path> and written by
`feedsvc build` to the same path.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from .errors import MediaError
from .text import extension, is_hidden_name

MEDIA_PREFIX = "/media/"
MAX_MEDIA_PATH = 1024  # characters of a media path: longer ones are refused unread
# The allowlist: extension -> media type. Everything here is served as a download or shown
# by the browser as media; nothing a browser would run as a page (HTML, XML, JavaScript).
MEDIA_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml", ".ico": "image/x-icon",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg",
    ".oga": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac", ".wav": "audio/wav",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".mov": "video/quicktime",
    ".pdf": "application/pdf", ".epub": "application/epub+zip", ".zip": "application/zip",
    ".csv": "text/csv",
}
# SVG is a document that may hold scripts: it is served with a sandbox policy.
SANDBOXED_TYPES = {"image/svg+xml"}
TIMED_TYPES = ("audio/", "video/")  # whose duration is read from the file


@dataclass(frozen=True)
class MediaFile:
    """A published media file: its content-relative path, real path and stat."""

    path: str
    real: str
    type: str
    size: int
    mtime_ns: int
    inode: tuple[int, int]  # (st_dev, st_ino): the file checked is the file opened


def media_type(path: str) -> str | None:
    """The media type of a file name, or None when it is not a media file."""
    return MEDIA_TYPES.get(extension(path))


def media_url(base_url: str, path: str) -> str:
    """The absolute URL a media file is served at."""
    return base_url + MEDIA_PREFIX + quote(path, safe="/-._~")


def clean_path(path: str) -> str:
    """A content-relative path without '.', '..' or empty parts; MediaError if it climbs out."""
    if len(path) > MAX_MEDIA_PATH:
        raise MediaError(f"path longer than {MAX_MEDIA_PATH} characters")
    if "\0" in path or "\\" in path:
        raise MediaError("path holds a NUL or backslash character")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise MediaError("path leads outside the content folder")
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        raise MediaError("empty path")
    return "/".join(parts)


def _confined_stat(content_dir: Path, rel: str) -> tuple[str, os.stat_result]:
    """The real path and stat of a content file; MediaError when it is missing or its real
    path (symlinks followed) leaves the folder. The stat comes first: most missing files are
    told apart without resolving every folder of the path."""
    try:
        os.stat(os.path.join(content_dir, rel))
    except OSError as exc:
        raise MediaError("no such file" if isinstance(exc, FileNotFoundError) else
                         f"cannot read: {exc.strerror or exc}") from None
    root = os.path.realpath(content_dir)
    real = os.path.realpath(os.path.join(root, rel))
    if not real.startswith(root.rstrip("/") + "/"):
        raise MediaError("symlink points outside the content folder")
    try:
        return real, os.stat(real)
    except OSError as exc:  # replaced meanwhile
        raise MediaError(f"cannot read: {exc.strerror or exc}") from None


def find_media(content_dir: Path, path: str, max_size: int) -> MediaFile:
    """The published media file at a content-relative path; MediaError saying why not."""
    rel = clean_path(path)
    kind = media_type(rel)
    if kind is None:
        raise MediaError(f"not a media type: {extension(rel) or '(no extension)'}")
    if any(is_hidden_name(part) for part in rel.split("/")):
        raise MediaError("hidden (a name starts with '.' or '_')")
    real, info = _confined_stat(content_dir, rel)
    if not stat.S_ISREG(info.st_mode):
        raise MediaError("not a regular file")
    if info.st_size == 0:
        raise MediaError("empty file")
    if info.st_size > max_size:
        raise MediaError(f"file is {info.st_size} bytes, over the limit of {max_size} "
                         "(FEEDSVC_MAX_MEDIA_SIZE)")
    return MediaFile(rel, real, kind, info.st_size, info.st_mtime_ns, (info.st_dev, info.st_ino))


Dependency = tuple[str, int, int]  # a media file an article links to: (path, size, mtime_ns)
MISSING = (-1, -1)  # the stat of a file the walk does not find


def stat_as_walked(content_dir: Path, path: str) -> tuple[int, int]:
    """(size, mtime_ns) of a media file as a scan's walk sees it, MISSING if it sees none
    there: hidden, outside the folder, not a media type, not a file."""
    try:
        rel = clean_path(path)
    except MediaError:
        return MISSING
    if media_type(rel) is None or any(is_hidden_name(part) for part in rel.split("/")):
        return MISSING
    try:
        info = _confined_stat(content_dir, rel)[1]
    except MediaError:
        return MISSING
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else MISSING


def open_media(media: MediaFile) -> BinaryIO:
    """Open a file found by find_media; MediaError when it was replaced since (say, by a
    symlink out of the folder): the file opened must be the file checked."""
    try:
        fd = os.open(media.real, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise MediaError(f"cannot open: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if (info.st_dev, info.st_ino) != media.inode or info.st_size != media.size:
        os.close(fd)
        raise MediaError("file changed while it was opened")
    return os.fdopen(fd, "rb")


def duration_seconds(media: MediaFile) -> int | None:
    """An audio or video file's length in whole seconds (rounded), None when unknown."""
    if not media.type.startswith(TIMED_TYPES):
        return None
    import mutagen  # only scans of articles with audio or video pay for the import

    try:
        with open_media(media) as file:
            parsed = mutagen.File(file)
    except (MediaError, mutagen.MutagenError, OSError, ValueError, EOFError):
        return None
    length = getattr(getattr(parsed, "info", None), "length", None)
    return round(length) if isinstance(length, (int, float)) and length > 0 else None

"""Find the article and media files under the content folder, with one stat each.

Nothing outside the content folder is read: a symlink that leaves it is refused, and so
is a folder reached twice (a loop). What is not an article is reported once: a folder
outside a site's content folder as one line, other file types counted by kind.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .media import media_type
from .model import FileProblem, ScanReport
from .readers import is_readable
from .readers.site import Site
from .text import extension, is_hidden_name
from .topics import RULES_FILE

MAX_DEPTH = 32
MAX_FILES = 200_000
HIDDEN = "hidden (name starts with '.' or '_')"
HUGO_HIDDEN = "hidden (name starts with '.' or '#', or ends with '~', as Hugo leaves out)"

Stat = tuple[int, int]  # (size, mtime_ns): all a scan keeps of a file's stat, every second


@dataclass
class Walk:
    """The article files under the content folder, each with its one stat."""

    files: dict[str, Stat] = field(default_factory=dict)
    media: dict[str, Stat] = field(default_factory=dict)  # published beside articles (media.py)
    unlisted: list[str] = field(default_factory=list)  # folders that could not be read
    truncated: bool = False
    other_types: Counter[str] = field(default_factory=Counter)  # files no reader reads, by extension

    def covers(self, path: str) -> bool:
        """True when the walk saw all there is to see of this path's folder."""
        return not self.truncated and not any(
            folder == "." or path.startswith(folder + "/") for folder in self.unlisted
        )


@dataclass(frozen=True)
class _Folder:
    """A folder to list: where it is, its real path, its path as reported, its depth."""

    path: str
    real: str
    relative: str
    depth: int


def walk(root: Path, report: ScanReport, site: Site | None = None) -> Walk:
    """Find the article files, sorted; refuse escapes; list what is not an article once
    (a folder outside the site's content folder as one line, other file types by kind)."""
    site = site or Site()
    found = Walk()
    for rel, item in _files(root, report, site, found):
        _add_file(found, rel, item, report, site)
    for kind, count in sorted(found.other_types.items()):  # assets: one line per type, not per file
        files = "file" if count == 1 else "files"
        reason = f"not an article: {count} {files} of type {kind}"
        report.skipped_files.append(FileProblem(f"*{kind}", reason))
    return found


def _files(root: Path, report: ScanReport, site: Site, found: Walk) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under root with its reported path, depth first in listing order; it stops
    listing once found is truncated. Folders reached through a symlink are walked after
    every real folder, so an article keeps the path (and the id) of its real place whatever
    order scandir lists names in."""
    top = os.path.realpath(root)
    visited: set[str] = set()
    linked: list[_Folder] = []
    open_folders = [_list(_Folder(str(root), top, "", 0), visited, report, found)]
    while open_folders or linked:
        if not open_folders:
            linked.sort(key=lambda folder: folder.relative, reverse=True)
            open_folders.append(_list(linked.pop(), visited, report, found))
        folder, items = open_folders[-1]
        item = next(items, None)
        if item is None or found.truncated:
            open_folders.pop()
            continue
        rel = f"{folder.relative}/{item.name}" if folder.relative else item.name
        kind, real = _kind(item, rel, folder.relative, top, report, site)
        if kind == "file":
            yield rel, item
        elif kind != "folder":
            continue
        elif folder.depth >= MAX_DEPTH:
            report.errors.append(FileProblem(rel, f"folders nested deeper than {MAX_DEPTH}"))
        elif real:
            linked.append(_Folder(item.path, real, rel, folder.depth + 1))
        else:
            inner = _Folder(item.path, f"{folder.real}/{item.name}", rel, folder.depth + 1)
            open_folders.append(_list(inner, visited, report, found))


def _list(
    folder: _Folder, visited: set[str], report: ScanReport, found: Walk,
) -> tuple[_Folder, Iterator[os.DirEntry[str]]]:
    """The folder with its entries (none when it was visited already or cannot be listed)."""
    where = folder.relative or "."
    if folder.real in visited:
        report.errors.append(FileProblem(where, "symlink loop: folder already visited"))
        return folder, iter(())
    visited.add(folder.real)
    try:
        with os.scandir(folder.path) as listing:
            items = list(listing)  # unsorted: the report is sorted once at the end
    except OSError as exc:
        report.errors.append(FileProblem(where, f"cannot list folder: {exc.strerror}"))
        found.unlisted.append(where)
        return folder, iter(())
    return folder, iter(items)


def _kind(
    item: os.DirEntry[str], rel: str, relative: str, top: str, report: ScanReport, site: Site,
) -> tuple[str, str]:
    """("file", "") or ("folder", its real path when reached through a symlink, else ""),
    or ("", "") for an entry left out (reported when it is worth a line)."""
    if not relative and item.name == RULES_FILE:
        return "", ""
    if not relative and not site.in_content_folder(rel):
        report.skipped_files.append(FileProblem(rel, f"not an article: {site.not_an_article(rel)}"))
        return "", ""
    if is_hidden_name(item.name, site.kind):
        report.skipped_files.append(FileProblem(rel, HUGO_HIDDEN if site.kind == "hugo" else HIDDEN))
        return "", ""
    real = ""
    if item.is_symlink():
        real = os.path.realpath(item.path)
        if not _inside(top, real):
            report.errors.append(FileProblem(rel, "symlink points outside the content folder"))
            return "", ""
    try:
        is_file, is_dir = item.is_file(), item.is_dir()
    except OSError as exc:  # a symlink loop (ELOOP): following it would never end
        report.errors.append(FileProblem(rel, f"cannot follow: {exc.strerror or exc}"))
        return "", ""
    return ("file", "") if is_file else ("folder", real) if is_dir else ("", "")


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _add_file(found: Walk, rel: str, item: os.DirEntry[str], report: ScanReport, site: Site) -> None:
    is_media = media_type(item.name) is not None
    if not is_readable(item.name) and not is_media:
        found.other_types[extension(item.name) or "(no extension)"] += 1
        return
    reason = None if is_media else site.not_an_article(rel)
    if reason:
        report.skipped_files.append(FileProblem(rel, f"not an article: {reason}"))
        return
    if len(found.files) + len(found.media) >= MAX_FILES:
        report.errors.append(FileProblem(rel, f"more than {MAX_FILES} files; stopped"))
        found.truncated = True
        return
    try:
        stat = item.stat()
    except OSError as exc:
        report.errors.append(FileProblem(rel, f"cannot stat: {exc.strerror or exc}"))
    else:
        (found.media if is_media else found.files)[rel] = stat.st_size, stat.st_mtime_ns


def content_problem(settings: Settings) -> str | None:
    """Why the content folder cannot be scanned, naming it, with the fix; None when it can."""
    folder = settings.content_dir
    if folder.is_dir() and os.access(folder, os.R_OK | os.X_OK):
        return None
    what = "is not a folder" if folder.exists() else "does not exist"
    if folder.is_dir():
        what = "cannot be read by this user"
    return (f"content folder {folder} {what}: set FEEDSVC_CONTENT_DIR to the folder of your "
            "articles (relative paths start at the working directory)")

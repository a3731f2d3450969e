"""Walk the content folder, read and normalize every article, and report what failed.

A bad file never stops the scan: it becomes a line in the ScanReport and is skipped.
Nothing outside the content folder is read: symlinks that leave it are refused.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from .config import Settings
from .model import Entry, FileProblem, Identity, NotAnArticle, ReadError, ScanReport
from .normalize import is_draft, normalize
from .readers import read_article, supported_reader
from .topics import RULES_FILE, TopicRule, assign_topics, load_rules

logger = logging.getLogger(__name__)

MAX_DEPTH = 32
MAX_FILES = 200_000


@dataclass
class ScanResult:
    entries: list[Entry] = field(default_factory=list)
    report: ScanReport = field(default_factory=ScanReport)
    failed_paths: set[str] = field(default_factory=set)  # files whose last good entry is kept
    fatal: str = ""  # set when the folder itself is unusable: nothing may be committed


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def walk(root: Path, report: ScanReport) -> Iterator[tuple[str, Path]]:
    """Yield (relative posix path, real path) of candidate files, sorted, refusing escapes."""
    root = root.resolve()
    visited: set[Path] = set()
    count = 0

    def visit(directory: Path, relative: str, depth: int) -> Iterator[tuple[str, Path]]:
        nonlocal count
        real_dir = directory.resolve()
        if real_dir in visited:
            report.errors.append(FileProblem(relative or ".", "symlink loop: folder already visited"))
            return
        visited.add(real_dir)
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            report.errors.append(FileProblem(relative or ".", f"cannot list folder: {exc.strerror}"))
            return
        for name in names:
            rel = f"{relative}/{name}" if relative else name
            if not relative and name == RULES_FILE:
                continue
            if _is_hidden(name):
                report.skipped_files.append(FileProblem(rel, "hidden (name starts with '.' or '_')"))
                continue
            path = directory / name
            real = path.resolve()
            if not _inside(root, real):
                report.errors.append(FileProblem(rel, "symlink points outside the content folder"))
            elif real.is_dir():
                if depth >= MAX_DEPTH:
                    report.errors.append(FileProblem(rel, f"folders nested deeper than {MAX_DEPTH}"))
                else:
                    yield from visit(path, rel, depth + 1)
            elif real.is_file():
                count += 1
                if count > MAX_FILES:
                    report.errors.append(FileProblem(rel, f"more than {MAX_FILES} files; stopped"))
                    return
                yield rel, real

    yield from visit(root, "", 0)


@dataclass(frozen=True)
class FileResult:
    """One file read and normalized: its entry (with topics), whether it is a draft, warnings."""

    entry: Entry
    draft: bool
    warnings: list[str]


def read_file(
    rel: str, real: Path, settings: Settings, rules: list[TopicRule],
    remembered: Identity | None, now: datetime,
) -> FileResult:
    """Read, normalize and assign topics to one file; raises ReadError for a bad file."""
    supported_reader(rel)
    size = real.stat().st_size
    if size > settings.max_file_size:
        raise ReadError(f"file is {size} bytes, over the limit of {settings.max_file_size}")
    data = real.read_bytes()[: settings.max_file_size + 1]
    article = read_article(rel, data)
    entry, warnings = normalize(article, data, settings, remembered, now)
    return FileResult(assign_topics(entry, article.metadata, rules), is_draft(article.metadata), warnings)


def _read_one(
    rel: str, real: Path, settings: Settings, rules: list[TopicRule],
    remembered: Identity | None, now: datetime, report: ScanReport,
) -> Entry | None:
    result = read_file(rel, real, settings, rules, remembered, now)
    if result.draft:
        report.drafts += 1
        return None
    report.warnings.extend(FileProblem(rel, warning) for warning in result.warnings)
    return result.entry


def _deduplicate(entries: list[Entry], result: ScanResult) -> list[Entry]:
    """Refuse a second file with the same id; give colliding page slugs a numeric suffix."""
    by_id: dict[str, str] = {}
    slugs: set[str] = set()
    unique = []
    for entry in sorted(entries, key=lambda item: item.path):
        if entry.id in by_id:
            result.report.errors.append(
                FileProblem(entry.path, f"duplicate id {entry.id!r}, already used by {by_id[entry.id]}")
            )
            continue
        by_id[entry.id] = entry.path
        slug, number = entry.slug, 1
        while slug in slugs:
            number += 1
            slug = f"{entry.slug}-{number}"
        slugs.add(slug)
        unique.append(replace(entry, slug=slug) if slug != entry.slug else entry)
    return unique


def scan(settings: Settings, remembered: Mapping[str, Identity], now: datetime) -> ScanResult:
    """Read every article under the content folder into entries and a report."""
    result = ScanResult(report=ScanReport(started=now))
    report = result.report
    if not settings.content_dir.is_dir() or not os.access(settings.content_dir, os.R_OK | os.X_OK):
        result.fatal = f"content folder {settings.content_dir} does not exist or cannot be read"
        report.errors.append(FileProblem(str(settings.content_dir), result.fatal))
        return result
    try:
        rules = load_rules(settings.content_dir)
    except ReadError as exc:
        report.errors.append(FileProblem(RULES_FILE, str(exc)))
        rules = []
    entries = []
    for rel, real in walk(settings.content_dir, report):
        try:
            entry = _read_one(rel, real, settings, rules, remembered.get(rel), now, report)
        except NotAnArticle as exc:
            report.skipped_files.append(FileProblem(rel, str(exc)))
            result.failed_paths.add(rel)  # an emptied file keeps its last good entry
            continue
        except ReadError as exc:
            report.errors.append(FileProblem(rel, str(exc)))
            result.failed_paths.add(rel)
            continue
        except OSError as exc:
            report.errors.append(FileProblem(rel, f"cannot read: {exc.strerror or exc}"))
            result.failed_paths.add(rel)
            continue
        except Exception as exc:  # one bad file must never stop the scan
            logger.exception("could not process %s", rel)
            report.errors.append(FileProblem(rel, f"internal error: {type(exc).__name__}: {exc}"))
            result.failed_paths.add(rel)
            continue
        if entry is not None:
            entries.append(entry)
    result.entries = _deduplicate(entries, result)
    report.published = len(result.entries)
    return result

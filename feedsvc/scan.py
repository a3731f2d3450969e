"""Walk the content folder, read what changed, and report what failed.

A scan is incremental: one stat per file; a file whose size and mtime are those the
catalog remembers is not read again. A changed file is read and normalized; its content
hash decides whether `updated` moves. A bad file never stops the scan: it becomes a line
in the ScanReport and keeps its last good entry. Nothing outside the content folder is
read: symlinks that leave it are refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from . import __version__
from .config import Settings
from .errors import NotAnArticle, ReadError, UnexpectedError, with_value
from .links import media_dependencies
from .media import MISSING, Dependency, media_type
from .model import (
    DRAFT,
    SCHEDULED,
    Entry,
    FileProblem,
    FileRecord,
    FileState,
    Identity,
    ScanReport,
    fingerprint,
)
from .normalize import normalize
from .publication import Publication, publication
from .readers import is_hidden_name, read_article, reader_for, supported_reader
from .reading import read_in_children
from .site_config import Site, load_site
from .text import extension
from .topics import RULES_FILE, TopicRule, assign_topics, load_rules, rule_labels

logger = logging.getLogger(__name__)

MAX_DEPTH = 32
MAX_FILES = 200_000
# A file modified this close to the scan could change again within the same mtime tick
# (1 s or 2 s on some file systems): its stat is not trusted, so the next scan reads it.
RACY_NS = 2_000_000_000
# Files are read and normalized in one process per core when a scan reads this many:
# below it, starting the processes costs more than they save.
POOL_MIN_FILES = 1000

Progress = Callable[[int, int], None]  # (files read so far, files to read)


class Sink(Protocol):
    """Where a scan writes what changed, as it goes (Store.begin_scan gives one)."""

    def remove(self, paths: Sequence[str]) -> None: ...

    def add(self, record: FileRecord) -> None: ...


@dataclass
class ScanResult:
    read: dict[str, FileState] = field(default_factory=dict)  # files written: new or changed
    removed: set[str] = field(default_factory=set)  # known files that are gone
    failed_paths: set[str] = field(default_factory=set)  # files whose last good entry is kept
    context: str = ""  # what every entry was derived with besides its file
    labels: dict[str, str] = field(default_factory=dict)  # topics.toml's labels, by slug
    report: ScanReport = field(default_factory=ScanReport)
    fatal: str = ""  # set when the folder itself is unusable: nothing may be committed


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


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def walk(root: Path, report: ScanReport, site: Site | None = None) -> Walk:
    """Find the article files, sorted; refuse escapes; list what is not an article once
    (a folder outside the site's content folder as one line, other file types by kind)."""
    site = site or Site()
    found = Walk()
    top = os.path.realpath(root)
    visited: set[str] = set()
    # Folders reached through a symlink are walked after every real folder, so an article
    # keeps the path (and the id) of its real place whatever order scandir lists names in.
    linked: list[tuple[str, str, str, int]] = []

    def visit(directory: str, real_dir: str, relative: str, depth: int) -> None:
        if real_dir in visited:
            report.errors.append(FileProblem(relative or ".", "symlink loop: folder already visited"))
            return
        visited.add(real_dir)
        try:
            with os.scandir(directory) as listing:
                items = list(listing)  # unsorted: the report is sorted once at the end
        except OSError as exc:
            report.errors.append(FileProblem(relative or ".", f"cannot list folder: {exc.strerror}"))
            found.unlisted.append(relative or ".")
            return
        for item in items:
            if found.truncated:
                return
            if not relative and item.name == RULES_FILE:
                continue
            rel = f"{relative}/{item.name}" if relative else item.name
            if not relative and site.content_prefix and rel != site.content_prefix.split("/")[0]:
                report.skipped_files.append(FileProblem(rel, f"not an article: {site.not_an_article(rel)}"))
                continue
            if is_hidden_name(item.name) and not (site.kind == "hugo" and item.name.startswith("_index.")):
                report.skipped_files.append(FileProblem(rel, "hidden (name starts with '.' or '_')"))
                continue
            real = ""
            if item.is_symlink():
                real = os.path.realpath(item.path)
                if not _inside(top, real):
                    report.errors.append(FileProblem(rel, "symlink points outside the content folder"))
                    continue
            try:
                is_file, is_dir = item.is_file(), item.is_dir()
            except OSError as exc:  # a symlink loop (ELOOP): following it would never end
                report.errors.append(FileProblem(rel, f"cannot follow: {exc.strerror or exc}"))
                continue
            if is_file:
                _add_file(found, rel, item, report, site)
            elif not is_dir:
                continue
            elif depth >= MAX_DEPTH:
                report.errors.append(FileProblem(rel, f"folders nested deeper than {MAX_DEPTH}"))
            elif real:
                linked.append((rel, item.path, real, depth + 1))
            else:
                visit(item.path, f"{real_dir}/{item.name}", rel, depth + 1)  # noqa: F821 (the del below)

    try:
        visit(str(root), top, "", 0)
        while linked:
            linked.sort(reverse=True)
            rel, path, real, depth = linked.pop()
            visit(path, real, rel, depth)
    finally:
        # A recursive closure is a reference cycle: without this, each walk's stat of every
        # file would wait for the cyclic garbage collector (megabytes per rescan).
        del visit
    for kind, count in sorted(found.other_types.items()):  # assets: one line per type, not per file
        files = "file" if count == 1 else "files"
        reason = f"not an article: {count} {files} of type {kind}"
        report.skipped_files.append(FileProblem(f"*{kind}", reason))
    return found


def _add_file(found: Walk, rel: str, item: os.DirEntry[str], report: ScanReport, site: Site) -> None:
    is_media = media_type(item.name) is not None
    if reader_for(item.name) is None and not is_media:
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


@dataclass(frozen=True)
class FileResult:
    """One file read and normalized: its entry (with topics), whether and until when it is
    shown, warnings."""

    entry: Entry
    publication: Publication
    warnings: list[str]
    fingerprint: str
    media: tuple[Dependency, ...] = ()  # media files it links to, with their stats


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
    site = load_site(settings.content_dir)
    article = read_article(rel, data, site)
    entry, warnings = normalize(article, data, settings, remembered, now)
    entry = assign_topics(entry, article.metadata, rules, folder_topic=not site.kind)
    media = media_dependencies(entry, settings.content_dir, settings.base_url)
    shown = publication(article.metadata, entry, settings, now)
    if shown.state in {DRAFT, SCHEDULED}:  # marked on the pages of a preview
        entry = replace(entry, status=shown.state)
    return FileResult(entry, shown, warnings, fingerprint(entry), media)


# Raised when a change to reading or cleaning changes the entries of unchanged files (a URL
# the sanitizer now refuses, say): catalogs built before then read every file again.
READ_REVISION = "6"  # 3: links to files in the content folder (links.py); 4: sites, templates, dates;
# 5: linear reading (reading.py, readers.html.parseable); 6: publication states and due times,
# topic labels per entry
# What the context holds besides the settings: the same for every process of one version
# reading one content folder.
CODE_AND_RULES = ("read revision", "site", "topics.toml")


def scan_settings(settings: Settings) -> dict[str, str]:
    """The settings entries are derived with, by the names users set them by."""
    return {
        "FEEDSVC_CONTENT_DIR": str(settings.content_dir),
        "FEEDSVC_BASE_URL": settings.base_url,
        "FEEDSVC_TAG_AUTHORITY": settings.authority,
        "FEEDSVC_TIMEZONE": settings.timezone,
        "FEEDSVC_MAX_FILE_SIZE": str(settings.max_file_size),
        "FEEDSVC_MAX_MEDIA_SIZE": str(settings.max_media_size),
        "FEEDSVC_PUBLISH_FUTURE": str(settings.publish_future).lower(),
        "FEEDSVC_DRAFTS": str(settings.drafts).lower(),
        "feedsvc version": __version__,
    }


def scan_context(settings: Settings, rules: list[TopicRule]) -> str:
    """What entries derive from besides their files: a change means reading all again. JSON,
    so the catalog records the settings it was built with (context_settings)."""
    rules_digest = hashlib.sha256(
        repr([(rule.topic, rule.pattern and rule.pattern.pattern) for rule in rules]).encode())
    return json.dumps({**scan_settings(settings), "read revision": READ_REVISION,
                       "site": load_site(settings.content_dir).fingerprint,
                       "topics.toml": rules_digest.hexdigest()[:20]}, sort_keys=True)


def context_settings(context: str) -> dict[str, str] | None:
    """The settings a catalog's context records; None when unknown (a new catalog, or one
    written by an earlier version, which recorded a hash)."""
    try:
        recorded = json.loads(context)
    except ValueError:
        return None
    if not isinstance(recorded, dict):
        return None
    return {key: str(value) for key, value in recorded.items() if key not in CODE_AND_RULES}


def settings_differences(settings: Settings, recorded: Mapping[str, str]) -> list[str]:
    """Each scan setting whose value differs from a recorded one: 'NAME is X here, Y there'."""
    return [f"{name} is {value} here, {recorded.get(name) or '(unknown)'} there"
            for name, value in scan_settings(settings).items() if recorded.get(name) != value]


def content_problem(settings: Settings) -> str | None:
    """Why the content folder cannot be scanned, with the fix; None when it can."""
    folder = settings.content_dir
    if folder.is_dir() and os.access(folder, os.R_OK | os.X_OK):
        return None
    what = "is not a folder" if folder.exists() else "does not exist"
    if folder.is_dir():
        what = "cannot be read by this user"
    return (f"content folder {folder} {what}: set FEEDSVC_CONTENT_DIR to the folder of your "
            "articles (relative paths start at the working directory)")


# A file to read: its path as reported (relative to the content folder), its real path,
# and the identity the catalog remembers for it.
Task = tuple[str, Path, Identity | None]


def _attempt(settings: Settings, rules: list[TopicRule], now: datetime, task: Task) -> FileResult | Exception:
    """read_file, with its failure returned (so it can come back from another process)."""
    rel, real, remembered = task
    try:
        return read_file(rel, real, settings, rules, remembered, now)
    except (ReadError, OSError) as exc:
        return exc
    except Exception as exc:  # logged here, in the process that met it
        return UnexpectedError(problem_message(rel, exc))


def read_files(
    tasks: Iterable[Task], count: int, settings: Settings, rules: list[TopicRule], now: datetime,
) -> Iterator[tuple[Task, FileResult | Exception]]:
    """Read and normalize count files, in order, each within the time limit per file, in
    child processes (feedsvc.reading): one for a few files, one per core for many."""
    processes = 1 if count < POOL_MIN_FILES else min(os.cpu_count() or 1, 4)
    read = partial(_attempt, settings, rules, now)
    yield from read_in_children(read, tasks, processes, settings.read_timeout)


@dataclass
class _Reader:
    """Read and normalize the files of one scan."""

    settings: Settings
    rules: list[TopicRule]
    vanished: dict[str, Identity]  # identities of removed files, by id: renames keep them
    now: datetime

    def record(
        self, rel: str, stat: Stat, racy_after: int, result: FileResult | Exception,
        remembered: Identity | None,
    ) -> FileRecord:
        """The record of a file read (raises what reading it raised)."""
        if isinstance(result, Exception):
            raise result
        if remembered is None and result.entry.id in self.vanished:  # renamed: keep its history
            remembered = self.vanished.pop(result.entry.id)
            real = self.settings.content_dir / rel
            result = read_file(rel, real, self.settings, self.rules, remembered, self.now)
        size, mtime_ns = stat
        first_seen = remembered.first_seen if remembered else self.now
        shown = result.publication
        entry = result.entry if shown.shown(self.settings) else None
        due_ts = int(shown.due.timestamp()) if shown.due and shown.due > self.now else 0
        media = tuple((path, size, mtime if mtime < racy_after else -1) for path, size, mtime in result.media)
        return FileRecord(rel, size, mtime_ns if mtime_ns < racy_after else -1, result.entry.content_hash,
                          first_seen, entry, tuple(result.warnings),
                          result.fingerprint if entry else "", media, due_ts,
                          shown.due_kind if due_ts else "")


def problem_message(rel: str, exc: Exception) -> str:
    """What is wrong with a file that could not be read, as scans and `feedsvc check` report it."""
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    logger.error("could not process %s", rel, exc_info=exc)
    return f"internal error: {type(exc).__name__}: {exc}"


class _Deduplicator:
    """Refuse an id held by another file; give colliding page slugs a numeric suffix.

    Files not read by this scan keep their id and slug, and a file read again holds its
    previous ones until this scan is committed; new claimants come in path order. A
    refused file keeps its last good entry, like any file that fails.
    """

    def __init__(self, kept: Mapping[str, FileState], previous: Mapping[str, FileState]):
        self.holders = (kept, previous)
        self.ids: dict[str, str] = {}
        self.slugs: dict[str, str] = {}

    def _claim_held(self) -> None:
        """Note who holds each id and slug: at the first check, so an unchanged rescan skips it."""
        for holders in self.holders:
            for path, state in holders.items():
                if state.published:
                    self.ids.setdefault(state.entry_id, path)
                    self.slugs.setdefault(state.slug, path)
        self.holders = ()

    def check(self, record: FileRecord) -> FileRecord:
        """The record with a unique slug; raises ReadError for an id another file holds."""
        entry = record.entry
        if entry is None:
            return record
        if self.holders:
            self._claim_held()
        holder = self.ids.setdefault(entry.id, entry.path)
        if holder != entry.path:
            raise ReadError(with_value(f"duplicate id: already used by {holder}", entry.id))
        unique = _unique_slug(entry, self.slugs)
        return record if unique is entry else replace(record, entry=unique, fingerprint=fingerprint(unique))


def _unique_slug(entry: Entry, slugs: dict[str, str]) -> Entry:
    slug, number = entry.slug, 1
    while slugs.setdefault(slug, entry.path) != entry.path:
        number += 1
        slug = f"{entry.slug}-{number}"
    return replace(entry, slug=slug) if slug != entry.slug else entry


def scan(
    settings: Settings,
    states: Mapping[str, FileState],
    remembered: Callable[[str], Identity | None],
    known_context: str,
    now: datetime,
    sink: Sink,
    progress: Progress | None = None,
) -> ScanResult:
    """Read the new and changed articles under the content folder; report on every file.

    states: what the catalog remembers of each file; remembered(path): its identity;
    known_context: the context the catalog was built with (when it differs, read all);
    sink: receives the removed paths, then each file read, in path order.
    """
    result = ScanResult(report=ScanReport(started=now))
    report = result.report
    problem = content_problem(settings)
    if problem:
        result.fatal = problem
        report.errors.append(FileProblem(str(settings.content_dir), result.fatal))
        return result
    try:
        rules = load_rules(settings.content_dir)
    except ReadError as exc:  # rules apply to every entry: keep the catalog built with the last good
        result.fatal = f"{RULES_FILE}: {exc}"
        report.errors.append(FileProblem(RULES_FILE, str(exc)))
        return result
    try:
        site = load_site(settings.content_dir)
    except (ReadError, OSError, UnicodeDecodeError) as exc:  # as for rules: keep the last good catalog
        result.fatal = f"site configuration: {exc}"
        report.errors.append(FileProblem(".", result.fatal))
        return result
    result.context = scan_context(settings, rules)
    result.labels = rule_labels(rules)
    found = walk(settings.content_dir, report, site)
    report.files = len(found.files)
    everything = result.context != known_context
    changed = []
    kept: dict[str, FileState] = {}
    now_ts = now.timestamp()
    for rel, stat in found.files.items():
        state = states.get(rel)
        unchanged = state is not None and (state.size, state.mtime_ns) == stat
        due = state is not None and 0 < state.due <= now_ts
        if everything or not unchanged or due or (state.media and _media_changed(state, found)):
            changed.append(rel)
        else:
            kept[rel] = state
    changed.sort()
    result.removed = {path for path in states if path not in found.files and found.covers(path)}
    vanished = {}
    for path in result.removed:
        identity = remembered(path)
        if identity is not None:
            vanished[identity.entry_id] = identity
    for path, state in states.items():
        if path not in found.files and path not in result.removed:
            kept[path] = state  # not seen this time (folder unlisted, walk cut): it stays
    sink.remove(sorted(result.removed))
    reader = _Reader(settings, rules, vanished, now)
    racy_after = int(now.timestamp() * 1e9) - RACY_NS
    unique = _Deduplicator(kept, {path: states[path] for path in changed if path in states})
    report.read = len(changed)

    def known_identity(rel: str) -> Identity | None:  # a new file has none: no query for it
        return remembered(rel) if rel in states else None

    # in path order: the first claimant of an id wins
    # identities are looked up as files are sent to be read
    tasks = ((rel, settings.content_dir / rel, known_identity(rel)) for rel in changed)
    reads = read_files(tasks, len(changed), settings, rules, now)
    for done, ((rel, _real, identity), read) in enumerate(reads, 1):
        try:
            record = unique.check(reader.record(rel, found.files[rel], racy_after, read, identity))
        except NotAnArticle as exc:  # an emptied file keeps its last good entry
            report.skipped_files.append(FileProblem(rel, str(exc)))
            result.failed_paths.add(rel)
        except Exception as exc:  # one bad file must never stop the scan
            report.errors.append(FileProblem(rel, problem_message(rel, exc)))
            result.failed_paths.add(rel)
        else:
            sink.add(record)
            result.read[rel] = _state_after(record, states.get(rel))
        if progress is not None:
            progress(done, len(changed))
    for path in result.failed_paths:
        if path in states:  # failing now: its last good entry stays
            kept[path] = states[path]
    _count(result, kept)
    return result


def _media_changed(state: FileState, found: Walk) -> bool:
    """True when a media file the article was made from changed, appeared or went away."""
    return any(found.media.get(path, MISSING) != (size, mtime_ns) for path, size, mtime_ns in state.media)


def _state_after(record: FileRecord, before: FileState | None) -> FileState:
    """What the catalog will remember of a file once this scan is committed."""
    entry = record.entry
    entry_id = entry.id if entry else (before.entry_id if before else "")
    return FileState(record.size, record.mtime_ns, entry_id, entry.slug if entry else "", record.warnings,
                     record.media, record.due_ts)


def _count(result: ScanResult, kept: Mapping[str, FileState]) -> None:
    """Fill the report's counts for the whole catalog, read or not; sort its lists by path."""
    report = result.report
    for path, state in kept.items():
        if state.warnings:
            report.warnings.extend(FileProblem(path, warning) for warning in state.warnings)
    for path, state in result.read.items():
        report.warnings.extend(FileProblem(path, warning) for warning in state.warnings)
    published = sum(1 for state in kept.values() if state.published)
    published += sum(1 for state in result.read.values() if state.published)
    report.published = published
    report.drafts = len(kept) + len(result.read) - published
    report.removed = len(result.removed)
    for problems in (report.errors, report.warnings, report.skipped_files):
        problems.sort(key=lambda problem: problem.path)  # stable: a file's own order stays

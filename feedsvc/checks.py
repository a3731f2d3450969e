"""What `feedsvc check` shows of article and media files: each read as a scan reads it,
nothing stored; as JSON-ready dicts, and printed for people."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from .config import Settings
from .errors import MediaError, NotAnArticle
from .links import linked_media
from .media import find_media, media_type
from .model import EXPIRE, ScanReport
from .problems import group_line, skipped_groups
from .reading import problem_message, read_files
from .readers.site import Site, load_site
from .walk import walk


def _content_path(path: Path, settings: Settings) -> str:
    """The path as the scan names it: relative to the content folder when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(settings.content_dir.resolve()).as_posix()
    except ValueError:
        return resolved.name


def _check_media(path: Path, settings: Settings) -> dict[str, Any]:
    """A media file as the server publishes it (or why it does not): outside the content
    folder, as if its own folder were the content folder. Symlinks are not followed here:
    find_media decides whether one stays inside."""
    absolute = Path(os.path.abspath(path))
    try:
        root, rel = settings.content_dir, absolute.relative_to(settings.content_dir).as_posix()
    except ValueError:
        root, rel = absolute.parent, absolute.name
    try:
        media = find_media(root, rel, settings.max_media_size)
    except MediaError as exc:
        return {"path": str(path), "status": "skipped", "reason": str(exc)}
    return {"path": str(path), "status": "media", "type": media.type, "size": media.size}


def _media_of(entry: Any, settings: Settings) -> list[dict[str, Any]]:
    """The media an article shows or carries: cover image, enclosures, linked media files."""
    attachments = {item.url: item for item in entry.attachments}
    shown: list[dict[str, Any]] = []
    for role, url in linked_media(entry, settings.base_url):
        item = attachments.get(url) if role == "enclosure" else None
        shown.append({"role": role, "url": url} if item is None else {
            "role": role, "url": url, "type": item.type, "size": item.length, "duration": item.duration})
    return shown


def _check_result(shown: str, result: Any, settings: Settings) -> dict[str, Any]:
    """What `feedsvc check` shows of one file read (a FileResult, or what reading it raised)."""
    if isinstance(result, NotAnArticle):
        return {"path": shown, "status": "skipped", "reason": str(result)}
    if isinstance(result, Exception):
        return {"path": shown, "status": "error", "reason": problem_message(shown, result)}
    entry, publication = result.entry, result.publication
    when = {"expires": publication.due.isoformat()} if publication.due_kind == EXPIRE else {}
    return {
        "path": shown,
        "status": publication.state,
        **({"reason": publication.describe()} if publication.due and not when else {}),
        **when,
        "id": entry.id,
        "title": entry.title,
        "published": entry.published.isoformat(),
        "updated": entry.updated.isoformat(),
        "authors": list(entry.authors),
        "topics": [{"slug": topic.slug, "label": topic.label} for topic in entry.topics],
        "summary": entry.summary,
        "link": entry.link,
        "slug": entry.slug,
        "media": _media_of(entry, settings),
        "warnings": result.warnings,
    }


def _check_files(
    files: list[Path], settings: Settings, rules: list[Any], now: datetime,
) -> list[dict[str, Any]]:
    """Media files as the server publishes them; articles read as a scan reads them (in
    child processes, each within the time limit)."""
    media = {path for path in files if media_type(_content_path(path, settings))}
    articles = [path for path in files if path not in media]
    tasks = [(_content_path(path, settings), path.resolve(), None) for path in articles]
    reads = read_files(tasks, len(tasks), settings, rules, _site_if_loadable(settings), now)
    shown = [_check_result(str(path), result, settings)
             for path, (_task, result) in zip(articles, reads, strict=True)]
    return [_check_media(path, settings) for path in files if path in media] + shown


def check_path(path: Path, settings: Settings, rules: list[Any], now: datetime) -> list[dict[str, Any]]:
    """Check a file, or every file under a folder (with what the walk skipped or refused)."""
    if not path.is_dir():
        return _check_files([path], settings, rules, now)
    report = ScanReport()
    found = walk(path, report, load_site(path))
    results = _check_files([path / rel for rel in [*found.files, *found.media]], settings, rules, now)
    results += [{"path": str(path / p.path), "status": "skipped", "reason": p.reason}
                for p in report.skipped_files]
    results += [{"path": str(path / p.path), "status": "error", "reason": p.reason} for p in report.errors]
    return sorted(results, key=lambda result: result["path"])


def _print_check(result: dict[str, Any]) -> None:
    click.echo(f"{result['path']}: {result['status']}" + (
        f": {result['reason']}" if "reason" in result else "") + (
        f": {result['type']}, {result['size']} bytes" if result["status"] == "media" else ""))
    if "id" not in result:
        return
    topics = ", ".join(
        topic["slug"] + ("" if topic["label"] == topic["slug"] else f" ({topic['label']})")
        for topic in result["topics"]
    )
    for label, value in (
        ("id", result["id"]), ("title", result["title"]), ("published", result["published"]),
        ("updated", result["updated"]), ("authors", ", ".join(result["authors"])),
        ("topics", topics), ("link", result["link"]), ("summary", result["summary"]),
        ("expires", result.get("expires")),
    ):
        if value:
            click.echo(f"  {label + ':':<11}{value}")
    for media in result["media"]:
        details = "".join(f", {media[key]}{unit}" for key, unit in (
            ("type", ""), ("size", " bytes"), ("duration", " s")) if media.get(key))
        click.echo(f"  {'media:':<11}{media['role']} {media['url']}{details}")
    for warning in result["warnings"]:
        click.echo(f"  {'warning:':<11}{warning}")


def print_checks(results: list[dict[str, Any]]) -> None:
    """Each file with its warnings; files left out for the same reason on one line."""
    skipped = skipped_groups((r["path"], r["reason"]) for r in results if r["status"] == "skipped")
    grouped = {paths[0]: group_line(reason, paths) for reason, paths in skipped if len(paths) > 1}
    in_groups = {path for reason, paths in skipped if len(paths) > 1 for path in paths}
    for result in results:
        if result["path"] in grouped:
            click.echo(f"skipped: {grouped[result['path']]}")
        elif result["path"] not in in_groups:
            _print_check(result)


def _site_if_loadable(settings: Settings) -> Site | None:
    """The site configuration every file is checked with, loaded once. None if it cannot be
    loaded: each file then meets the problem and reports it, as when it is loaded for each file."""
    try:
        return load_site(settings.content_dir)
    except Exception:  # met again, and reported, for each file
        return None

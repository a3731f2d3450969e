"""The `feedsvc` command: serve, scan, check, build, config."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from .catalog_files import catalog_error
from .config import (
    CONFIG_ENV,
    CONFIG_FILE,
    INTERNAL,
    SECRETS,
    Settings,
    find_config_file,
    load_settings,
    load_settings_with_origins,
    unknown_variables,
)
from .database_url import shown_url
from .errors import CatalogError, ConfigError, NotAnArticle, ReadError
from .logs import configure_logging
from .migrate import migrate
from .model import EXPIRE, ScanReport

if TYPE_CHECKING:
    from .store import Store

logger = logging.getLogger(__name__)
PROGRESS_MIN_FILES = 200  # smaller scans end before a progress bar is worth drawing


def _config_option() -> Path | None:
    """The settings file given by the global --config option, if any."""
    return click.get_current_context().find_root().params.get("config_path")


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(overrides={k: v for k, v in overrides.items() if v is not None},
                             config_option=_config_option())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _catalog_errors(settings: Settings) -> Iterator[None]:
    """Trouble with the catalog as one line naming FEEDSVC_DATABASE, never a traceback."""
    try:
        yield
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.DatabaseError as exc:  # met after opening: a damaged page, a full disk
        raise click.ClickException(str(catalog_error(settings.database, exc))) from None


def _open_catalog(settings: Settings) -> Store:
    """The catalog, read page by page: a damaged one is refused before any work."""
    from .store import Store

    return Store(settings.catalog, check_pages=True)


@click.group()
@click.version_option(package_name="feedsvc")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"Settings file [default: feedsvc.toml if present; env: {CONFIG_ENV}].")
def main(config_path: Path | None) -> None:
    """Publish a folder of articles as Atom and RSS feeds."""
    configure_logging()
    options = {name for command in main.commands.values() for param in command.params
               if isinstance(param, EnvOption) for name in param.envvars()}
    for message in unknown_variables(os.environ, options):
        logger.warning("%s", message)


def print_report(report: ScanReport) -> None:
    from .problems import group_line, skipped_groups, warning_counts

    kinds = f" ({warning_counts(report.warnings)})" if report.warnings else ""
    click.echo(
        f"published {report.published}, drafts {report.drafts}, skipped {report.skipped}, "
        f"errors {len(report.errors)}, warnings {len(report.warnings)}{kinds} "
        f"in {report.duration:.2f}s"
    )
    for problem in report.errors:
        click.echo(f"error: {problem.path}: {problem.reason}")
    for reason, paths in skipped_groups((problem.path, problem.reason) for problem in report.skipped_files):
        shown = f"{paths[0]}: {reason}" if len(paths) == 1 else group_line(reason, paths)
        click.echo(f"skipped: {shown}")
    for problem in report.warnings:
        click.echo(f"warning: {problem.path}: {problem.reason}")


class ProgressBar:
    """A progress bar on stderr while a scan reads, or a build writes, many files."""

    def __init__(self, label: str = "Reading articles") -> None:
        self._label = label
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self._label, file=sys.stderr)
        self._bar.update(1)
        if done == total:
            self._bar.render_finish()


@main.command()
def scan() -> None:
    """Scan the content folder once and print what was found."""
    from .scan import scan_once
    from .scan_context import settings_differences
    from .scheduler import server_settings

    settings = _settings()
    with _catalog_errors(settings):
        store = _open_catalog(settings)
        served = server_settings(settings)
        differences = settings_differences(settings, served) if served is not None else []
        if differences:
            raise click.ClickException(
                f"a server runs on FEEDSVC_DATABASE={settings.database} with other settings "
                f"({'; '.join(differences)}): this scan would change what it serves. Scan with "
                "the server's settings, stop the server first, or set FEEDSVC_DATABASE to another file"
            )
        report = scan_once(settings, store, progress=ProgressBar(), quiet=True)
    print_report(report)
    if report.errors:
        sys.exit(1)


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
    from .errors import MediaError
    from .media import find_media

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
    from .links import linked_media

    attachments = {item.url: item for item in entry.attachments}
    shown: list[dict[str, Any]] = []
    for role, url in linked_media(entry, settings.base_url):
        item = attachments.get(url) if role == "enclosure" else None
        shown.append({"role": role, "url": url} if item is None else {
            "role": role, "url": url, "type": item.type, "size": item.length, "duration": item.duration})
    return shown


def _check_result(shown: str, result: Any, settings: Settings) -> dict[str, Any]:
    """What `feedsvc check` shows of one file read (a FileResult, or what reading it raised)."""
    from .reading import problem_message

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
    from .media import media_type
    from .reading import read_files

    media = {path for path in files if media_type(_content_path(path, settings))}
    articles = [path for path in files if path not in media]
    tasks = [(_content_path(path, settings), path.resolve(), None) for path in articles]
    reads = read_files(tasks, len(tasks), settings, rules, now)
    shown = [_check_result(str(path), result, settings)
             for path, (_task, result) in zip(articles, reads, strict=True)]
    return [_check_media(path, settings) for path in files if path in media] + shown


def _check_path(path: Path, settings: Settings, rules: list[Any], now: datetime) -> list[dict[str, Any]]:
    """Check a file, or every file under a folder (with what the walk skipped or refused)."""
    from .site_config import load_site
    from .walk import walk

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


def _print_checks(results: list[dict[str, Any]]) -> None:
    """Each file with its warnings; files left out for the same reason on one line."""
    from .problems import group_line, skipped_groups

    skipped = skipped_groups((r["path"], r["reason"]) for r in results if r["status"] == "skipped")
    grouped = {paths[0]: group_line(reason, paths) for reason, paths in skipped if len(paths) > 1}
    in_groups = {path for reason, paths in skipped if len(paths) > 1 for path in paths}
    for result in results:
        if result["path"] in grouped:
            click.echo(f"skipped: {grouped[result['path']]}")
        elif result["path"] not in in_groups:
            _print_check(result)


@main.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Show how article files normalize: id, title, dates, topics, summary, warnings.

    Nothing is stored; ids and first-seen times are those a first scan would give.
    Exits with status 1 when any file has an error.
    """
    from .topics import RULES_FILE, load_rules

    settings = _settings()
    results: list[dict[str, Any]] = []
    try:
        rules = load_rules(settings.content_dir)
    except ReadError as exc:
        rules, results = [], [{"path": RULES_FILE, "status": "error", "reason": str(exc)}]
    now = datetime.now(UTC).replace(microsecond=0)
    for path in paths:
        results += _check_path(path, settings, rules, now)
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        _print_checks(results)
        counts = {label: sum(r["status"] == status for r in results) for status, label in (
            ("published", "published"), ("draft", "drafts"), ("scheduled", "scheduled"),
            ("expired", "expired"), ("skipped", "skipped"), ("error", "errors"), ("media", "media files"))}
        for rare in ("scheduled", "expired", "media files"):  # shown when there are any
            if not counts[rare]:
                del counts[rare]
        click.echo(f"{len(results)} files: " + ", ".join(f"{n} {label}" for label, n in counts.items()))
    if any(result["status"] == "error" for result in results):
        sys.exit(1)


class EnvOption(click.Option):
    """An option that may come from environment variables: its errors name them too."""

    def envvars(self) -> list[str]:
        return [self.envvar] if isinstance(self.envvar, str) else list(self.envvar or ())

    def get_error_hint(self, ctx: click.Context) -> str:
        return " / ".join([super().get_error_hint(ctx), *self.envvars()])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", cls=EnvOption, type=click.IntRange(1, 65535), envvar="PORT", default=8000,
              show_default=True, help="Port to listen on [env: PORT].")
@click.option("--workers", cls=EnvOption, type=click.IntRange(1, 64),
              envvar=["FEEDSVC_WORKERS", "WEB_CONCURRENCY"], default=1, show_default=True,
              help="Worker processes [env: FEEDSVC_WORKERS, else WEB_CONCURRENCY].")
@click.option("--threads", cls=EnvOption, type=click.IntRange(1, 256), envvar="FEEDSVC_THREADS", default=4,
              show_default=True, help="Threads per worker [env: FEEDSVC_THREADS].")
@click.option("--drafts", is_flag=True,
              help="Preview: also show drafts and scheduled articles (a catalog of its own).")
@click.option("--no-scan", is_flag=True,
              help="Serve the catalog only, with no content folder: other servers scan it "
                   "[env: FEEDSVC_SCAN=0].")
def serve(host: str, port: int, workers: int, threads: int, drafts: bool, no_scan: bool) -> None:
    """Serve the feeds with gunicorn, scanning on a schedule."""
    from .scheduler import server_settings
    from .server import ListenError, check_port, run
    from .walk import content_problem

    # a preview, a server that does not scan
    chosen = {**({"drafts": True} if drafts else {}), **({"scan": False} if no_scan else {})}
    settings = _settings(**chosen)  # a bad value fails here, once, rather than in every worker
    if settings.base_url == Settings.base_url:  # not configured: the address served
        if not _is_loopback(host):
            raise click.ClickException(
                f"FEEDSVC_BASE_URL is not set: serving on {host or 'every address'}, entry ids "
                f"(kept for good) and links would name {Settings.base_url}, which only this "
                "machine reaches. Set FEEDSVC_BASE_URL to the public URL readers use (such as "
                "https://news.example.org), or serve on 127.0.0.1"
            )
        url_host = f"[{host}]" if ":" in host else host  # an IPv6 address: ::1
        settings = _settings(**chosen, base_url=f"http://{url_host}:{port}")
    problem = content_problem(settings) if settings.scan else None
    if problem:
        raise click.ClickException(problem)
    try:
        check_port(host, port)  # before anything is created
    except ListenError as exc:
        raise click.ClickException(str(exc)) from None
    with _catalog_errors(settings):
        _open_catalog(settings).close()  # closed before gunicorn forks its workers
        served = server_settings(settings)
    if served is not None and settings.scan:
        logger.warning(
            "another feedsvc serve is already running on the database %s (a process holds "
            "%s.leader.lock); this one serves but leaves scanning to it: run one feedsvc serve "
            "per database, or give this one its own FEEDSVC_DATABASE", settings.database, settings.database)
    run(settings, host, port, workers, threads)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _print_next_due(settings: Settings) -> None:
    """When the site changes next by itself (an article published or expiring): rebuild then."""
    from .store import Store

    due = Store(settings.catalog).due()
    if due:
        first = due[0]
        click.echo(f"next scheduled change: {first['path']} is due to {first['action']} at "
                   f"{first['at']}; rebuild then")


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", default=None, help="Public URL of the site [default: $FEEDSVC_BASE_URL].")
def build(out: Path, base_url: str | None) -> None:
    """Scan, then write every feed, page and stylesheet under OUT for a static host."""
    from .errors import ExportError
    from .export import build as build_site
    from .export import check_output
    from .scan import scan_once
    from .walk import content_problem

    settings = _settings(base_url=base_url)
    problem = content_problem(settings)
    if problem:
        raise click.ClickException(problem)
    if settings.base_url == Settings.base_url:
        click.echo(f"warning: FEEDSVC_BASE_URL is not set; every feed and link points at "
                   f"{settings.base_url}", err=True)
    try:
        check_output(out)  # before the scan, which may take minutes
        with _catalog_errors(settings):
            settings = _catalog_for_build(settings)
            report = scan_once(settings, _open_catalog(settings), progress=ProgressBar(), quiet=True)
        print_report(report)
        result = build_site(settings, out, progress=ProgressBar("Writing the site"))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{out}: {result.files} files, {len(result.written)} written, "
               f"{len(result.unchanged)} unchanged, {len(result.removed)} removed")
    for path in result.removed:
        click.echo(f"removed: {path}")
    for path in result.foreign:
        click.echo(f"kept, not written by feedsvc: {path}")
    _print_next_due(settings)
    if report.errors:
        sys.exit(1)



def _catalog_for_build(settings: Settings) -> Settings:
    """The settings to build with: the configured catalog, unless it was built (or a server
    scans it) with other settings. Then the build has a catalog of its own beside it, so it
    never changes what a running server serves, and the two never read every file in turn."""
    from .scan_context import context_settings, settings_differences
    from .scheduler import server_settings

    store = _open_catalog(settings)
    served = server_settings(settings)
    recorded = served if served is not None else context_settings(store.context())
    store.close()
    differences = [] if recorded is None else settings_differences(settings, recorded)
    if not differences:
        return settings
    if settings.database_url:
        raise click.ClickException(
            f"FEEDSVC_DATABASE={shown_url(settings.database_url)} is built with other settings "
            f"({'; '.join(differences)}): build with the settings it is served with, or set "
            "FEEDSVC_DATABASE to a file for a catalog of this build's own")
    database = settings.database
    own = database.with_name(f"{database.stem}-build{database.suffix}")
    click.echo(f"note: {database} is {'served' if served else 'built'} with other settings "
               f"({'; '.join(differences)}); this build uses a catalog of its own, {own}", err=True)
    return replace(settings, database=own)

def _shown(name: str, settings: Settings) -> str:
    """A setting's value as `feedsvc config` shows it: secrets masked, derived values explained."""
    value = getattr(settings, name)
    if name in SECRETS:
        return "******** (set)" if value else "(not set)"
    if name == "tag_authority" and not value:
        return f"{settings.authority} (the host of base_url)"
    if name == "database" and settings.database_url:
        return shown_url(settings.database_url)
    if name == "base_url" and value == Settings.base_url:
        return f"{value} (serve: the address served)"
    if name == "podcast":
        return ", ".join(f"topic {podcast.topic}" if podcast.topic else "the site" for podcast in value) \
            or "(none)"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _serve_rows() -> list[dict[str, str]]:
    """`feedsvc serve`'s options, as it would take them now from the environment or defaults."""
    try:
        context = serve.make_context("serve", [], parent=click.get_current_context())
    except click.BadParameter as exc:
        raise click.ClickException(exc.format_message()) from None
    rows = []
    for param in serve.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        source = "default"
        if context.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT:
            assert isinstance(param, EnvOption)
            source = next(name for name in param.envvars() if os.environ.get(name))
        rows.append({"name": f"serve {param.opts[0]}", "value": str(context.params[param.name]),
                     "source": source})
    return rows


@main.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def show_config(as_json: bool) -> None:
    """Show the effective settings and where each came from.

    A setting comes from its default, the settings file (feedsvc.toml, --config or
    FEEDSVC_CONFIG), an environment variable or a command-line option. Secrets are masked.
    """
    try:
        path, file_origin = find_config_file(os.environ, _config_option())
        settings, origins = load_settings_with_origins(config_option=_config_option())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    rows = [{"name": "config", "value": str(path) if path else f"(none: no {CONFIG_FILE} here)",
             "source": str(file_origin)}]
    rows += [{"name": field.name, "value": _shown(field.name, settings), "source": str(origins[field.name])}
             for field in fields(Settings) if field.name not in INTERNAL]
    rows += _serve_rows()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    name_width = max(len(row["name"]) for row in rows)
    value_width = max(len(row["value"]) for row in rows)
    for row in rows:
        click.echo(f"{row['name']:<{name_width}}  {row['value']:<{value_width}}  {row['source']}".rstrip())


main.add_command(migrate)

"""The `feedsvc` command: serve, scan, check, build, config, migrate (check's findings: checks.py)."""

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
from .errors import CatalogError, ConfigError, ReadError
from .logs import configure_logging
from .migrate import migrate
from .model import ScanReport

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
    from .leader import server_settings

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


@main.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Show how article files normalize: id, title, dates, topics, summary, warnings.

    Nothing is stored; ids and first-seen times are those a first scan would give.
    Exits with status 1 when any file has an error.
    """
    from .checks import check_path, print_checks
    from .topics import RULES_FILE, load_rules

    settings = _settings()
    results: list[dict[str, Any]] = []
    try:
        rules = load_rules(settings.content_dir)
    except ReadError as exc:
        rules, results = [], [{"path": RULES_FILE, "status": "error", "reason": str(exc)}]
    now = datetime.now(UTC).replace(microsecond=0)
    for path in paths:
        results += check_path(path, settings, rules, now)
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_checks(results)
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

    def get_error_hint(self, ctx: click.Context | None) -> str:
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
    from .leader import server_settings
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
    from .leader import server_settings

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

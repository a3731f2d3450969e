"""`feedsvc migrate SOURCE TARGET`: a catalog moved between SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from .database_url import is_postgres_url, shown_url
from .errors import CatalogError


def _named(database: str) -> tuple[Path | str, str]:
    """What Store opens for an argument, and how messages name it."""
    if is_postgres_url(database):
        return database, shown_url(database)
    path = Path(database).expanduser().absolute()
    return path, str(path)


@click.command()
@click.argument("source")
@click.argument("target")
def migrate(source: str, target: str) -> None:
    """Copy the catalog SOURCE into TARGET, which holds none yet.

    Each is a SQLite file or a postgresql:// URL. Ids, slugs, first-seen times and versions
    are copied as they are: readers see the same feeds, and the next scan reads nothing
    again. Stop the servers writing SOURCE first; then point FEEDSVC_DATABASE at TARGET.
    """
    from .store import Store
    from .store.copy import copy_catalog

    (source_db, source_name), (target_db, target_name) = _named(source), _named(target)
    if source_db == target_db:
        raise click.ClickException(f"SOURCE and TARGET are both {source_name}: give two catalogs")
    if isinstance(source_db, Path) and not source_db.is_file():
        raise click.ClickException(f"SOURCE: no catalog at {source_name}: give the path of feedsvc's "
                                   "SQLite catalog (FEEDSVC_DATABASE) or a postgresql:// URL")
    errors: tuple[type[Exception], ...] = (CatalogError, sqlite3.Error)
    if is_postgres_url(source) or is_postgres_url(target):
        import psycopg

        errors += (psycopg.Error,)
    try:
        copied = copy_catalog(Store(source_db), Store(target_db), f"TARGET {target_name}")
        version = Store(target_db).version()
    except errors as exc:
        raise click.ClickException(str(exc).strip()) from None
    click.echo(f"copied {copied['entries']} entries, {copied['files']} files and {copied['topics']} "
               f"topics from {source_name} to {target_name} (version {version or 'none yet'})")

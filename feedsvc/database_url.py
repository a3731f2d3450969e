"""FEEDSVC_DATABASE as a PostgreSQL URL: how it is told from a SQLite path, and shown."""

from __future__ import annotations

import re

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(database: object) -> bool:
    return isinstance(database, str) and database.startswith(POSTGRES_SCHEMES)


def shown_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1********@", url)

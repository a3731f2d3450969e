"""A catalog copied into another, between SQLite and PostgreSQL either way (feedsvc migrate).

Every row of every table is copied as it is: ids, slugs, first-seen times, file states,
versions and scan history, so readers see no id change and the next scan reads nothing
again. Entries go through the target's own insert, which indexes them for its search.
"""

from __future__ import annotations

import re

from .. import schema
from ..errors import CatalogError
from .base import Store
from .writes import ENTRY_INSERT_COLUMNS

COPY_BATCH = 500  # rows read and written at a time


def _tables() -> dict[str, list[str]]:
    """The columns of each table, from schema.SCHEMA (scans without id: the target numbers them)."""
    tables = {}
    for name, body in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", schema.SCHEMA, re.S):
        columns = [line.split()[0] for line in body.strip().splitlines()
                   if not line.strip().startswith("PRIMARY KEY")]
        tables[name] = [column for column in columns if not (name == "scans" and column == "id")]
    return tables


def copy_catalog(source: Store, target: Store, target_name: str) -> dict[str, int]:
    """Copy every row of source into target, which must hold no catalog; return the rows
    copied by table. target_name: how the target is named in errors."""
    if target.generation() or target.article_slugs() or target.all_topic_slugs():
        raise CatalogError(f"{target_name} already holds a catalog: give an empty PostgreSQL database "
                           "or a new file as the target, or drop the one it holds first")
    copied = {}
    with source.snapshot(), target.write_transaction():
        for table, columns in _tables().items():
            copied[table] = _copy_table(source, target, table, columns)
    target._after_commit()
    return copied


def _copy_table(source: Store, target: Store, table: str, columns: list[str]) -> int:
    if table == "entries":  # in the order the target's insert takes them
        columns = list(ENTRY_INSERT_COLUMNS)
    listed = ", ".join(columns)
    order = "id" if table == "scans" else listed  # rows in one order, page after page
    insert = f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(columns))})"
    count, offset = 0, 0
    while True:
        rows = [tuple(row) for row in source._all(
            f"SELECT {listed} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?", (COPY_BATCH, offset))]
        if not rows:
            return count
        if table == "entries":
            target._insert_entries(rows)
        else:
            target._many(insert, rows)
        count += len(rows)
        offset += COPY_BATCH

"""The SQLite catalog's tables and how catalogs written by earlier versions are brought up to date.

One home for the catalog's layout: the store speaks SQL against it, and the PostgreSQL
catalog keeps the same tables and columns (store/postgres.py translates them).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

SCHEMA_VERSION = 7  # PRAGMA user_version; 1 (or 0) had no file stats nor fingerprints, 3 no media,
# 5 no publication times nor change times, 6 a full-text index keeping a copy of the texts
# PRAGMA application_id ("FSVC"): marks a file as feedsvc's catalog; another application's
# SQLite file is refused untouched.
APPLICATION_ID = 0x46535643

# files.slug: of its entry, '' when it has none (scans read no entry row); files.media: [path,
# size, mtime_ns] of each media file its entry was made from (scan.py reads the article again
# when one changes); entries.media: its cover, attachments and episode (model.media_json);
# files.due_ts: when the file's article is published or expires (0: never), the time a scan
# reads it again, and due_kind which ('publish' or 'expire'); entries.status: 'draft' or
# 'scheduled' in a preview catalog; topics.changed: the commit time of the last scan that
# changed the topic's feeds; entry_topics.label: the topic as that entry spells it.
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published TEXT NOT NULL,
    updated TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT -1,
    mtime_ns INTEGER NOT NULL DEFAULT -1,
    warnings TEXT NOT NULL DEFAULT '[]',
    slug TEXT NOT NULL DEFAULT '',
    media TEXT NOT NULL DEFAULT '[]',
    due_ts INTEGER NOT NULL DEFAULT 0,
    due_kind TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    published TEXT NOT NULL,
    published_ts INTEGER NOT NULL,
    updated TEXT NOT NULL,
    updated_ts INTEGER NOT NULL,
    authors TEXT NOT NULL,
    link TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    media TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entries_by_date ON entries (published_ts DESC, id);
-- every feed asks for the newest update: without it, a sort of all entries per feed
CREATE INDEX IF NOT EXISTS entries_by_update ON entries (updated_ts DESC, id);
CREATE TABLE IF NOT EXISTS topics (
    slug TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    changed TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entry_topics (
    topic TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (topic, entry_id)
);
CREATE INDEX IF NOT EXISTS entry_topics_by_entry ON entry_topics (entry_id);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    started TEXT,
    finished TEXT,
    duration REAL NOT NULL,
    published INTEGER NOT NULL,
    read INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    version TEXT NOT NULL,
    committed INTEGER NOT NULL
);
-- WebSub (feedsvc.hub_catalog holds their SQL): verified subscriptions of the built-in hub,
-- the digest of each feed the hub watches as last notified, and delivery counts.
CREATE TABLE IF NOT EXISTS websub_subscriptions (
    topic TEXT NOT NULL,
    callback TEXT NOT NULL,
    host TEXT NOT NULL,
    secret TEXT NOT NULL,
    lease_seconds INTEGER NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (topic, callback)
);
CREATE TABLE IF NOT EXISTS websub_feeds (
    url TEXT PRIMARY KEY,
    digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS websub_counts (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

# Catalogs written before file stats and fingerprints existed: keep what was remembered
# (ids, first-seen times), drop what the next scan derives again.
MIGRATE_FROM_1 = """
ALTER TABLE files ADD COLUMN size INTEGER NOT NULL DEFAULT -1;
ALTER TABLE files ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT -1;
ALTER TABLE files ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE files ADD COLUMN slug TEXT NOT NULL DEFAULT '';
DROP TABLE entries;
DELETE FROM entry_topics;
DELETE FROM meta;
"""
MIGRATE_FROM_2 = """
ALTER TABLE files ADD COLUMN slug TEXT NOT NULL DEFAULT '';
UPDATE files SET slug = coalesce((SELECT slug FROM entries WHERE entries.path = files.path), '')
"""
MIGRATE_FROM_3 = """
ALTER TABLE entries ADD COLUMN media TEXT NOT NULL DEFAULT '{}'
"""
MIGRATE_FROM_4 = """
ALTER TABLE files ADD COLUMN media TEXT NOT NULL DEFAULT '[]'
"""
# Columns of version 6, added to the tables of older catalogs that have them (after the steps
# above, which may drop a table: CREATE makes it with every column). The next scan reads
# every file again (scan.READ_REVISION changed), filling them.
COLUMNS_OF_6 = (
    ("files", "due_ts", "INTEGER NOT NULL DEFAULT 0"),
    ("files", "due_kind", "TEXT NOT NULL DEFAULT ''"),
    ("entries", "status", "TEXT NOT NULL DEFAULT ''"),
    ("topics", "changed", "TEXT NOT NULL DEFAULT ''"),
    ("entry_topics", "label", "TEXT NOT NULL DEFAULT ''"),
)

# The full-text index of q=: a scan indexes the entries it writes in one statement per batch
# (a trigger per row costs twice as much CPU). The index keeps no copy of the texts
# (content=''): entries holds them, and a copy made a first scan of 10,000 articles write 42 of
# its 114 MB. Such an index forgets a row only when told the words it indexed, so the trigger
# gives it the entry's texts as search_text makes them: search_text must give the same words
# for a text as when it was indexed (SEARCH_TEXT_SINCE below).
SEARCH_INDEX = ("CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5("
                "title, summary, body, content = '', tokenize = 'unicode61 remove_diacritics 2')")
SEARCH_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS entries_fts_forget AFTER DELETE ON entries BEGIN "
    "INSERT INTO entries_fts (entries_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.rowid, old.title, old.summary, search_text(old.content)); END",
    # catalogs written by earlier versions: triggers that indexed, and one that deleted from
    # an index keeping its texts
    "DROP TRIGGER IF EXISTS entries_fts_insert",
    "DROP TRIGGER IF EXISTS entries_fts_update",
    "DROP TRIGGER IF EXISTS entries_fts_delete",
)
# The first version whose index search_text fills as it does today: when search_text comes to
# give other words for some text, SCHEMA_VERSION goes up and this with it, and the index of a
# catalog written before is made again when it is opened (its rows could not be forgotten).
SEARCH_TEXT_SINCE = 7
# Tables of feedsvc's catalogs (earlier versions had fewer): a file holding others is not
# ours. FTS5 keeps the index of entries_fts in shadow tables of its own.
OUR_TABLES = frozenset(
    re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA)
    + [f"entries_fts{shadow}" for shadow in ("", "_data", "_idx", "_content", "_docsize", "_config")]
)
INDEX_ENTRIES = (
    "INSERT INTO entries_fts (rowid, title, summary, body) "
    "SELECT rowid, title, summary, search_text(content) FROM entries"
)


def create_or_migrate(db: sqlite3.Connection) -> None:
    """Create the tables, or bring an earlier catalog's up to date (inside the caller's
    transaction, which keeps other processes out meanwhile)."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    has_files = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'files'"
    ).fetchone()
    # 1 drops the entries table (made again below); later ones alter it, in turn
    steps = [MIGRATE_FROM_1] if found < 2 else [MIGRATE_FROM_2, MIGRATE_FROM_3][found - 2:]
    if found < 5:
        steps.append(MIGRATE_FROM_4)
    if has_files and found < SCHEMA_VERSION:
        for statement in ";\n".join(step.strip() for step in steps).split(";\n"):
            db.execute(statement)
        _add_columns(db, COLUMNS_OF_6)
    for statement in SCHEMA.strip().split(";\n"):
        db.execute(statement)
    _create_search_index(db, found)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _add_columns(db: sqlite3.Connection, columns: Iterable[tuple[str, str, str]]) -> None:
    """Add the columns a table of an older catalog lacks (a table it lacks is created later)."""
    for table, column, declaration in columns:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if present and column not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def _create_search_index(db: sqlite3.Connection, found_version: int) -> None:
    """Create the full-text index, or make it again: for a catalog written before it existed
    or before SEARCH_TEXT_SINCE (an index keeping the texts, or filled by another search_text);
    fill it if it lacks entries."""
    if found_version < SEARCH_TEXT_SINCE:
        db.execute("DROP TRIGGER IF EXISTS entries_fts_delete")  # it would delete from the old index
        db.execute("DROP TABLE IF EXISTS entries_fts")
    db.execute(SEARCH_INDEX)
    for statement in SEARCH_TRIGGERS:
        db.execute(statement)
    # The index's documents counted in its table of their sizes, a row each: counting entries_fts
    # itself reads every indexed text (40 ms for 10,000 articles, at every opening of a catalog).
    counts = "SELECT (SELECT COUNT(*) FROM entries), (SELECT COUNT(*) FROM entries_fts_docsize)"
    if len(set(db.execute(counts).fetchone())) > 1:
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('delete-all')")
        db.execute(INDEX_ENTRIES)

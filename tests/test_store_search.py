"""The catalog's filtered query and its full-text index, on disk."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from conftest import write
from corpus import ARTICLES, titles, write_corpus

from feedsvc.store import Store


def found(store: Store, **filters) -> list[str]:
    entries, total = store.find_entries(limit=500, **filters)
    assert total == len(entries)
    return [entry.title for entry in entries]


def test_index_follows_edits_and_deletions(content: Path, scan, config) -> None:
    write_corpus(content)
    scan()
    store = Store(config["database"])
    assert found(store, words=["harbour"]) == titles(lambda a: "harbour" in a.words())
    write(content, "science/glacier.md",
          "---\ntitle: Glacier survey ends\ndate: 2023-08-14\n---\nIce only.\n")
    (content / "economy" / "ports.md").unlink()
    scan()
    assert found(store, words=["harbour"]) == ["Rail freight doubles across the steppe"]
    assert found(store, words=["ice", "only"]) == ["Glacier survey ends"]
    count = sqlite3.connect(config["database"]).execute("SELECT COUNT(*) FROM entries_fts").fetchone()
    assert count == (len(ARTICLES) - 1,)


def test_markup_is_not_searchable_but_text_is(content: Path, scan, config) -> None:
    write(content, "a.md",
          "---\ntitle: Plain\ndate: 2020-01-01\n---\nSome **strong** tea &amp; [a link](/x).\n")
    scan()
    store = Store(config["database"])
    assert found(store, words=["strong", "tea"]) == ["Plain"]
    assert found(store, words=["href"]) == found(store, words=["em"]) == []


def test_index_is_rebuilt_for_an_older_catalog(content: Path, scan, config) -> None:
    write_corpus(content)
    scan()
    with sqlite3.connect(config["database"]) as db:
        db.execute("DROP TABLE entries_fts")
    store = Store(config["database"])  # as when a catalog from before the index is opened
    assert found(store, words=["night"]) == titles(lambda a: "night" in a.words())


def test_offset_and_total(content: Path, scan, config) -> None:
    write_corpus(content)
    scan()
    entries, total = Store(config["database"]).find_entries(exclude=["economy"], limit=2, offset=2)
    expected = titles(lambda a: "economy" not in a.topics)
    assert ([e.title for e in entries], total) == (expected[2:4], len(expected))


def test_switch_to_wal_waits_for_a_writer_of_a_new_catalog(tmp_path: Path) -> None:
    """gunicorn workers start at once on a fresh database: SQLite refuses the switch to WAL
    while another process writes, without waiting (deadlock avoidance); the store retries."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE early (x)")
    other.execute("BEGIN IMMEDIATE")  # another process creating the schema holds the write lock
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    assert Store(path).version() == ""
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)



def database_file_alone(config) -> sqlite3.Connection:
    """The database file as the checkpoints left it (immutable=1 reads it without the WAL)."""
    for thread in threading.enumerate():
        if thread.name == "feedsvc-checkpoint":
            thread.join(timeout=30)
    return sqlite3.connect(f"file:{config['database']}?immutable=1", uri=True)


def test_a_commit_is_copied_into_the_database_file_after_the_scan(content: Path, scan, config) -> None:
    """Commits leave the WAL to a checkpoint on another thread; it still reaches the file."""
    write_corpus(content)
    scan()
    count = database_file_alone(config).execute("SELECT COUNT(*) FROM entries").fetchone()
    assert count == (len(ARTICLES),)


def test_a_failed_scan_is_copied_into_the_database_file_too(content: Path, scan, config) -> None:
    (content / "topics.toml").write_text("[topics\n", encoding="utf-8")  # every scan fails
    scan()
    scans = database_file_alone(config).execute("SELECT committed FROM scans").fetchall()
    assert scans == [(0,)]

"""The catalog's filtered query and its full-text index, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from helpers.content import age, write
from helpers.corpus import ARTICLES, titles, write_corpus

from feedsvc.schema import APPLICATION_ID
from feedsvc.store import Store
from feedsvc.store import sqlite as store_module

pytestmark = pytest.mark.both_catalogs


def found(store: Store, **filters) -> list[str]:
    entries, total = store.find_entries(limit=500, **filters)
    assert total == len(entries)
    return [entry.title for entry in entries]


def test_index_follows_edits_and_deletions(content: Path, scan, config) -> None:
    write_corpus(content)
    scan()  # into an empty catalog: indexed at commit, in one statement
    store = Store(config["database"])
    assert found(store, words=["harbour"]) == titles(lambda a: "harbour" in a.words())
    if isinstance(config["database"], Path):
        index = sqlite3.connect(config["database"])
        assert index.execute("SELECT COUNT(*) FROM entries_fts").fetchone() == (len(ARTICLES),)
    write(content, "science/glacier.md",
          "---\ntitle: Glacier survey ends\ndate: 2023-08-14\n---\nIce only.\n")
    (content / "economy" / "ports.md").unlink()
    scan()
    assert found(store, words=["harbour"]) == ["Rail freight doubles across the steppe"]
    assert found(store, words=["ice", "only"]) == ["Glacier survey ends"]
    if isinstance(config["database"], Path):  # SQLite: the index table loses its row too
        index = sqlite3.connect(config["database"])
        count = index.execute("SELECT COUNT(*) FROM entries_fts").fetchone()
        assert count == (len(ARTICLES) - 1,)


def test_markup_is_not_searchable_but_text_is(content: Path, scan, config) -> None:
    write(content, "a.md",
          "---\ntitle: Plain\ndate: 2020-01-01\n---\nSome **strong** tea &amp; [a link](/x).\n")
    scan()
    store = Store(config["database"])
    assert found(store, words=["strong", "tea"]) == ["Plain"]
    assert found(store, words=["href"]) == found(store, words=["em"]) == []


@pytest.mark.sqlite_only
def test_index_is_rebuilt_for_an_older_catalog(content: Path, scan, config) -> None:
    write_corpus(content)
    scan()
    with sqlite3.connect(config["database"]) as db:
        db.execute("DROP TABLE entries_fts")
    store = Store(config["database"])  # as when a catalog from before the index is opened
    assert found(store, words=["night"]) == titles(lambda a: "night" in a.words())


# The index as versions before 2026-12 made it: a copy of every text, rows deleted by rowid.
STORED_TEXT_INDEX = (
    "DROP TRIGGER entries_fts_forget",
    "DROP TABLE entries_fts",
    "CREATE VIRTUAL TABLE entries_fts USING fts5(title, summary, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN "
    "DELETE FROM entries_fts WHERE rowid = old.rowid; END",
    "INSERT INTO entries_fts (rowid, title, summary, body) SELECT rowid, title, summary, content FROM entries",
)


def shadow_tables(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as db:
        return {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'entries_fts%'")}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("older", ["stored texts", "another search text"])
def test_an_older_index_is_made_again_and_forgets_deleted_entries(
    content: Path, scan, config, older: str
) -> None:
    write_corpus(content)
    scan()
    database = config["database"]
    assert "entries_fts_content" not in shadow_tables(database)  # no copy of the texts
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("PRAGMA user_version = 6")  # as the versions before wrote
        if older == "stored texts":
            for statement in STORED_TEXT_INDEX:
                db.execute(statement)
        else:  # indexed by a search_text that gave other words: every row holds 'stale'
            db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('delete-all')")
            db.execute("INSERT INTO entries_fts (rowid, title, summary, body) "
                       "SELECT rowid, 'stale', 'stale', 'stale' FROM entries")
    store = Store(database)
    assert found(store, words=["stale"]) == []
    assert found(store, words=["harbour"]) == titles(lambda a: "harbour" in a.words())
    assert "entries_fts_content" not in shadow_tables(database)
    (content / "economy" / "ports.md").unlink()
    scan()
    assert found(store, words=["harbour"]) == titles(
        lambda a: "harbour" in a.words() and a.title != "Ports add night shifts")
    assert len(found(store, words=["harbour"])) >= 2
    assert found(store, words=["cranes"]) == []
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (store_module.PAGE_BYTES,)
        assert db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')").rowcount == 1


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
    other.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a feedsvc catalog from the start
    other.execute("BEGIN IMMEDIATE")  # another process creating the schema holds the write lock
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    assert Store(path).version() == ""
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def wait_for_checkpoints() -> None:
    for thread in threading.enumerate():
        if thread.name == "feedsvc-checkpoint":
            thread.join(timeout=30)


def database_file_alone(config) -> sqlite3.Connection:
    """The database file as the checkpoints left it (immutable=1 reads it without the WAL)."""
    wait_for_checkpoints()
    return sqlite3.connect(f"file:{config['database']}?immutable=1", uri=True)


@pytest.mark.sqlite_only
def test_a_commit_is_copied_into_the_database_file_after_the_scan(content: Path, scan, config) -> None:
    """Commits leave the WAL to a checkpoint on another thread; it still reaches the file."""
    write_corpus(content)
    scan()
    with closing(database_file_alone(config)) as db:
        count = db.execute("SELECT COUNT(*) FROM entries").fetchone()
    assert count == (len(ARTICLES),)


@pytest.mark.sqlite_only
def test_a_failed_scan_is_copied_into_the_database_file_too(content: Path, scan, config) -> None:
    (content / "topics.toml").write_text("[topics\n", encoding="utf-8")  # every scan fails
    scan()
    with closing(database_file_alone(config)) as db:
        scans = db.execute("SELECT committed FROM scans").fetchall()
    assert scans == [(0,)]


@pytest.mark.sqlite_only
def test_no_file_appears_in_the_database_folder_once_a_scan_has_returned(
    content: Path, scan, config, monkeypatch,
) -> None:
    """The checkpoint's connection has its files open before the scan returns: a folder
    removed right after (a test's temporary folder, say) is not filled again behind it."""
    checkpoint = store_module._checkpoint

    def late_checkpoint(db: sqlite3.Connection, path: Path) -> None:
        time.sleep(0.3)
        checkpoint(db, path)

    monkeypatch.setattr(store_module, "_checkpoint", late_checkpoint)
    write_corpus(content)
    scan()
    folder = Path(config["database"]).parent
    for path in folder.iterdir():
        path.unlink()
    wait_for_checkpoints()
    assert list(folder.iterdir()) == []


@pytest.mark.sqlite_only
def test_the_wal_file_shrinks_after_a_large_scan(content: Path, scan, config, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "WAL_KEPT_BYTES", 64 * 1024)
    for number in range(100):  # a WAL of a few MB; the small scan's writes some 25 pages
        age(write(content, f"long/{number}.md",
                  f"---\ntitle: Long {number}\ndate: 2021-01-01\n---\n" + f"word{number} " * 1000))
    scan()
    wait_for_checkpoints()
    wal = Path(f"{config['database']}-wal")
    after_first = wal.stat().st_size
    assert after_first > 512 * 1024
    write(content, "short.md", "---\ntitle: Short\ndate: 2021-01-02\n---\nA line.\n")
    scan()
    wait_for_checkpoints()
    assert wal.stat().st_size < after_first / 4


ACCENTED = ("---\ntitle: Café crème in Zürich\ndate: 2021-05-06\nauthors: [Zoë Brontë, ÉMILE Zola]\n---\n"
            "A naïve fête at the Señor's; the rôle of «co-operation» — 3.14 times, e-mail: a@b.example.\n")


@pytest.mark.sqlite_only
def test_postgresql_finds_what_sqlite_finds(content: Path, scan, config, request) -> None:
    """Every word of the corpus, in other cases and accents, and words of punctuation alone:
    PostgreSQL's search (simple configuration, unaccent) matches what SQLite's index matches."""
    other = request.getfixturevalue("pg_url")
    write_corpus(content)
    write(content, "culture/cafe.md", ACCENTED)
    scan()
    scan(database=other)
    sqlite, postgresql = Store(config["database"]), Store(other)
    words = set().union(*(article.words() for article in ARTICLES))
    queries = [[word] for word in sorted(words)] + [[word.upper()] for word in sorted(words)] + [
        ["cafe"], ["CAFÉ"], ["creme"], ["zurich"], ["ZÜRICH"], ["naive"], ["fete"], ["senor"], ["role"],
        ["señor's"], ["senor", "s"], ["co-operation"], ["operation"], ["3.14"], ["14"], ["e-mail"],
        ["a@b.example"], ["example"], ["«co"], ["—"], ["—", "harbour"], ["harbour", "night"],
        ["the", "harbour"], ["harbour", "flooded"], ["below", "flooded"],
    ]
    for query in queries:
        assert found(postgresql, words=query) == found(sqlite, words=query), query
    assert found(sqlite, words=["cafe", "zurich"]) == ["Café crème in Zürich"]  # the check can fail
    for author in ("zoë brontë", "ZOË BRONTË", "émile zola", "Émile Zola", "zoe bronte", "ana ruiz"):
        assert found(postgresql, author=author) == found(sqlite, author=author), author

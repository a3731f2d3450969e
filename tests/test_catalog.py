"""The catalog on SQLite and PostgreSQL across scans: incremental reads, identity, versions, ETags."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import weakref
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.content import BASE_URL, age, write
from helpers.feeds import parse_feed

from feedsvc import reading
from feedsvc.catalog import WRITE_BATCH
from feedsvc.config import load_settings
from feedsvc.model import ScanReport
from feedsvc.scan import scan_once
from feedsvc.store import Store
from feedsvc.urls import tag_uri
from feedsvc.walk import walk

START_CHILD = reading._start_child
FEEDS = ["/feeds/atom.xml", "/feeds/rss.xml", "/topics/science/atom.xml"]
pytestmark = pytest.mark.both_catalogs


def article(title: str, date: str, body: str = "Text.", **meta: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


@pytest.fixture
def corpus(content: Path) -> list[Path]:
    files = [
        write(content, "science/comet.md", article("A comet at dusk", "2023-02-01")),
        write(content, "science/glacier.md", article("The glacier survey", "2023-03-05")),
        write(content, "economy/bread.md", article("Bread prices", "2022-11-08")),
    ]
    age(*files)
    return files


def feeds(make_app) -> dict[str, tuple[str, object]]:
    """ETag and parsed feed of every feed path, from a fresh app (as a restarted worker)."""
    client = make_app().test_client()
    result = {}
    for path in FEEDS:
        response = client.get(path)
        assert response.status_code == 200, path
        result[path] = (response.headers["ETag"], parse_feed(response.data))
    return result


def entries_by_title(make_app) -> dict[str, object]:
    feed = parse_feed(make_app().test_client().get("/feeds/atom.xml").data)
    return {entry.title: entry for entry in feed.entries}


def store(config: dict[str, object]) -> Store:
    return Store(load_settings(overrides=config).catalog)


def test_unchanged_files_are_not_read_again(corpus, scan, config) -> None:
    first = scan()
    assert (first.files, first.read, first.published) == (3, 3, 3)
    version = store(config).version()
    again = scan()
    assert (again.files, again.read, again.published, again.removed) == (3, 0, 3, 0)
    assert store(config).version() == version


def test_touch_changes_nothing_not_even_the_etag(corpus, scan, make_app) -> None:
    scan()
    before = feeds(make_app)
    os.utime(corpus[0])  # modification time is now: the file is read again
    report = scan()
    assert report.read == 1
    after = feeds(make_app)
    for path in FEEDS:
        assert after[path][0] == before[path][0], path
    assert after["/feeds/atom.xml"][1].entries == before["/feeds/atom.xml"][1].entries


def test_edit_moves_updated_and_the_etag_but_not_id_or_published(corpus, scan, make_app, config) -> None:
    scan()
    before = entries_by_title(make_app)
    etags = {path: etag for path, (etag, _) in feeds(make_app).items()}
    version = store(config).version()
    write(corpus[0].parent, "comet.md", article("A comet at dusk", "2023-02-01", "New text."))
    report = scan()
    assert report.read == 1
    after = entries_by_title(make_app)
    comet = after["A comet at dusk"]
    assert comet.id == before["A comet at dusk"].id == tag_uri("news.example.org",
                                                             datetime(2023, 2, 1), "science/comet.md")
    assert comet.published == before["A comet at dusk"].published == "2023-02-01T00:00:00+00:00"
    # the scan's start in whole seconds (Atom adds a fraction of a second that sets entries apart)
    started = report.started.replace(microsecond=0)
    assert datetime.fromisoformat(comet.updated).replace(microsecond=0) == started
    assert after["Bread prices"].updated == before["Bread prices"].updated
    assert store(config).version() != version
    new_etags = {path: etag for path, (etag, _) in feeds(make_app).items()}
    assert new_etags["/feeds/atom.xml"] != etags["/feeds/atom.xml"]
    assert new_etags["/topics/science/atom.xml"] != etags["/topics/science/atom.xml"]
    # the edit is remembered: scanning again moves nothing
    scan()
    assert entries_by_title(make_app)["A comet at dusk"].updated == comet.updated


def test_rename_with_explicit_id_keeps_id_and_dates(content, scan, make_app) -> None:
    old = write(content, "drafts/idea.md", "---\ntitle: Undated idea\nid: urn:uuid:1234\n---\nText.\n")
    age(old)
    scan()
    before = entries_by_title(make_app)["Undated idea"]
    new = content / "science" / "idea.md"
    new.parent.mkdir()
    old.rename(new)
    report = scan()
    assert (report.read, report.removed, report.errors) == (1, 1, [])
    after = entries_by_title(make_app)["Undated idea"]
    assert after.id == "urn:uuid:1234"
    assert (after.published, after.updated) == (before.published, before.updated)  # first seen, kept
    assert after.link == f"{BASE_URL}/articles/science-idea"


def test_an_id_that_is_no_uri_is_made_a_tag_uri(content, scan, make_app) -> None:
    """Atom's ids are URIs: `id: en-linked post` (as Jekyll sites that link a post's
    translations write it) goes under the service's tag URIs, quoted; a URI is kept (above)."""
    write(content, "notes/linked.md", "---\ntitle: Linked post\ndate: 2024-02-03\nid: en-linked post\n---\nText.\n")
    scan()
    entry = entries_by_title(make_app)["Linked post"]
    assert entry.id.startswith("tag:") and entry.id.endswith(",2024-02-03:id:en-linked%20post"), entry.id


def test_a_renamed_file_takes_its_history_where_files_are_read(content, scan, make_app, monkeypatch) -> None:
    """The identity a renamed file takes over is applied in the reading process, within the
    time limit per file: the scanning process reads and derives nothing itself."""
    old = write(content, "drafts/idea.md", "---\ntitle: Undated idea\nid: urn:uuid:1234\n---\nText.\n")
    age(old)
    scan()
    before = entries_by_title(make_app)["Undated idea"]
    (content / "science").mkdir()
    old.rename(content / "science" / "idea.md")

    def in_the_scanning_process(*args: object) -> None:
        raise AssertionError("a file was read in the scanning process")

    monkeypatch.setattr(reading, "read_file", in_the_scanning_process)
    monkeypatch.setattr(reading, "_derive", in_the_scanning_process)
    report = scan()
    assert (report.read, report.removed, report.errors) == (1, 1, [])
    after = entries_by_title(make_app)["Undated idea"]
    assert (after.id, after.published, after.updated) == (before.id, before.published, before.updated)
    assert after.link == f"{BASE_URL}/articles/science-idea"


def test_rename_without_id_takes_the_new_path(corpus, scan, make_app) -> None:
    scan()
    corpus[2].rename(corpus[2].with_name("2022-11-08-bread.md"))
    scan()
    bread = entries_by_title(make_app)["Bread prices"]
    assert bread.id == tag_uri("news.example.org", datetime(2022, 11, 8), "economy/2022-11-08-bread.md")
    assert len(entries_by_title(make_app)) == 3


def test_delete_and_recreate(corpus, scan, make_app, config) -> None:
    scan()
    before = entries_by_title(make_app)
    etag = feeds(make_app)["/feeds/atom.xml"][0]
    version = store(config).version()
    text = corpus[1].read_bytes()
    corpus[1].unlink()
    report = scan()
    assert (report.removed, report.published) == (1, 2)
    assert "The glacier survey" not in entries_by_title(make_app)
    assert store(config).version() != version
    corpus[1].write_bytes(text)
    scan()
    after = entries_by_title(make_app)
    glacier = after["The glacier survey"]
    assert (glacier.id, glacier.published, glacier.updated) == (
        before["The glacier survey"].id, before["The glacier survey"].published,
        before["The glacier survey"].updated,
    )
    assert store(config).version() == version  # the same content is the same catalog
    assert feeds(make_app)["/feeds/atom.xml"][0] == etag


@pytest.mark.sqlite_only
def test_deleted_database_is_rebuilt_with_the_same_ids(corpus, scan, make_app, config) -> None:
    scan()
    before = feeds(make_app)
    version = store(config).version()
    database = Path(str(config["database"]))
    for path in database.parent.glob(database.name + "*"):
        path.unlink()
    scan()
    assert store(config).version() == version
    after = feeds(make_app)
    for path in FEEDS:
        assert after[path][0] == before[path][0], path


def test_ids_survive_a_configuration_change(corpus, scan, make_app, config) -> None:
    scan()
    ids = {title: entry.id for title, entry in entries_by_title(make_app).items()}
    moved = {**config, "base_url": "https://elsewhere.example.com"}
    report = scan(**moved)
    assert report.read == 3  # entries depend on the base URL: all are read again
    entries = entries_by_title(lambda: make_app(**moved))
    assert {title: entry.id for title, entry in entries.items()} == ids
    assert entries["Bread prices"].link == "https://elsewhere.example.com/articles/economy-bread"


def test_failing_file_keeps_its_last_good_entry(corpus, scan, make_app, config) -> None:
    scan()
    etag = feeds(make_app)["/feeds/atom.xml"][0]
    version = store(config).version()
    write(corpus[1].parent, "glacier.md", "---\ntitle: [broken\n---\n")
    report = scan()
    assert [(error.path, error.reason.split(":")[0]) for error in report.errors] == [
        ("science/glacier.md", "front matter")]
    assert report.published == 3
    assert "The glacier survey" in entries_by_title(make_app)
    assert store(config).version() == version
    assert feeds(make_app)["/feeds/atom.xml"][0] == etag
    again = scan()  # still broken: read again and reported again
    assert (again.read, len(again.errors)) == (1, 1)
    write(corpus[1].parent, "glacier.md", article("The glacier survey, revised", "2023-03-05"))
    scan()
    titles = entries_by_title(make_app)
    assert "The glacier survey, revised" in titles and "The glacier survey" not in titles


# Root reads every folder: without these capabilities it meets permissions like anyone.
WITHOUT_ROOT_READ = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                     "--inh-caps=-dac_override,-dac_read_search"]


def scan_without_root_read(config: dict[str, object]) -> dict[str, object]:
    """Scan in a separate process that folder permissions apply to, even when tests run as root."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv (util-linux) is missing to drop the read capability")
        prefix = WITHOUT_ROOT_READ
    code = ("import json, sys; from feedsvc.config import load_settings; "
            "from feedsvc.scan import scan_once; "
            "print(json.dumps(scan_once(load_settings(overrides=json.loads(sys.argv[1]), environ={}))"
            ".as_dict()))")
    settings = json.dumps({key: str(value) for key, value in config.items()})
    done = subprocess.run([*prefix, sys.executable, "-c", code, settings],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_unreadable_folder_keeps_its_entries(corpus, scan, make_app, config) -> None:
    scan()
    folder = corpus[0].parent
    folder.chmod(0)
    try:
        report = scan_without_root_read(config)
    finally:
        folder.chmod(0o755)
    assert [error["path"] for error in report["errors"]] == ["science"]
    assert (report["removed"], report["published"]) == (0, 3)
    assert len(entries_by_title(make_app)) == 3


def test_broken_topic_rules_keep_the_catalog(corpus, scan, make_app, config) -> None:
    write(corpus[0].parents[1], "topics.toml", '[topics.sky]\nlabel = "Sky"\nmatch = ["comet"]\n')
    scan()
    version = store(config).version()
    write(corpus[0].parents[1], "topics.toml", "[topics.sky\n")
    write(corpus[0].parent, "new.md", article("Waits for the rules", "2024-01-01"))
    report = scan()
    assert [error.path for error in report.errors] == ["topics.toml"]
    assert store(config).version() == version
    assert "Waits for the rules" not in entries_by_title(make_app)
    assert make_app().test_client().get("/topics/sky/atom.xml").status_code == 200
    write(corpus[0].parents[1], "topics.toml", '[topics.sky]\nlabel = "Sky"\nmatch = ["rules"]\n')
    fixed = scan()
    assert (fixed.errors, fixed.read) == ([], 4)  # new rules: every entry is read again
    sky = parse_feed(make_app().test_client().get("/topics/sky/atom.xml").data)
    assert [entry.title for entry in sky.entries] == ["Waits for the rules"]


def test_drafts_come_and_go(corpus, scan, make_app) -> None:
    scan()
    glacier_id = entries_by_title(make_app)["The glacier survey"].id
    write(corpus[1].parent, "glacier.md", article("The glacier survey", "2023-03-05", draft="true"))
    report = scan()
    assert (report.published, report.drafts) == (2, 1)
    assert "The glacier survey" not in entries_by_title(make_app)
    age(corpus[1])
    assert scan().drafts == 1  # counted without reading it again
    write(corpus[1].parent, "glacier.md", article("The glacier survey", "2023-03-05", "Now public."))
    scan()
    assert entries_by_title(make_app)["The glacier survey"].id == glacier_id


def test_a_new_file_cannot_take_a_published_id(content, scan, make_app) -> None:
    first = write(content, "b.md", article("First holder", "2021-01-01", id="urn:x:1"))
    age(first)
    scan()
    write(content, "a.md", article("Late claimant", "2021-01-02", id="urn:x:1"))
    report = scan()
    assert [(error.path, error.reason) for error in report.errors] == [
        ("a.md", "duplicate id: already used by b.md, got 'urn:x:1'")]
    assert list(entries_by_title(make_app)) == ["First holder"]


def test_an_edit_that_takes_another_files_id_keeps_the_last_good_entry(content, scan, make_app) -> None:
    age(write(content, "a.md", article("Holder", "2021-01-01", id="urn:x:a")),
        write(content, "b.md", article("Other", "2021-01-02", id="urn:x:b")))
    scan()
    write(content, "b.md", article("Other, edited", "2021-01-02", id="urn:x:a"))
    report = scan()
    assert [(error.path, error.reason) for error in report.errors] == [
        ("b.md", "duplicate id: already used by a.md, got 'urn:x:a'")]
    assert report.published == 2
    assert {title: entry.id for title, entry in entries_by_title(make_app).items()} == {
        "Holder": "urn:x:a", "Other": "urn:x:b"}


def test_a_refused_files_previous_id_stays_its_own(content, scan, make_app, config) -> None:
    age(write(content, "a.md", article("Holder", "2021-01-01", id="urn:x:a")),
        write(content, "b.md", article("Other", "2021-01-02", id="urn:x:b")))
    scan()
    write(content, "b.md", article("Other, edited", "2021-01-02", id="urn:x:a"))
    write(content, "c.md", article("Newcomer", "2021-01-03", id="urn:x:b"))
    report = scan()  # b.md is refused and keeps urn:x:b, so c.md cannot have it
    assert [(error.path, error.reason) for error in report.errors] == [
        ("b.md", "duplicate id: already used by a.md, got 'urn:x:a'"),
        ("c.md", "duplicate id: already used by b.md, got 'urn:x:b'")]
    assert {title: entry.id for title, entry in entries_by_title(make_app).items()} == {
        "Holder": "urn:x:a", "Other": "urn:x:b"}
    assert store(config).scan_counts() == {"committed": 2, "failed": 0}


def test_two_articles_of_one_name_but_the_extension_each_have_an_id(content, scan, make_app) -> None:
    """`a.md` and `a.rst` are two articles (to Pelican too): the id made of their common name is
    the first's in path order, the other's is made of its whole name, and stays its own."""
    write(content, "news/a.md", article("In Markdown", "2021-01-01"))
    write(content, "news/a.rst", "In reStructuredText\n###################\n\n:date: 2021-01-01\n\nText.\n")
    report = scan()
    made_of = tag_uri("news.example.org", datetime(2021, 1, 1, tzinfo=UTC), "news/a")
    assert (report.published, report.errors) == (2, [])
    assert [(warning.path, warning.reason) for warning in report.warnings] == [
        ("news/a.rst", "id made of the whole file name: news/a.md, of the same name, has the id of its "
                       f"name without the extension, got '{made_of}.rst'")]
    ids = {title: entry.id for title, entry in entries_by_title(make_app).items()}
    assert ids == {"In Markdown": made_of, "In reStructuredText": f"{made_of}.rst"}
    write(content, "news/a.md", article("In Markdown, edited", "2021-01-01"))
    write(content, "news/a.rst", "In reStructuredText, edited\n###########################\n\n"
                                 ":date: 2021-01-01\n\nText.\n")
    assert scan().errors == []
    assert sorted(entry.id for entry in entries_by_title(make_app).values()) == sorted(ids.values())
    write(content, "news/b.md", article("Taking an id", "2021-01-02", id=made_of))
    refused = f"duplicate id: already used by news/a.md, got '{made_of}'"
    assert [error.reason for error in scan().errors] == [refused]


def test_colliding_slugs_stay_with_their_files(content, scan, make_app) -> None:
    one = write(content, "a-b.md", article("Dash", "2021-01-01"))
    age(one)
    scan()
    write(content, "a b.md", article("Space", "2021-01-02"))
    scan()
    links = {title: entry.link for title, entry in entries_by_title(make_app).items()}
    assert links == {"Dash": f"{BASE_URL}/articles/a-b", "Space": f"{BASE_URL}/articles/a-b-2"}


def test_recently_modified_file_is_read_again(content, scan) -> None:
    write(content, "fresh.md", article("Fresh", "2021-01-01"))
    assert scan().read == 1
    assert scan().read == 1  # its mtime could hide a second write in the same tick
    age(content / "fresh.md")
    assert scan().read == 1
    assert scan().read == 0


def test_incremental_version_equals_a_fresh_build(corpus, scan, config, tmp_path) -> None:
    """The maintained fingerprint sum gives the version a full rebuild computes."""
    scan()
    content = corpus[0].parents[1]
    write(content, "science/comet.md", article("A comet", "2023-02-01", updated="2023-02-02"))
    corpus[1].unlink()  # a topic that loses its entries stays: keep every topic in use here
    write(content, "culture/choir.md", article("Choirs", "2022-07-03", tags="[music]"))
    write(content, "science/draft.md", article("Soon", "2024-01-01", draft="true"))
    scan()
    write(content, "culture/choir.md",
          article("Choirs, again", "2022-07-03", updated="2022-07-04", tags="[music]"))
    scan()
    fresh = {**config, "database": tmp_path / "fresh" / "catalog.db"}
    scan(**fresh)
    assert store(config).version() == store(fresh).version() != ""


@pytest.mark.sqlite_only
def test_catalog_from_an_older_release_keeps_its_ids(corpus, scan, make_app, config) -> None:
    database = Path(str(config["database"]))
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as db:  # the first release's tables, one remembered file
        db.executescript(
            "CREATE TABLE files (path TEXT PRIMARY KEY, entry_id TEXT NOT NULL, first_seen TEXT "
            "NOT NULL, content_hash TEXT NOT NULL, published TEXT NOT NULL, updated TEXT NOT NULL);"
            "CREATE TABLE entries (id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
            "CREATE TABLE entry_topics (topic TEXT NOT NULL, entry_id TEXT NOT NULL);"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('version', 'old');"
        )
        db.execute("INSERT INTO files VALUES ('economy/bread.md', 'urn:old:bread', ?, 'x', ?, ?)",
                   (datetime(2020, 1, 1, tzinfo=UTC).isoformat(),) * 3)
    db.close()
    report = scan()
    assert (report.read, report.published) == (3, 3)
    assert entries_by_title(make_app)["Bread prices"].id == "urn:old:bread"


@pytest.mark.sqlite_only
def test_catalog_of_the_previous_schema_keeps_its_file_states(corpus, scan, config) -> None:
    scan()
    database = Path(str(config["database"]))
    with sqlite3.connect(database) as db:  # schema version 2: no slug of files, no media of entries
        db.execute("ALTER TABLE files DROP COLUMN slug")
        db.execute("ALTER TABLE entries DROP COLUMN media")
        db.execute("ALTER TABLE files DROP COLUMN media")
        db.execute("PRAGMA user_version = 2")
    db.close()
    states = store(config).file_states()
    assert {path: state.slug for path, state in states.items()} == {
        "science/comet.md": "science-comet", "science/glacier.md": "science-glacier",
        "economy/bread.md": "economy-bread"}
    report = scan()
    assert (report.read, report.published) == (0, 3)


@pytest.mark.sqlite_only
def test_catalog_of_schema_3_gets_media_columns(corpus, scan, config) -> None:
    scan()
    database = Path(str(config["database"]))
    with sqlite3.connect(database) as db:
        db.execute("ALTER TABLE entries DROP COLUMN media")
        db.execute("ALTER TABLE files DROP COLUMN media")
        db.execute("PRAGMA user_version = 3")
    db.close()
    assert store(config).entry_by_slug("science-comet").attachments == ()
    assert scan().published == 3


def test_a_scanning_process_keeps_file_states_equal_to_the_catalog(corpus, config) -> None:
    """States kept between scans and patched by commits match the rows; others' commits count."""
    settings = load_settings(overrides=config)
    kept, other = Store(settings.catalog), Store(settings.catalog)
    content = corpus[0].parents[1]
    scan_once(settings, kept)
    write(content, "science/comet.md", article("A comet", "2023-02-01", draft="true"))
    corpus[2].unlink()
    write(content, "culture/choir.md", article("Choirs", "2022-07-03"))
    scan_once(settings, kept)
    assert dict(kept.file_states()) == dict(Store(settings.catalog).file_states())
    write(content, "culture/late.md", article("Late", "2022-07-04"))
    scan_once(settings, other)  # another process commits: the kept states are stale
    assert "culture/late.md" in kept.file_states()
    assert dict(kept.file_states()) == dict(Store(settings.catalog).file_states())


def test_a_large_scan_is_written_as_it_reads_and_committed_at_once(content, config) -> None:
    """At most a batch of read files is held in memory; other readers see all or nothing."""
    total = 2 * WRITE_BATCH + 5
    age(*(write(content, f"bulk/{number:04d}.md", article(f"Note {number}", "2023-01-02"))
          for number in range(total)))
    settings = load_settings(overrides=config)
    scanning, other = Store(settings.catalog), Store(settings.catalog)
    seen: list[tuple[int, int]] = []

    def progress(done: int, _of: int) -> None:
        if done == total:  # the scan's own connection sees its open transaction
            seen.append((len(scanning.article_slugs()), len(other.article_slugs())))

    report = scan_once(settings, scanning, progress)
    [(written, committed)] = seen
    assert total - WRITE_BATCH <= written < total
    assert committed == 0
    assert report.published == total == len(Store(settings.catalog).article_slugs())


@pytest.mark.sqlite_only
def test_a_pool_of_processes_reads_files_as_one_process_does(content, config, tmp_path, monkeypatch) -> None:
    """Large scans read in fresh processes: same catalog, same failures, same ids and slugs."""
    for number in range(12):
        write(content, f"pool/{number:02d}.md", article(f"Note {number}", "2023-01-02", tags="[pool]"))
    write(content, "pool/same-id-a.md", article("First", "2023-01-03", id="urn:x:same"))
    write(content, "pool/same-id-b.md", article("Second", "2023-01-03", id="urn:x:same"))
    write(content, "pool/broken.md", "---\ntitle: [unclosed\n---\nText.\n")
    write(content, "pool/empty.md", "")
    age(*content.rglob("*.md"))
    serial = {**config, "database": tmp_path / "serial" / "catalog.db"}
    serial_report = scan_once(load_settings(overrides=serial))
    monkeypatch.setattr(reading, "POOL_MIN_FILES", 2)
    started = []
    monkeypatch.setattr(reading, "_start_child", lambda *args: started.append(1) or START_CHILD(*args))
    pooled_report = scan_once(load_settings(overrides=config))
    assert len(started) == min(os.cpu_count() or 1, 4), "not one reading process per core"
    assert pooled_report.as_dict() | {"started": None, "finished": None, "duration": None} == \
        serial_report.as_dict() | {"started": None, "finished": None, "duration": None}
    assert [problem.path for problem in pooled_report.errors] == ["pool/broken.md", "pool/same-id-b.md"]
    assert store(config).version() == store(serial).version() != ""


def doubled_first_slowly(number: int) -> int:
    if number == 0:  # while one process is held up, the other must not read far ahead
        time.sleep(1)
    return 2 * number


def test_reading_processes_take_files_only_a_window_ahead_of_the_results_taken() -> None:
    """A scan that writes slowly (a busy serving process) must not pile up the results read,
    nor look up every file's identity before the first is read."""
    processes = 2
    window = processes * reading.AHEAD * 2
    numbers = list(range(10 * window + 7))
    pulled: list[int] = []
    tasks = (pulled.append(number) or number for number in numbers)
    taken = []
    for pair in reading.read_in_children(doubled_first_slowly, tasks, processes, limit=60):
        assert len(pulled) <= len(taken) + window + 1  # one task is looked at before it is sent
        taken.append(pair)
    assert taken == [(number, 2 * number) for number in numbers]


def test_a_walk_leaves_no_reference_cycle_behind(corpus, content) -> None:
    """Scans run every few seconds: a walk's stats must be freed at once, not by the cyclic GC."""
    gc.disable()
    try:
        found = walk(content, ScanReport())
        assert len(found.files) == len(corpus)
        freed = weakref.ref(found)
        del found
        assert freed() is None
    finally:
        gc.enable()

"""The PostgreSQL catalog against SQLite's: the same bytes and ETags for every document,
announced commits, one scanner among servers, and clear errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from helpers.content import BASE_URL, age, write
from helpers.corpus import write_corpus
from helpers.postgres import wait_for

from feedsvc import catalog
from feedsvc.config import load_settings
from feedsvc.errors import CatalogError, CatalogUnavailable
from feedsvc.hub_catalog import HubCatalog, Subscription
from feedsvc.scan import scan_lock
from feedsvc.leader import leader_lock
from feedsvc.store import Store
from feedsvc.store.pg_session import LISTEN_CHECK_SECONDS, POOLS

GOLDEN_CONTENT = Path(__file__).parent / "data" / "golden" / "content"
LINK = re.compile(rb'(?:href|src|url)="([^"]+)"|"(?:url|next_url|feed_url|home_page_url)": "([^"]+)"')
MAX_DOCUMENTS = 400
START = ("/", "/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/feeds/atom.xml?page=2",
         "/feeds/rss.xml?q=harbour", "/feeds/feed.json?author=ana%20ruiz", "/feeds/atom.xml?q=caf%C3%A9")


def crawl(client) -> dict[str, tuple[int, bytes, str | None]]:
    """Every document of the site reachable from START: status, body and ETag by path."""
    seen: dict[str, tuple[int, bytes, str | None]] = {}
    waiting = list(START)
    while waiting and len(seen) < MAX_DOCUMENTS:
        path = waiting.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = (response.status_code, response.data, response.headers.get("ETag"))
        response.close()  # a static file's stays open until closed
        for match in LINK.finditer(response.data):
            url = (match.group(1) or match.group(2)).decode().replace("&amp;", "&")
            parts = urlsplit(url)
            if url.startswith(("/", BASE_URL)) and not url.startswith("//"):
                waiting.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_every_document_is_the_same_bytes_and_etag_as_on_sqlite(make_app, scan, pg_url, monkeypatch) -> None:
    """The same content scanned into either catalog: byte-identical feeds, pages and ETags."""
    # both commit at one time (feeds show it): the scans may not fall in the same second
    committed = time.time()
    monkeypatch.setattr(catalog, "time", SimpleNamespace(time=lambda: committed, sleep=time.sleep))
    scan(content_dir=GOLDEN_CONTENT)
    scan(content_dir=GOLDEN_CONTENT, database=pg_url)
    on_sqlite = crawl(make_app(content_dir=GOLDEN_CONTENT).test_client())
    on_postgresql = crawl(make_app(content_dir=GOLDEN_CONTENT, database=pg_url).test_client())
    assert len(on_sqlite) > 40  # feeds, topics, articles and pages were found
    assert sorted(on_postgresql) == sorted(on_sqlite)
    for path, (status, body, etag) in on_sqlite.items():
        assert on_postgresql[path] == (status, body, etag), path


def test_a_commit_is_announced_to_other_processes_within_a_second(content, config, pg_url) -> None:
    write_corpus(content)
    watcher = Store(pg_url)
    listener = POOLS.listener(pg_url)
    for _ in range(100):
        if listener.version is not None:
            break
        time.sleep(0.05)
    assert listener.version == watcher.version() == ""
    env = {**os.environ, "FEEDSVC_DATABASE": pg_url, "FEEDSVC_CONTENT_DIR": str(content)}
    subprocess.run([sys.executable, "-m", "feedsvc", "scan"], env=env, check=True, capture_output=True)
    committed = time.monotonic()
    while listener.version == "" and time.monotonic() - committed < 1:
        time.sleep(0.01)
    assert listener.version == Store(pg_url).meta("version") != ""
    assert watcher.version() == listener.version


def test_the_process_that_commits_knows_the_new_version_at_once(content, scan, pg_url) -> None:
    """Not a notification behind: its listener may hear of the commit a second later (or, here,
    stopped, never), and the feeds it serves meanwhile would be cached as the old version's."""
    write_corpus(content)
    store = Store(pg_url)  # creates the tables the listener reads
    listener = POOLS.listener(pg_url)
    assert wait_for(lambda: listener.version == "")
    listener.stopped = True
    time.sleep(LISTEN_CHECK_SECONDS + 1)  # its last wait for notifications is over
    try:
        scan(database=pg_url)
        with store.snapshot():
            version = store.version()  # the catalog's own, read in a transaction
        assert version and store.version() == version
    finally:
        POOLS.close(pg_url)


def test_one_scanner_among_servers_and_a_lost_leader_is_replaced(config, pg_url, postgres_server) -> None:
    """The leader lock is PostgreSQL's: one holder among processes; it goes with its connection."""
    settings = load_settings(overrides={**config, "database": pg_url})
    first, second = leader_lock(settings), leader_lock(settings)
    assert first.acquire() and first.held
    assert not second.acquire()
    killed = first._db.info.backend_pid  # the leader's connection dies (its process killed)
    postgres_server.admin(f"SELECT pg_terminate_backend({killed})")
    assert not first.held
    assert second.acquire() and second.held
    assert not first.acquire()
    second.release()
    with scan_lock(settings):  # the scan lock is free once the leader is gone: a scan can run
        pass


def test_an_unreachable_server_is_named_without_its_password(config, postgres_server) -> None:
    url = f"postgresql://feedsvc:s3cret@127.0.0.1:{postgres_server.port}/no_such_catalog"
    with pytest.raises(CatalogError) as raised:
        Store(url)
    message = str(raised.value)
    assert message.startswith("FEEDSVC_DATABASE=postgresql://feedsvc:********@127.0.0.1:")
    assert "s3cret" not in message and "no_such_catalog" in message


def test_schema_creation_by_servers_starting_together(pg_url) -> None:
    """Processes opening a new catalog at once: one creates the tables, none fails."""
    code = "import sys; from feedsvc.store import Store; print(Store(sys.argv[1]).version() == '')"
    starting = [subprocess.Popen([sys.executable, "-c", code, pg_url], stdout=subprocess.PIPE, text=True)
                for _ in range(4)]
    assert [process.communicate(timeout=60)[0] for process in starting] == ["True\n"] * 4


def test_libpq_variables_fill_what_the_url_leaves_out(config, content, postgres_server, pg_url,
                                                      monkeypatch) -> None:
    write(content, "a.md", "---\ntitle: Alone\ndate: 2020-01-01\n---\nText.\n")
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(postgres_server.port))
    monkeypatch.setenv("PGUSER", "feedsvc")
    url = f"postgresql:///{urlsplit(pg_url).path.lstrip('/')}"
    settings = load_settings(overrides={**config, "database": url})
    assert settings.catalog == url
    from feedsvc.scan import scan_once

    assert scan_once(settings).published == 1
    assert Store(pg_url).article_slugs() == ["a"]
    POOLS.close(url)


def migrate(source: object, target: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feedsvc", "migrate", str(source), str(target)],
                          capture_output=True, text=True, timeout=120)


def test_migrate_both_ways_keeps_every_document_and_reads_nothing_again(
        content, config, make_app, scan, pg_url, tmp_path) -> None:
    write_corpus(content)
    write(content, "draft.md", "---\ntitle: Later\ndate: 2021-01-01\ndraft: true\n---\nNot yet.\n")
    age(*content.rglob("*.md"))  # a file changed in the last seconds is read again by every scan
    scan()
    on_sqlite = crawl(make_app().test_client())
    moved = migrate(config["database"], pg_url)
    assert moved.returncode == 0, moved.stderr
    assert "copied 10 entries, 11 files" in moved.stdout  # and the draft's file
    assert crawl(make_app(database=pg_url).test_client()) == on_sqlite
    again = scan(database=pg_url)
    assert (again.read, again.removed) == (0, 0)  # the file states came along
    back = tmp_path / "back" / "catalog.db"
    assert migrate(pg_url, back).returncode == 0
    assert crawl(make_app(database=back).test_client()) == on_sqlite
    assert scan(database=back).read == 0
    refused = migrate(config["database"], back)
    assert refused.returncode == 1
    assert "already holds a catalog" in refused.stderr and "Traceback" not in refused.stderr
    assert Store(back).version() == Store(config["database"]).version()


def test_an_outage_keeps_the_last_version_answers_unavailable_and_recovers(
        content, config, scan, pg_url, postgres_server) -> None:
    write_corpus(content)
    scan(database=pg_url)
    store = Store(pg_url)
    with store.snapshot():
        version = store.version()  # the catalog's own, read in a transaction
    assert version and store.version() == version  # the process that committed knows it at once
    postgres_server.stop()
    try:
        assert wait_for(lambda: store.unavailable_reason() is not None)
        assert store.version() == version  # what cached documents are keyed by
        with pytest.raises(CatalogUnavailable) as raised:
            store.find_entries(limit=5)
        assert "cannot be reached" in str(raised.value)
        with pytest.raises(CatalogUnavailable):
            with store.snapshot():
                store.entries()
    finally:
        postgres_server.start()
    assert wait_for(lambda: store.unavailable_reason() is None)
    assert len(store.find_entries(limit=5)[0]) == 5
    write(content, "late.md", "---\ntitle: After the outage\ndate: 2020-01-01\n---\nBack.\n")
    assert scan(database=pg_url).published == 11
    assert wait_for(lambda: store.version() != version)


@pytest.mark.parametrize("on_postgresql", [False, True], ids=["sqlite", "postgresql"])
def test_the_websub_tables_on_either_catalog(config, on_postgresql, request) -> None:
    hub = HubCatalog(Store(request.getfixturevalue("pg_url") if on_postgresql else config["database"]))
    feed = f"{BASE_URL}/feeds/atom.xml"
    first = Subscription(feed, "https://a.example/cb", "a.example", "s", 60, 100.0)
    assert hub.subscribe(first, "d1", (10, 1))
    assert hub.subscribe(replace(first, expires=200.0), "d2", (10, 1))  # a renewal
    assert "per callback host" in hub.over_limits(feed, "https://a.example/other", "a.example", (10, 1))
    assert hub.subscription(feed, "https://a.example/cb", 150.0) is not None  # the renewal's lease
    assert hub.digests() == {feed: "d1"}  # watched since the first subscription
    hub.save_digests({feed: "d3", f"{BASE_URL}/feeds/rss.xml": "x"}, keep_subscribed_only=True)
    assert hub.digests() == {feed: "d3"}
    hub.add_counts({"deliveries": 2})
    hub.add_counts({"deliveries": 3, "delivery_failures": 1})
    assert hub.figures(150.0) == {"subscriptions": 1, "watched_feeds": 1, "deliveries": 5,
                                  "delivery_failures": 1, "publications": 0, "publication_failures": 0}
    assert hub.topics(150.0) == [feed] and hub.drop_expired(250.0) == 1 and hub.topics(150.0) == []


def test_a_postgresql_url_is_kept_whole_and_shown_without_its_password(tmp_path) -> None:
    for url in ("postgresql://feeds:s3cret@db.example:5432/feeds", "postgres://feeds@db.example/feeds"):
        assert load_settings(overrides={"database": url}).catalog == url
    env = {**os.environ, "FEEDSVC_DATABASE": "postgresql://feeds:s3cret@db.example:5432/feeds"}
    shown = subprocess.run([sys.executable, "-m", "feedsvc", "config"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert "postgresql://feeds:********@db.example:5432/feeds" in shown and "s3cret" not in shown

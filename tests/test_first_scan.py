"""Before any scan has committed a catalog, documents are not served empty: an empty feed
would tell readers every article is gone. They get 503 with Retry-After until one has."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.content import write
from helpers.feeds import parse_feed

from feedsvc.web import feeds, service

DOCUMENTS = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/topics/world/atom.xml",
             "/feeds.opml", "/api/topics"]
HARBOUR = "---\ntitle: The harbour reopens\ndate: 2024-04-02\n---\n\nText.\n"


@pytest.fixture(autouse=True)
def fresh_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "VERSION_CHECK_SECONDS", 0.0)  # each request sees the last commit


def assert_not_built_yet(client) -> None:
    for path in DOCUMENTS:
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == str(feeds.FIRST_SCAN_RETRY_SECONDS)
        assert "no scan has finished yet" in response.get_data(as_text=True)


def test_documents_wait_for_the_first_scan(content: Path, scan, make_app) -> None:
    write(content, "world/harbour.md", HARBOUR)
    client = make_app().test_client()
    assert_not_built_yet(client)
    assert client.get("/readyz").status_code == 503

    scan()
    feed = parse_feed(client.get("/topics/world/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["The harbour reopens"]
    assert client.get("/feeds.opml").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_first_scan_that_commits_nothing_keeps_them_waiting(content: Path, scan, make_app) -> None:
    write(content, "world/harbour.md", HARBOUR)
    write(content, "topics.toml", "[topics.sea\n")  # broken rules: the scan commits nothing
    report = scan()
    assert [error.path for error in report.errors] == ["topics.toml"]
    client = make_app().test_client()
    assert_not_built_yet(client)

    write(content, "topics.toml", '[topics.sea]\nlabel = "Sea"\nmatch = ["harbour"]\n')
    scan()
    feed = parse_feed(client.get("/topics/sea/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["The harbour reopens"]


def test_an_empty_folder_once_scanned_gives_an_empty_feed(scan, make_app) -> None:
    scan()
    response = make_app().test_client().get("/feeds/atom.xml")
    assert response.status_code == 200
    assert parse_feed(response.data).entries == []

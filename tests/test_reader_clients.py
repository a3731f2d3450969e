"""Real readers polling a running `feedsvc serve` while a back-dated article is added, the newest
deleted and an article edited: newsboat, the `reader` library and a client that validates
with If-Modified-Since alone (as feedparser with a stored `modified` does). Every change
reaches each of them, none gets a duplicate, and a poll of an unchanged feed is a 304."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from helpers.content import write
from helpers.readers import Article, Newsboat
from helpers.server import LiveServer, debian_command

ARTICLES = [
    Article("port/ships.md", "2024-05-01", "New ships for the ferry line", "Two ships arrive in June."),
    Article("port/cranes.md", "2024-03-01", "Cranes on the north quay", "Three cranes are installed."),
    Article("farm/wheat.txt", "2024-02-01", "Wheat harvest beats the forecast", "Dry weather helped."),
]
BACK_DATED = Article("port/pier.md", "2003-06-01", "The old pier, twenty years on", "Found in the archive.")
NEWEST = "port/ships.md"
EDITED = Article("port/cranes.md", "2024-03-01", "Cranes on the north quay, now four", "A fourth crane came.")
FEEDS = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json"]


def titles_by_guid(articles: list[Article]) -> dict[str, str]:
    return {article.guid: article.title for article in articles}


def changes(content: Path) -> list[tuple[str, Callable[[], None], list[Article]]]:
    """(name, the change, what the catalog holds after it), in order."""
    added = [*ARTICLES, BACK_DATED]
    deleted = [a for a in added if a.path != NEWEST]
    edited = [EDITED if a.path == EDITED.path else a for a in deleted]
    return [
        ("back-dated", lambda: write(content, BACK_DATED.path, BACK_DATED.source()), added),
        ("newest deleted", lambda: (content / NEWEST).unlink(), deleted),
        ("edited", lambda: write(content, EDITED.path, EDITED.source()), edited),
    ]


class ModifiedSinceOnly:
    """A client that keeps Last-Modified only and sends it back as If-Modified-Since."""

    def __init__(self, server: LiveServer, path: str):
        self.server, self.path, self.stamp = server, path, ""

    def poll(self) -> int:
        headers = {"If-Modified-Since": self.stamp, "User-Agent": "since-only"} if self.stamp else {}
        status, _body, answer = self.server.get(self.path, headers)
        if status == 200:
            assert parsedate_to_datetime(answer["Last-Modified"]) <= parsedate_to_datetime(answer["Date"])
            self.stamp = answer["Last-Modified"]
        return status


def test_reader_library_newsboat_and_if_modified_since(content: Path, tmp_path: Path, monkeypatch) -> None:
    # reader's own copy of feedparser needs sgmllib, which reader does not install: use the
    # feedparser the tests install (a switch reader documents)
    monkeypatch.setenv("READER_NO_VENDORED_FEEDPARSER", "1")
    reader_library = pytest.importorskip("reader")
    newsboat_binary = debian_command("newsboat", "newsboat")
    for article in ARTICLES:
        write(content, article.path, article.source())
    (tmp_path / "newsboat").mkdir()
    with LiveServer(content, tmp_path / "catalog.db", tmp_path / "serve.log") as server:
        library = reader_library.make_reader(str(tmp_path / "reader.sqlite"))
        for path in FEEDS:
            library.add_feed(server.base + path)
        newsboat = {path: Newsboat(newsboat_binary, tmp_path / "newsboat", path.split("/")[-1],
                                   server.base + path) for path in FEEDS[:2]}
        since_only = [ModifiedSinceOnly(server, path) for path in FEEDS]

        def poll_all() -> dict[str, dict[str, list[int]]]:
            """Each client polls its feeds once: the statuses it got, by client and feed."""
            mark = server.log_size()
            library.update_feeds(scheduled=False)  # now, whatever max-age would let it wait
            for reader in newsboat.values():
                reader.reload()
            return {
                "reader": server.statuses(mark, "python-reader", len(FEEDS)),
                "newsboat": server.statuses(mark, "newsboat/", len(newsboat)),
                "since-only": {client.path: [client.poll()] for client in since_only},
            }

        def answered(status: int, reader_status: int | None = None) -> dict[str, dict[str, list[int]]]:
            return {"reader": {path: [reader_status or status] for path in FEEDS},
                    "newsboat": {path: [status] for path in newsboat},
                    "since-only": {path: [status] for path in FEEDS}}

        for _ in range(2):  # newsboat validates from the third reload of a fresh cache on
            poll_all()
        assert poll_all() == answered(304)  # nothing changed: Not Modified for everyone

        for name, change, expected in changes(content):
            change()
            server.wait_for_catalog(titles_by_guid(expected))
            assert poll_all() == answered(200), name
            assert all(client.stamp for client in since_only)
            for path in FEEDS:
                entries = list(library.get_entries(feed=server.base + path))
                ids = [entry.id for entry in entries]
                assert len(ids) == len(set(ids)), (name, path)  # no duplicate, ever
                current = {entry.id: entry.title for entry in entries}
                for article in expected:  # each change reached the reader, edits in place
                    assert current.get(article.guid) == article.title, (name, path, article.path)
            for path, reader in newsboat.items():
                items = reader.items()
                assert len({guid for guid, _t, _u in items}) == len(items), (name, path)
                assert {(a.guid, a.title) for a in expected} <= {(g, t) for g, t, _u in items}, (name, path)
            # Changed once: a full answer then, 304 after. reader stores a response's validators
            # only when the feed or an entry changed for it (reader/_update), and an entry that
            # left the feed changes nothing it keeps: it sends the older ETag and gets 200.
            assert poll_all() == answered(304, 200 if name == "newest deleted" else 304), name

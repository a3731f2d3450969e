"""A real feed reader end to end: newsboat subscribed to a running `feedsvc serve`.

newsboat 2.21 keys cached items by guid across every feed of one cache file, so each
subscription gets its own cache. It sends If-None-Match / If-Modified-Since only from the
third reload of a fresh cache on, so each cache is reloaded three times before the change.
"""

from __future__ import annotations

from pathlib import Path

from helpers.content import write
from helpers.readers import Article, Newsboat
from helpers.server import LiveServer, debian_command

CORPUS = [
    Article("world/harbour.md", "2024-03-01", "Harbour reopens after the storm",
            "Fishing boats left at dawn for the first time in a week."),
    Article("world/elections.txt", "2024-02-10", "Turnout rises in the regional vote",
            "Polling stations stayed open two hours longer than planned."),
    Article("science/comet.md", "2024-01-20", "A comet brightens near the horizon",
            "Binoculars show its tail an hour after sunset."),
    Article("science/bees.txt", "2023-12-05", "Bees return to the city parks",
            "Volunteers counted forty hives along the river."),
    Article("economy/prices.md", "2024-02-28", "Bread prices hold steady",
            "Bakers signed a one-year contract with the mills."),
    Article("economy/wheat.txt", "2023-11-11", "Wheat harvest beats the forecast",
            "Dry weather in October helped the late fields."),
]
EDITED = Article("world/elections.txt", "2024-02-10", "Turnout rises to a record in the regional vote",
                 "Final figures show the highest turnout since the region was formed.")
ADDED = Article("economy/market.md", "2024-03-05", "Night market opens on the quay",
                "Forty stalls sell fish, bread and spices until midnight.")
DELETED = "economy/wheat.txt"

# One cache per subscription: (name, feed path, topic folder or None for every article).
SUBSCRIPTIONS = [
    ("all", "/feeds/atom.xml", None),
    ("world", "/topics/world/rss.xml", "world"),
    ("science", "/topics/science/atom.xml", "science"),
]


def expected_items(articles: list[Article], topic: str | None, url: str) -> list[tuple[str, str, str]]:
    chosen = [a for a in articles if topic is None or a.path.startswith(topic + "/")]
    return sorted((a.guid, a.title, url) for a in chosen)


def test_newsboat_follows_the_feeds_through_edits(content: Path, tmp_path: Path) -> None:
    binary = debian_command("newsboat", "newsboat")  # installed when absent
    for article in CORPUS:
        write(content, article.path, article.source())
    home = tmp_path / "newsboat"
    home.mkdir()
    with LiveServer(content, tmp_path / "catalog.db", tmp_path / "serve.log", workers=2) as server:
        readers = {name: Newsboat(binary, home, name, server.base + path) for name, path, _ in SUBSCRIPTIONS}
        start = server.log_size()
        for _ in range(3):
            for reader in readers.values():
                reader.reload()
        for name, path, topic in SUBSCRIPTIONS:
            reader = readers[name]
            assert reader.items() == expected_items(CORPUS, topic, reader.url), name
            assert reader.feed_title() == ("feedsvc" if topic is None else f"feedsvc: {topic}")
            # a fresh cache: two plain GETs, then a conditional GET that the server answers 304
            assert server.statuses(start, "newsboat/", 3 * len(readers))[path] == [200, 200, 304], name

        write(content, EDITED.path, EDITED.source())
        write(content, ADDED.path, ADDED.source())
        (content / DELETED).unlink()
        after = [EDITED if a.path == EDITED.path else a for a in CORPUS if a.path != DELETED] + [ADDED]
        server.wait_for_catalog({article.guid for article in after})

        mark = server.log_size()
        for reader in readers.values():
            reader.reload()
        statuses = server.statuses(mark, "newsboat/", len(readers))

    everything = readers["all"].items()
    guids = [guid for guid, _, _ in everything]
    assert guids.count(ADDED.guid) == 1  # the new article appears once
    assert guids.count(EDITED.guid) == 1  # the edited one is updated in place, not duplicated
    assert (EDITED.guid, EDITED.title, readers["all"].url) in everything
    assert len(everything) == len(CORPUS) + 1  # newsboat keeps the deleted article it saw before

    world = readers["world"].items()
    assert world == expected_items(after, "world", readers["world"].url)
    assert readers["science"].items() == expected_items(CORPUS, "science", readers["science"].url)

    assert statuses["/feeds/atom.xml"] == [200]  # changed: a full answer
    assert statuses["/topics/world/rss.xml"] == [200]
    assert statuses["/topics/science/atom.xml"] == [304]  # unchanged: Not Modified

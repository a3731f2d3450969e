"""A second real feed reader end to end: sfeed (its own C parser of RSS and Atom) subscribed
with sfeed_update to a running `feedsvc serve`.

sfeed_update fetches with curl; its sfeedrc overrides fetch() as sfeedrc(5) describes, with
curl's --etag-save/--etag-compare and --compressed, so the second poll is conditional and the
server must answer 304. sfeed writes one TAB-separated line per item (timestamp, title, link,
content, content-type, id, author, enclosure, categories), read here field by field.
"""

from __future__ import annotations

import html
import os
import subprocess
from pathlib import Path

from helpers.content import write
from helpers.readers import Article
from helpers.server import LiveServer, debian_command

from feedsvc.urls import article_slug

CORPUS = [
    Article("world/harbour.md", "2024-03-01", "Harbour reopens after the storm",
            "Text of Harbour reopens after the storm.", author="Ana Ruiz", tags=("sea",)),
    Article("world/vote.md", "2024-02-10", "Turnout & results: a < b, c > d",
            "Text of Turnout & results: a < b, c > d.", author="Bo Li", tags=("politics",)),
    Article("world/tags.md", "2024-01-20", "Why <script> tags matter",
            "Text of Why <script> tags matter.", author="Ana Ruiz", tags=("web", "sea")),
    Article("science/comet.md", "2023-12-05", "A comet brightens near the horizon",
            "Text of A comet brightens near the horizon.", author="Cy Ode", tags=()),
    Article("science/markup.md", "2023-11-11", "Closing </b> tags explained",
            "Text of Closing </b> tags explained.", author="Cy Ode", tags=("web",)),
]
ADDED = Article("world/market.md", "2024-03-05", "Night market opens on the quay",
                "Text of Night market opens on the quay.", author="Bo Li", tags=("sea",))
FEEDS = {"all": "/feeds/atom.xml", "world": "/topics/world/rss.xml", "web": "/topics/web/atom.xml"}
# Spelled out as sfeedrc(5) shows, with conditional requests and compression added.
SFEEDRC = """sfeedpath="{home}/feeds"
fetch() {{
	curl -f -s -m 15 --compressed --etag-save "{home}/etag.$1" --etag-compare "{home}/etag.$1" "$2"
}}
feeds() {{
{feeds}
}}
"""


def shown_title(article: Article) -> str:
    """What sfeed shows. It takes titles as plain text and ignores a declared type="html", so
    a title holding an end tag, which feedsvc declares (Atom) or writes as HTML (RSS), shows
    its HTML escapes there; every other title is shown exactly."""
    return html.escape(article.title, quote=False) if "</" in article.title else article.title


def expected_lines(articles: list[Article], feed_path: str, base: str) -> set[tuple[str, ...]]:
    """(timestamp, title, link, id, author, categories) of each article the feed holds."""
    topic = feed_path.split("/")[2] if feed_path.startswith("/topics/") else None
    return {
        (article.timestamp, shown_title(article),
         f"{base}/articles/{article_slug(article.path, {})}", article.guid, article.author,
         "|".join(sorted({article.folder, *article.tags})))
        for article in articles if topic is None or topic in (article.folder, *article.tags)
    }


def read_lines(home: Path, name: str) -> set[tuple[str, ...]]:
    found = set()
    for line in (home / "feeds" / name).read_text(encoding="utf-8").splitlines():
        timestamp, title, link, _content, _type, guid, author, _enclosure, categories = line.split("\t")
        found.add((timestamp, title, link, guid, author, "|".join(sorted(categories.split("|")))))
    return found


def sfeed_update(home: Path, base: str) -> None:
    feeds = "\n".join(f'\tfeed "{name}" "{base}{path}"' for name, path in FEEDS.items())
    config = home / "sfeedrc"
    config.write_text(SFEEDRC.format(home=home, feeds=feeds), encoding="utf-8")
    result = subprocess.run([debian_command("sfeed", "sfeed_update"), str(config)],
                            env={**os.environ, "HOME": str(home)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout, result.stdout


def test_sfeed_reads_every_item_and_polls_conditionally(tmp_path: Path) -> None:
    debian_command("curl", "curl")
    content, home = tmp_path / "content", tmp_path / "home"
    home.mkdir()
    for article in CORPUS:
        write(content, article.path, article.source())
    server = LiveServer(content, tmp_path / "catalog.db", tmp_path / "serve.log", workers=2)
    with server:
        sfeed_update(home, server.base)
        for name, path in FEEDS.items():
            assert read_lines(home, name) == expected_lines(CORPUS, path, server.base), name
        first_poll = server.log_size()
        sfeed_update(home, server.base)  # unchanged: every feed answers 304
        assert server.statuses(first_poll, "curl/", len(FEEDS)) == {path: [304] for path in FEEDS.values()}
        for name, path in FEEDS.items():
            assert read_lines(home, name) == expected_lines(CORPUS, path, server.base), name

        write(content, ADDED.path, ADDED.source())
        server.wait_for_catalog({article.guid for article in [*CORPUS, ADDED]})
        second_poll = server.log_size()
        sfeed_update(home, server.base)
        assert server.statuses(second_poll, "curl/", len(FEEDS)) == {
            "/feeds/atom.xml": [200], "/topics/world/rss.xml": [200], "/topics/web/atom.xml": [304]}
        for name, path in FEEDS.items():
            assert read_lines(home, name) == expected_lines([*CORPUS, ADDED], path, server.base), name
    assert not server.traceback(), server.traceback()

"""Golden feeds: the bytes the app serves for a fixed content folder, compared byte for byte.

tests/data/golden/content holds articles whose titles, authors, summaries and topics carry
"&", "<", ">", end tags, quotes and non-ASCII text, articles with several authors, enough of
them to page, topics, a cover image, enclosures and a podcast. They are scanned into a fresh
catalog with the settings below, and every format (Atom, RSS, JSON Feed) of each feed in
FEEDS is fetched from the real app and compared with tests/data/golden/expected/<feed>.<file>;
the ETags and media types are compared with expected/headers.txt. Readers keep the ETags
they saw: a changed byte makes every reader download every feed again.

After an intended change of the output, write the files again and read their diff before
committing it:

    FEEDSVC_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from helpers.feeds import STRICT, check_json_feed, parse_feed, shown_text
from lxml import etree

# Read at import: the tests run with every FEEDSVC_* variable removed (conftest).
REGENERATE = os.environ.get("FEEDSVC_REGENERATE_GOLDEN") == "1"
GOLDEN = Path(__file__).parent / "data" / "golden"
EXPECTED = GOLDEN / "expected"
HEADERS = EXPECTED / "headers.txt"
SETTINGS: dict[str, object] = {
    "content_dir": GOLDEN / "content",
    "base_url": "https://news.example.org",
    "title": 'The "Golden" Gazette & <Co> — Ålborg',
    "subtitle": "Notes </subtitle> & more",
    "author": "Redaktion Zürich & Co <desk@example.org>",
    "language": "en",
    "timezone": "Europe/Oslo",
    "scan_interval": 300,
    "feed_limit": 3,
}
# The podcast's feeds also advertise a WebSub hub.
PODCAST_SETTINGS: dict[str, object] = {
    "websub_hub": "https://hub.example.org/",
    "podcast": [{
        "topic": "radio", "title": "Harbour Radio & <Friends>", "author": "The Harbour Gazette",
        "owner_name": "Marta Lindqvist", "owner_email": "radio@example.org",
        "artwork": "https://images.example.net/radio.png",
        "categories": ["News", ["Society & Culture", "Documentary"]],
    }],
}
FORMATS = ("atom.xml", "rss.xml", "feed.json")
# name: (path with {} for the file name, whether the podcast settings apply)
FEEDS = {
    "all": ("/feeds/{}", False),
    "page-2": ("/feeds/{}?page=2", False),
    "topic": ("/topics/economy/{}", False),
    "filtered": ("/feeds/{}?topic=r-and-d,quotes&exclude=economy&limit=2", False),
    "podcast": ("/topics/radio/{}", True),
}


def served_documents(make_app: Callable[..., object]) -> tuple[dict[str, bytes], str]:
    """Each feed's body by golden file name, and the headers file's text."""
    clients = {podcast: make_app(**SETTINGS, **(PODCAST_SETTINGS if podcast else {})).test_client()
               for podcast in (False, True)}
    documents, headers = {}, []
    for name, (path, podcast) in FEEDS.items():
        for file_name in FORMATS:
            url = path.format(file_name)
            response = clients[podcast].get(url)  # type: ignore[attr-defined]
            assert response.status_code == 200, (url, response.data)
            documents[f"{name}.{file_name}"] = response.data
            headers.append(f"{name}.{file_name} {url} {response.headers['ETag']} "
                           f"{response.headers['Content-Type']}\n")
    return documents, "".join(headers)


def test_served_feeds_are_the_golden_bytes(scan, make_app) -> None:
    report = scan(**SETTINGS)
    assert (report.published, report.errors, report.warnings) == (11, [], [])
    documents, headers = served_documents(make_app)
    if REGENERATE:
        for stale in EXPECTED.glob("*"):
            stale.unlink()
        EXPECTED.mkdir(exist_ok=True)
        for name, body in documents.items():
            (EXPECTED / name).write_bytes(body)
        HEADERS.write_text(headers, encoding="utf-8")
    committed = {path.name for path in EXPECTED.iterdir()} - {HEADERS.name}
    assert committed == set(documents), "golden files without a feed, or feeds without one"
    changed = [name for name, body in documents.items() if (EXPECTED / name).read_bytes() != body]
    assert not changed, f"served bytes differ from the golden files: {changed}"
    assert HEADERS.read_text(encoding="utf-8") == headers


@pytest.mark.parametrize("name", [f"{feed}.{file_name}" for feed in FEEDS for file_name in FORMATS])
def test_golden_files_are_sound_feeds(name: str) -> None:
    """The goldens themselves parse strictly and as readers parse them (Atom: against RFC 4287's
    schema too), and a page holds at most a page of entries."""
    body = (EXPECTED / name).read_bytes()
    if name.endswith(".json"):
        document = json.loads(body)
        check_json_feed(document)
        count = len(document["items"])
    else:
        etree.fromstring(body, STRICT)
        count = len(parse_feed(body).entries)
    assert 1 <= count <= (2 if name.startswith("filtered") else 3)


@pytest.mark.parametrize("feed", FEEDS)
def test_golden_text_reads_the_same_in_every_format(feed: str) -> None:
    """Titles holding markup characters show the same text in the three formats."""
    document = json.loads((EXPECTED / f"{feed}.feed.json").read_bytes())
    for file_name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((EXPECTED / f"{feed}.{file_name}").read_bytes())
        assert shown_text(parsed.feed.title, parsed.feed.title_detail) == document["title"]
        titles = [shown_text(entry.title, entry.title_detail) for entry in parsed.entries]
        assert titles == [item["title"] for item in document["items"]], file_name


def test_the_goldens_hold_the_hard_cases() -> None:
    """The content folder still gives what the goldens are for."""
    every = "".join((EXPECTED / f"{feed}.feed.json").read_text(encoding="utf-8") for feed in FEEDS)
    for text in ("Fish & chips: prices <rise> again at Café “Søren”",
                 "Why </title> and <b>bold</b> break naive feeds", "R&D <Lab>", "Дмитрий Иванов",
                 "Ingrid Øvergaard, Jean-Luc Ménard, Li Wei"):
        assert json.dumps(text, ensure_ascii=False) in every, text
    rss = (EXPECTED / "page-2.rss.xml").read_bytes()
    assert all(b'rel="%s"' % rel in rss for rel in (b"first", b"previous", b"next", b"last"))
    podcast = (EXPECTED / "podcast.rss.xml").read_bytes()
    assert b"<itunes:episode>" in podcast and b"<enclosure " in podcast and b'rel="hub"' in podcast

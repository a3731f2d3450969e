"""Last-Modified is when a scan changed what a document holds: forward only, never after Date."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path

from helpers.content import write

FEED = "/feeds/atom.xml"


def last_modified(make_app, url: str = FEED) -> str:
    """The header a fresh process gives (as another worker or a restarted server would)."""
    response = make_app().test_client().get(url)
    assert response.status_code == 200, response.data
    assert parsedate_to_datetime(response.headers["Last-Modified"]) <= parsedate_to_datetime(
        response.headers.get("Date") or response.headers["Last-Modified"])
    return response.headers["Last-Modified"]


def later(before: str, after: str) -> bool:
    return parsedate_to_datetime(after) > parsedate_to_datetime(before)


def test_every_change_moves_last_modified_forward(content: Path, scan, make_app) -> None:
    write(content, "port/ships.md", "---\ntitle: Ships\ndate: 2024-05-01\n---\n\nNew ships.\n")
    write(content, "port/cranes.md", "---\ntitle: Cranes\ndate: 2024-03-01\n---\n\nCranes.\n")
    write(content, "farm/wheat.md", "---\ntitle: Wheat\ndate: 2024-02-01\n---\n\nWheat.\n")
    scan()
    first = last_modified(make_app)
    farm = last_modified(make_app, "/topics/farm/rss.xml")
    scan()  # the files are read again (written within a second of the scan), unchanged
    assert last_modified(make_app) == first  # nothing changed, nothing moves

    write(content, "port/old.md", "---\ntitle: Old pier\ndate: 2001-01-01\n---\n\nBack-dated.\n")
    scan()
    added = last_modified(make_app)
    assert later(first, added)  # though the article is older than every other
    (content / "port" / "ships.md").unlink()
    scan()
    deleted = last_modified(make_app)
    assert later(added, deleted)  # the newest article gone: forward, not back to its predecessor
    write(content, "port/cranes.md", "---\ntitle: Cranes\ndate: 2024-03-01\n---\n\nTaller cranes.\n")
    scan()
    edited = last_modified(make_app)
    assert later(deleted, edited)
    # the farm topic's feeds held none of these articles: they did not change
    assert last_modified(make_app, "/topics/farm/rss.xml") == farm
    assert later(farm, last_modified(make_app, "/topics/port/feed.json"))
    assert last_modified(make_app, "/feeds.opml") == last_modified(make_app, "/api/topics") == edited


def test_if_modified_since_sees_each_change(content: Path, scan, make_app) -> None:
    write(content, "port/ships.md", "---\ntitle: Ships\ndate: 2024-05-01\n---\n\nNew ships.\n")
    scan()
    client = make_app().test_client()
    stamp = client.get(FEED).headers["Last-Modified"]
    assert client.get(FEED, headers={"If-Modified-Since": stamp}).status_code == 304
    write(content, "port/old.md", "---\ntitle: Old pier\ndate: 2001-01-01\n---\n\nBack-dated.\n")
    scan()  # committed within the same second as the first, it waits for the next one
    client = make_app().test_client()
    assert client.get(FEED, headers={"If-Modified-Since": stamp}).status_code == 200
    # a date later than now is ignored (RFC 9110 §13.1.3): the full answer
    assert client.get(FEED, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}).status_code == 200


def test_an_entry_dated_in_the_future_does_not_move_last_modified(content: Path, scan, make_app) -> None:
    write(content, "port/ships.md", "---\ntitle: Ships\ndate: 2024-05-01\nupdated: 2099-01-01\n---\n\nX.\n")
    scan()
    response = make_app().test_client().get(FEED)
    assert parsedate_to_datetime(response.headers["Last-Modified"]).year < 2099
    assert b"2099" not in response.data  # the feed claims no time that has not come

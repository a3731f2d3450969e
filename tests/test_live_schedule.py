"""A real `feedsvc serve` scanning once an hour publishes a scheduled article on time, and takes
an expiring one out on time, in every format and page."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.content import write
from helpers.feeds import parse_feed
from helpers.server import LiveServer

ON_TIME = 2.0  # seconds after its time by which an article is served (or gone) everywhere
ADDRESSES = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json", "/topics/port/atom.xml",
             "/topics/port/rss.xml", "/topics/port/feed.json", "/", "/topics/port/"]


def titles_everywhere(server: LiveServer) -> dict[str, set[str]]:
    """Which of the test's titles each feed and page shows."""
    shown = {}
    for address in ADDRESSES:
        status, body, _ = server.get(address)
        assert status == 200, (address, status)
        if address.endswith(".json"):
            titles = {item["title"] for item in json.loads(body)["items"]}
        elif address.endswith(".xml"):
            titles = {entry.title for entry in parse_feed(body).entries}
        else:
            titles = {title for title in ("Ferry", "Regatta", "Notice") if f">{title}<" in body.decode()}
        shown[address] = titles
    return shown


def wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, moment.timestamp() - time.time()))


def test_scheduled_and_expiring_articles_on_time(content: Path, tmp_path: Path) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    publish, expire = start + timedelta(seconds=12), start + timedelta(seconds=16)
    write(content, "port/ferry.md", "---\ntitle: Ferry\ndate: 2024-04-01\n---\n\nBoats.\n")
    write(content, "port/regatta.md", f"---\ntitle: Regatta\ndate: {publish.isoformat()}\n---\n\nSails.\n")
    write(content, "port/notice.md", (
        f"---\ntitle: Notice\ndate: 2024-04-02\nexpires: {expire.isoformat()}\n---\n\nRoad closed.\n"))
    with LiveServer(content, tmp_path / "catalog.db", tmp_path / "serve.log", workers=2,
                    scan_interval=3600) as server:
        assert time.time() < publish.timestamp() - 1, "the server took too long to start"
        before = titles_everywhere(server)
        assert all(titles == {"Ferry", "Notice"} for titles in before.values()), before
        assert server.get("/articles/port-regatta")[0] == 404
        status = json.loads(server.get("/status")[1])
        assert [(item["path"], item["action"]) for item in status["scheduled"]] == [
            ("port/regatta.md", "publish"), ("port/notice.md", "expire")]

        wait_until(publish + timedelta(seconds=ON_TIME))
        published = titles_everywhere(server)
        assert all(titles == {"Ferry", "Notice", "Regatta"} for titles in published.values()), published
        assert server.get("/articles/port-regatta")[0] == 200
        assert time.time() < expire.timestamp(), "too slow to check before the expiry"

        wait_until(expire + timedelta(seconds=ON_TIME))
        expired = titles_everywhere(server)
        assert all(titles == {"Ferry", "Regatta"} for titles in expired.values()), expired
        assert server.get("/articles/port-notice")[0] == 404
        log = server.log()
    # two scans by the schedule's due job, not by the hourly interval (one scan at start)
    assert log.count("feedsvc.scan: scan: ") == 3, log


def test_serve_drafts_previews_drafts_and_scheduled_articles(content: Path, tmp_path: Path, make_app,
                                                             scan) -> None:
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    write(content, "port/ferry.md", "---\ntitle: Ferry\ndate: 2024-04-01\n---\n\nBoats.\n")
    write(content, "port/regatta.md", f"---\ntitle: Regatta\ndate: {later.isoformat()}\n---\n\nSails.\n")
    write(content, "port/notice.md", "---\ntitle: Notice\ndate: 2024-04-02\ndraft: true\n---\n\nSoon.\n")
    database = tmp_path / "catalog.db"
    with LiveServer(content, database, tmp_path / "serve.log", options=("--drafts",)) as preview:
        assert titles_everywhere(preview)["/"] == {"Ferry", "Regatta", "Notice"}
        home = preview.get("/")[1].decode()
        draft, scheduled = "port-notice\"><bdi>Notice</bdi>", "port-regatta\"><bdi>Regatta</bdi>"
        assert f'<span class="status">Draft</span> <a href="/articles/{draft}</a>' in home
        assert f'<span class="status">Scheduled</span> <a href="/articles/{scheduled}</a>' in home
        status, page, _ = preview.get("/articles/port-regatta")
        assert status == 200
        assert f'Scheduled: published <time datetime="{later.isoformat()}">' in page.decode()
        _, _, headers = preview.get("/feeds/atom.xml")
        assert headers["ETag"].endswith('-drafts"') and headers["Cache-Control"] == "private, no-cache"
    assert (tmp_path / "catalog-drafts.db").is_file() and not database.exists()  # a catalog of its own
    # the public catalog of the same folder: neither is reachable
    scan(database=database)
    client = make_app(database=database).test_client()
    assert {e.title for e in parse_feed(client.get("/feeds/atom.xml").data).entries} == {"Ferry"}
    assert client.get("/articles/port-notice").status_code == 404
    assert client.get("/articles/port-regatta").status_code == 404
    assert not client.get("/feeds/atom.xml").headers["ETag"].endswith('-drafts"')
